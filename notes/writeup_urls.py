"""Write-up addresses. Included before the programme's so that <conf>/writeups/… is ours.

Conference slugs may hold Korean letters, so they are <str:…> and looked up by slug; the
/me/writeups/ routes come first because "me" can never be a conference slug.
"""

from django.urls import path

from . import writeup_views as views
from .writeup_feed import WriteUpFeed

app_name = "writeups"

urlpatterns = [
    path("feed.xml", WriteUpFeed(), name="feed"),
    path("me/writeups/", views.mine, name="mine"),
    path("me/writeups/<str:conf>/", views.compose, name="compose"),
    path("me/writeups/<str:conf>/preview/", views.preview, name="preview"),
    path("me/writeups/<str:conf>/publish/", views.publish, name="publish"),
    path("me/writeups/<str:conf>/unpublish/", views.unpublish, name="unpublish"),
    path("<str:conf>/writeups/<str:username>/", views.detail, name="detail"),
    path("<str:conf>/writeups/<str:username>/export.zip", views.export, name="export"),
]
