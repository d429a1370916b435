"""Export URLs, routed before the public pages. Conference and session slugs may be Unicode
(Korean), so they are matched as <str:…> (anything but "/")."""

from django.urls import path

from . import export_views

app_name = "exports"

urlpatterns = [
    path("calendar/<str:token>.ics", export_views.starred_calendar, name="starred_calendar"),
    path("me/calendar/reset/", export_views.reset_calendar, name="reset_calendar"),
    path("<str:conf>/schedule.xml", export_views.schedule_xml, name="schedule_xml"),
    path("<str:conf>/schedule.json", export_views.schedule_json, name="schedule_json"),
    path("<str:conf>/schedule.ics", export_views.schedule_ics, name="schedule_ics"),
    path("<str:conf>/sessions/<str:session>.ics", export_views.session_ics, name="session_ics"),
]
