from django.urls import path

import core.converters  # noqa: F401  (registers uslug)
from notes import offline_views, views

app_name = "notes"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("star/<int:session_id>/", views.star, name="star"),
    path("notes/<int:session_id>/", views.editor, name="editor"),
    path("notes/offline/", offline_views.editor_shell, name="editor_shell"),
    path("notes/<int:session_id>/save/", views.save, name="save"),
    path("me/calendar/reset/", views.reset_calendar, name="reset_calendar"),
    path("me/calendar/reminder/", views.calendar_reminder, name="calendar_reminder"),
    path("me/changes/<uslug:conf>/seen/", views.changes_seen, name="changes_seen"),
    # The service worker lives at the root so that its scope covers /me/ and /notes/….
    path("sw.js", offline_views.service_worker, name="service_worker"),
]
