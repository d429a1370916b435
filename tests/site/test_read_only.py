"""Reading is GET: every address of the access table that only reads answers a signed-in
person's POST with 405, but the pages that are forms. One table for what single-page tests used
to check each (the search, the timeline, the service worker, a write-up, a photo file…)."""

import pytest
from django.test import Client

from notes.models import CalendarFeed
from tests.site.test_url_access import ACCESS
from tests.support.hardening_world import build_site

pytestmark = pytest.mark.django_db

# Pages that are forms, or where a POST is the way in: everything else that reads refuses it.
FORMS = {
    "login",
    "logout",
    "set_language",
    "notes:editor",  # the editor's form saves without JavaScript
    "password_change",
}
# Forms that exist only when the site sends mail or lets people sign up (404 here, as in tests).
SWITCHED_OFF = {
    "signup",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def test_every_reading_address_but_the_forms_refuses_post():
    site = build_site()
    CalendarFeed.objects.create(user=site.owner)
    answers = {}
    for key, cases in ACCESS.items():
        if any(case.method != "GET" for case in cases) or key in SWITCHED_OFF:
            continue
        client = Client()  # a fresh one: a POST to the sign-out page signs it out
        client.force_login(site.owner)
        answers[key] = client.post(cases[0].url(site)).status_code
    assert {key for key, status in answers.items() if status != 405} == FORMS
