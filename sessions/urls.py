"""The public programme pages, plus the sitemap and robots.txt."""

from datetime import date

from django.urls import path, register_converter

from . import views


class UnicodeSlugConverter:
    """A slug that may hold any letters, not only ASCII: Korean slugs are common here."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class IsoDateConverter:
    """YYYY-MM-DD as a date; anything else, or an impossible date, does not match (404)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return date.fromisoformat(value)  # ValueError (2025-02-30) means "no match"

    def to_url(self, value):
        return value.isoformat() if isinstance(value, date) else value


register_converter(UnicodeSlugConverter, "uslug")
register_converter(IsoDateConverter, "isodate")

app_name = "program"

urlpatterns = [
    path("", views.home, name="home"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("<uslug:conf>/", views.conference, name="conference"),
    path("<uslug:conf>/schedule/<isodate:date>/", views.day, name="day"),
    path("<uslug:conf>/sessions/<uslug:session>/", views.session, name="session"),
    path("<uslug:conf>/speakers/", views.speakers, name="speakers"),
    path("<uslug:conf>/speakers/<uslug:speaker>/", views.speaker, name="speaker"),
]
