"""Dates and times in Korean read as Korean: 8월 15일 (금) 11:00, never English names or order.

Each page is drawn in Korean for a signed-in owner (so that /me/, the editor and the search show
their dates too) and its visible text is searched for English month and weekday names and for
the day written before the month ("15 8월"). The site's own texts hold no such words.
"""

import re

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from tests.support.factories import StarFactory
from tests.support.hardening_world import build_site

pytestmark = pytest.mark.django_db

ENGLISH_NAMES = re.compile(
    r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t|tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
    r"|Mon(?:day)?|Tue(?:s|sday)?|Wed(?:nesday)?|Thu(?:rs|rsday)?|Fri(?:day)?"
    r"|Sat(?:urday)?|Sun(?:day)?)\b"
)
DAY_BEFORE_MONTH = re.compile(r"\b\d{1,2},? \d{1,2}월")


@pytest.fixture
def site():
    site = build_site()
    StarFactory(user=site.owner, session=site.sessions[0])  # a day on My hugi's schedule
    return site


@pytest.fixture
def korean_owner(site):
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    client.force_login(site.owner)
    return client


def pages(site):
    conference, session = site.conference, site.sessions[0]
    return {
        "home": "/",
        "conference": conference.get_absolute_url(),
        "day": reverse("public:day", kwargs={"conf": conference.slug, "date": "2025-08-15"}),
        "session": session.get_absolute_url(),
        "speakers": reverse("public:speakers", kwargs={"conf": conference.slug}),
        "speaker": site.speaker.get_absolute_url(),
        "me": reverse("notes:me"),
        "editor": reverse("notes:editor", args=[session.pk]),
        "search": reverse("public:search") + "?q=talk",
    }


def visible_text(response) -> str:
    document = lxml.html.fromstring(response.content.decode())
    for hidden in document.xpath("//script | //style | //template"):
        hidden.drop_tree()
    attributes = document.xpath("//@title | //@aria-label | //@alt | //@placeholder")
    return " ".join([document.text_content(), *attributes])


@pytest.mark.parametrize(
    "name",
    ["home", "conference", "day", "session", "speakers", "speaker", "me", "editor", "search"],
)
def test_dates_in_korean_use_korean_names_and_order(korean_owner, site, name):
    response = korean_owner.get(pages(site)[name])
    assert response.status_code == 200
    text = visible_text(response)
    if name != "speakers":  # the only page here without a date
        assert re.search(r"\d{1,2}월 \d{1,2}일", text), "the page shows a date"
    assert ENGLISH_NAMES.findall(text) == []
    assert DAY_BEFORE_MONTH.findall(text) == []


def test_the_editor_header_reads_month_day_weekday_then_times(korean_owner, site):
    page = korean_owner.get(reverse("notes:editor", args=[site.sessions[0].pk])).content.decode()
    when = lxml.html.fromstring(page).xpath("//li[@class='meta-time']")[0].text_content()
    assert " ".join(when.split()) == "8월 15일 (금) 10:00–10:40 Asia/Seoul"
