"""Composing one's write-ups (signed in). The published post is a public page (public/urls.py)."""

from django.urls import path

import core.converters  # noqa: F401  (registers uslug)
from notes.writeups import views

app_name = "writeups"

urlpatterns = [
    path("me/writeups/", views.mine, name="mine"),
    path("me/writeups/<uslug:conf>/", views.compose, name="compose"),
    path("me/writeups/<uslug:conf>/preview/", views.preview, name="preview"),
    path("me/writeups/<uslug:conf>/publish/", views.publish, name="publish"),
    path("me/writeups/<uslug:conf>/unpublish/", views.unpublish, name="unpublish"),
]
