"""The day timeline page (/<conf>/schedule/<date>/) and the grid positions behind it."""

import re
from datetime import date, timedelta

import lxml.html
import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from sessions.models import Session
from sessions.timeline import build_timeline, load_day
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    RoomFactory,
    SessionFactory,
    StarFactory,
    TrackFactory,
    UserFactory,
)
from tests.support.public_programme import SEOUL, build_programme, by_class, page, seoul, texts

pytestmark = pytest.mark.django_db

DAY1 = date(2025, 8, 15)


def day_url(conference, on=DAY1):
    return reverse("public:day", kwargs={"conf": conference.slug, "date": on})


def layout(day):
    sessions, speakers = load_day(day.conference, day)
    return build_timeline(
        day,
        sessions,
        zone=day.conference.tz,
        url_for=lambda slug: f"/x/sessions/{slug}/",
        speakers=speakers,
    )


def test_day_page_lists_the_sessions_in_time_order_with_times_rooms_and_speakers(client):
    conference = build_programme(3)
    response = client.get(day_url(conference))
    assert response.status_code == 200
    assert texts(response, by_class("s-title")) == [
        "선 넘지 않는 윤리적인 LLM 솔루션 구축",
        "Python과 함께하는 AI 플랫폼",
        "파이썬으로 엮는 나만의 레거시",
        "점심 · Lunch",
    ]
    assert texts(response, by_class("s-when")) == [
        "10:00–10:40 · 101호",
        "10:00–10:40 · 102호",
        "10:50–11:30 · 101호",
        "12:00–13:00",
    ]
    assert texts(response, by_class("s-who"))[0] == "발표자 0a, Speaker 0b"
    assert texts(response, by_class("tl-room")) == ["101호", "102호"]
    assert texts(response, by_class("tl-slot")) == ["10:00", "10:50", "12:00"]


def test_day_page_links_sessions_but_not_breaks(client):
    conference = build_programme(1)
    links = page(client.get(day_url(conference))).xpath(f"{by_class('s-title')}/a/@href")
    assert links == ["/pycon-kr/sessions/talk-0/"]


def test_track_legend_and_colours_come_from_the_tracks(client):
    conference = build_programme(2)
    response = client.get(day_url(conference))
    assert texts(response, f"{by_class('legend')}/li") == ["AI · ML", "Web"]
    ai, web = conference.tracks.order_by("order")
    style = page(response).xpath("//head/style")[0]
    assert f".tr{ai.pk}{{--track:#7c3aed}}" in style.text
    assert f".tr{web.pk}{{--track:#0284c7}}" in style.text


def test_style_block_carries_the_csp_nonce_and_no_inline_style_attributes(client):
    conference = build_programme(2)
    response = client.get(day_url(conference))
    doc = page(response)
    nonce = doc.xpath("//head/style/@nonce")
    assert len(nonce) == 1
    assert f"'nonce-{nonce[0]}'" in response["Content-Security-Policy"]
    assert doc.xpath("//*[@style]") == []


def test_session_at_half_past_midnight_in_seoul_shows_on_its_day_at_its_hour(client):
    conference = build_programme(1)
    day2 = conference.days.get(index=2)
    SessionFactory(
        conference=conference,
        day=day2,
        room=conference.rooms.first(),
        title="Midnight talk",
        slug="midnight",
        starts_at=seoul(date(2025, 8, 16), 0, 30),
        ends_at=seoul(date(2025, 8, 16), 1, 0),
    )
    # 00:30 in Seoul is 15:30 UTC the day before.
    assert Session.objects.get(slug="midnight").starts_at.isoformat() == "2025-08-15T15:30:00+00:00"
    response = client.get(day_url(conference, date(2025, 8, 16)))
    assert texts(response, by_class("s-when")) == ["00:30–01:00 · 101호"]
    assert page(response).xpath(f"{by_class('s-when')}/time/@datetime") == [
        "2025-08-16T00:30+09:00",
        "2025-08-16T01:00+09:00",
    ]
    assert "Midnight talk" not in texts(client.get(day_url(conference)), by_class("s-title"))


def test_a_day_that_runs_past_midnight_keeps_its_rows_in_time_order():
    conference = ConferenceFactory(timezone="Asia/Seoul", start_date=DAY1, end_date=DAY1)
    day = DayFactory(conference=conference, index=1, date=DAY1)
    room = RoomFactory(conference=conference)
    for hour, minute in [(23, 0), (24, 30)]:
        starts_at = seoul(DAY1, 0) + timedelta(hours=hour, minutes=minute)
        SessionFactory(
            conference=conference,
            day=day,
            room=room,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=30),
        )
    timeline = layout(day)
    assert [row.label for row in timeline.rows if row.label] == ["23:00", "23:30", "00:00", "00:30"]
    assert [slot.label for slot in timeline.slots] == ["23:00", "00:30"]


def test_sessions_are_placed_by_start_and_length_in_their_room_column():
    conference = build_programme(3)
    timeline = layout(conference.days.get(index=1))
    # Rows start at every start and end and on the half hours: 10:00, 10:30, 10:40, 10:50, …
    labels = [row.starts_at.strftime("%H:%M") for row in timeline.rows]
    assert labels[:6] == ["10:00", "10:30", "10:40", "10:50", "11:00", "11:30"]
    areas = dict(
        line.split("{grid-area:")
        for line in timeline.css.splitlines()
        if "grid-area" in line and line.startswith("#s")
    )
    first, second, third, lunch = Session.objects.order_by("starts_at", "room__order")
    # grid line 2 is 10:00; 10:40 is line 4; 10:50 is line 5; 11:30 is line 7
    assert areas[f"#s{first.pk}"] == "2/2/4/3}"
    assert areas[f"#s{second.pk}"] == "2/3/4/4}"
    assert areas[f"#s{third.pk}"] == "5/2/7/3}"
    # the break spans every room
    assert areas[f"#s{lunch.pk}"].split("/")[1] == "2" and areas[f"#s{lunch.pk}"].endswith("/-1}")


def test_overlapping_sessions_in_one_room_get_lanes_side_by_side():
    conference = ConferenceFactory(timezone="Asia/Seoul", start_date=DAY1, end_date=DAY1)
    day = DayFactory(conference=conference, index=1, date=DAY1)
    busy, quiet = (
        RoomFactory(conference=conference, order=1),
        RoomFactory(conference=conference, order=2),
    )
    spans = [(busy, 10, 0, 60), (busy, 10, 30, 60), (busy, 11, 30, 30), (quiet, 10, 0, 30)]
    for room, hour, minute, length in spans:
        SessionFactory(
            conference=conference,
            day=day,
            room=room,
            starts_at=seoul(DAY1, hour, minute),
            ends_at=seoul(DAY1, hour, minute) + timedelta(minutes=length),
        )
    timeline = layout(day)
    columns = {
        f"{item.session.starts_at.astimezone(SEOUL):%H:%M}@{item.session.room.order}": item.column
        for slot in timeline.slots
        for item in slot.items
    }
    assert columns == {
        "10:00@1": (2, 3),  # lane 1 of the busy room
        "10:30@1": (3, 4),  # lane 2, beside it
        "11:30@1": (2, 4),  # alone again: both lanes
        "10:00@2": (4, 5),  # the quiet room comes after the busy room's two lanes
    }
    assert f"#r{busy.pk}{{grid-column:2/4}}" in timeline.css


def test_badly_stored_track_colour_never_reaches_the_style_block():
    conference = build_programme(1)
    track = conference.tracks.get(slug="ai")
    Session.objects.update(track=track)
    type(track).objects.filter(pk=track.pk).update(color="#0}*{x:")  # fits max_length=7
    timeline = layout(conference.days.get(index=1))
    assert f".tr{track.pk}{{--track:#6b7280}}" in timeline.css
    assert "*{" not in timeline.css


def test_day_without_sessions_says_so(client):
    conference = build_programme(1)
    response = client.get(day_url(conference, date(2025, 8, 16)))
    assert response.status_code == 200
    assert texts(response, by_class("empty")) == ["Nothing is scheduled on this day yet."]


def test_day_tabs_mark_the_current_day(client):
    conference = build_programme(1)
    response = client.get(day_url(conference, date(2025, 8, 16)))
    tabs = page(response).xpath(f"{by_class('day-tabs')}//a")
    assert [tab.get("href") for tab in tabs] == [
        "/pycon-kr/schedule/2025-08-15/",
        "/pycon-kr/schedule/2025-08-16/",
    ]
    assert [tab.get("aria-current") for tab in tabs] == [None, "page"]


@pytest.mark.parametrize(
    "path",
    [
        "/pycon-kr/schedule/2025-08-14/",  # the day before the conference
        "/pycon-kr/schedule/2025-08-17/",  # the day after
        "/pycon-kr/schedule/2025-02-30/",  # no such date
        "/pycon-kr/schedule/2025-8-15/",  # not YYYY-MM-DD
        "/pycon-kr/schedule/tomorrow/",
        "/no-such-conference/schedule/2025-08-15/",
    ],
)
def test_bad_dates_and_unknown_conferences_are_404(client, path):
    build_programme(1)
    response = client.get(path)
    assert response.status_code == 404
    assert "This page is not here" in response.content.decode()


def test_malformed_query_strings_are_ignored(client):
    conference = build_programme(1)
    response = client.get(day_url(conference) + "?date=%ZZ&tz=Mars/Base&%%%=1&page=-1")
    assert response.status_code == 200
    assert texts(response, by_class("s-title"))[0] == "선 넘지 않는 윤리적인 LLM 솔루션 구축"


@pytest.mark.parametrize("size", [1, 6])
def test_day_page_runs_eight_queries_whatever_its_size(client, django_assert_num_queries, size):
    conference = build_programme(size, rooms=3)
    # the conference's stamp, conference, days, rooms, tracks, sessions, speaker names, the
    # latest version with its changes
    with django_assert_num_queries(8):
        response = client.get(day_url(conference))
    assert len(texts(response, by_class("s-title"))) == size + 1


@pytest.mark.parametrize("size", [1, 6])
def test_day_page_for_a_signed_in_user_adds_only_their_stars(
    owner_client, owner, django_assert_num_queries, size
):
    conference = build_programme(size)
    for session in Session.objects.exclude(kind=Session.Kind.BREAK):
        StarFactory(user=owner, session=session)
    # + the session and user lookups, + one query for the stars
    with django_assert_num_queries(11):
        response = owner_client.get(day_url(conference))
    pressed = page(response).xpath("//article//button[contains(@class, 'star')]/@aria-pressed")
    assert pressed == ["true"] * size


def test_star_buttons_in_the_grid_are_the_star_partial_for_each_session(owner_client, owner):
    conference = build_programme(2)
    tricky = Session.objects.get(slug="talk-1")
    tricky.title = 'Tom & "Jerry" <3 hugi-stand-in-title'
    tricky.save()
    StarFactory(user=owner, session=tricky)
    response = owner_client.get(day_url(conference))
    forms = page(response).xpath("//article//form[@data-star-form]")
    assert len(forms) == 2
    request = response.wsgi_request
    for form in forms:
        session = Session.objects.get(pk=int(form.get("action").strip("/").split("/")[-1]))
        expected = render_to_string(
            "notes/_star_button.html",
            {"session": session, "starred": session == tricky},
            request,
        )
        assert without_token(lxml.html.tostring(form, encoding="unicode")) == without_token(
            lxml.html.tostring(lxml.html.fragment_fromstring(expected), encoding="unicode")
        )


def without_token(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html).strip()


def test_anonymous_visitors_see_no_star_buttons(client):
    conference = build_programme(2)
    assert page(client.get(day_url(conference))).xpath("//form[@data-star-form]") == []


def test_track_and_room_slugs_may_be_korean(client):
    conference = build_programme(1, slug="파이콘-2025")
    TrackFactory(conference=conference, slug="인공지능")
    response = client.get(day_url(conference))
    assert response.status_code == 200
    assert response.wsgi_request.path == "/파이콘-2025/schedule/2025-08-15/"


def test_anonymous_visitors_share_one_rendered_timeline_until_the_conference_changes(
    client, django_assert_num_queries
):
    conference = build_programme(2)
    first = client.get(day_url(conference))
    # the second visitor gets the whole page from the cache: one query for the stamp
    with django_assert_num_queries(1):
        second = Client().get(day_url(conference))
    assert texts(second, by_class("s-title")) == texts(first, by_class("s-title"))
    session = Session.objects.get(slug="talk-0")
    session.title = "새 제목"
    session.save()
    conference.touch()
    third = Client().get(day_url(conference))
    assert texts(third, by_class("s-title"))[0] == "새 제목"


@pytest.mark.parametrize("size", [1, 6])
def test_signed_in_visitors_share_the_grid_and_get_their_own_stars_put_in(
    owner_client, owner, django_assert_num_queries, size
):
    conference = build_programme(size)
    other = Client()
    other.force_login(UserFactory(username="someone"))
    other.get(day_url(conference))  # someone else's visit makes the shared grid
    for session in Session.objects.exclude(kind=Session.Kind.BREAK):
        StarFactory(user=owner, session=session)
    # the stamp, session and user, conference, days, and the stars: no grid queries
    with django_assert_num_queries(6):
        response = owner_client.get(day_url(conference))
    pressed = page(response).xpath("//article//button[contains(@class, 'star')]/@aria-pressed")
    assert pressed == ["true"] * size


def test_signed_in_visitors_never_get_someone_elses_cached_stars(owner_client, owner):
    conference = build_programme(1)
    Client().get(day_url(conference))  # an anonymous visit fills the cache
    StarFactory(user=owner, session=Session.objects.get(slug="talk-0"))
    pressed = page(owner_client.get(day_url(conference))).xpath("//article//button/@aria-pressed")
    assert pressed == ["true"]
    other = Client()
    other.force_login(UserFactory(username="someone"))
    assert page(other.get(day_url(conference))).xpath("//article//button/@aria-pressed") == [
        "false"
    ]


def test_text_from_imports_is_escaped_in_the_grid(client):
    conference = build_programme(1)
    Session.objects.filter(slug="talk-0").update(title="<script>alert(1)</script>", kind='x"><b>')
    conference.rooms.filter(slug="room-101").update(name="<i>Hall</i>")
    body = client.get(day_url(conference)).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "k-x&quot;&gt;&lt;b&gt;" in body
    assert "&lt;i&gt;Hall&lt;/i&gt;" in body
