from django.urls import path, re_path

from notes.photos import views

app_name = "photos"

urlpatterns = [
    path("upload/<int:session_id>/", views.upload, name="upload"),
    path("session/<int:session_id>/", views.manager, name="manager"),
    path("<int:photo_id>/edit/", views.update, name="update"),
    path("<int:photo_id>/move/", views.reorder, name="reorder"),
    path("<int:photo_id>/delete/", views.delete, name="delete"),
    # "original" or one of the photo's rendition widths, e.g. /photos/12/960/
    re_path(
        r"^(?P<photo_id>[0-9]+)/(?P<rendition>original|[0-9]+)/$",
        views.photo_file,
        name="file",
    ),
]
