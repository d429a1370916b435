from django.urls import path

from . import views

app_name = "notes"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("star/<int:session_id>/", views.star, name="star"),
]
