"""My hugi (/me/): my schedule by day with clashes, my notes, my conferences, and "now"."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notes.models import Visibility
from notes.selectors import mark_clashes, now_and_next, running_conferences
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    NoteFactory,
    SessionFactory,
    StarFactory,
)

pytestmark = pytest.mark.django_db


def at(hour, minute=0, day=15):
    """A time on 2025-08-<day> in Seoul, as UTC."""
    return datetime(2025, 8, day, hour - 9, minute, tzinfo=UTC)


def test_me_needs_sign_in(client):
    response = client.get(reverse("notes:me"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/me/"


def test_starred_sessions_are_listed_by_day_with_clashes_marked(owner_client, owner):
    conference = ConferenceFactory(name="PyCon KR")
    DayFactory(conference=conference, index=1, label="Day 1")
    DayFactory(conference=conference, index=2, label="Day 2")
    keynote = SessionFactory(
        conference=conference, title="Keynote", starts_at=at(9), ends_at=at(10)
    )
    talk_a = SessionFactory(conference=conference, title="Talk A", starts_at=at(10), ends_at=at(11))
    talk_b = SessionFactory(
        conference=conference, title="Talk B", starts_at=at(10, 30), ends_at=at(11, 30)
    )
    second_day = SessionFactory(
        conference=conference,
        day=conference.days.get(index=2),
        title="Day two talk",
        starts_at=at(10, day=16),
        ends_at=at(11, day=16),
    )
    for session in (talk_b, second_day, keynote, talk_a):
        StarFactory(user=owner, session=session)
    SessionFactory(conference=conference, title="Not starred", starts_at=at(10), ends_at=at(11))

    response = owner_client.get(reverse("notes:me"))
    days = response.context["days"]
    assert [(d.label, [s.title for s in d.sessions]) for d in days] == [
        ("Day 1", ["Keynote", "Talk A", "Talk B"]),
        ("Day 2", ["Day two talk"]),
    ]
    clashes = {s.title: [c.title for c in s.clashes] for d in days for s in d.sessions}
    assert clashes == {
        "Keynote": [],
        "Talk A": ["Talk B"],
        "Talk B": ["Talk A"],
        "Day two talk": [],
    }
    page = response.content.decode()
    assert page.count("badge-clash") == 2
    assert "Not starred" not in page
    assert '<time datetime="2025-08-15T10:30:00+09:00">10:30</time>' in page


def test_sessions_that_touch_end_to_start_do_not_clash():
    first = SessionFactory(starts_at=at(10), ends_at=at(11))
    second = SessionFactory(conference=first.conference, starts_at=at(11), ends_at=at(12))
    mark_clashes([second, first])
    assert (first.clashes, second.clashes) == ([], [])


def test_my_notes_are_listed_with_their_visibility_and_only_mine(owner_client, owner, other_user):
    mine_private = NoteFactory(author=owner, body="quiet thoughts", session__title="Private talk")
    mine_public = NoteFactory(
        author=owner, body="loud thoughts", visibility=Visibility.PUBLIC, session__title="Open talk"
    )
    NoteFactory(author=other_user, body="someone else's", session__title="Their talk")
    response = owner_client.get(reverse("notes:me"))
    assert [n.pk for n in response.context["notes"]] == [mine_public.pk, mine_private.pk]
    page = response.content.decode()
    assert '<span class="badge badge-private">Private</span>' in page
    assert '<span class="badge badge-public">Public</span>' in page
    assert "quiet thoughts" in page and "loud thoughts" in page
    assert "someone else" not in page and "Their talk" not in page


def test_my_conferences_are_those_i_starred_in_or_wrote_about(owner_client, owner):
    starred = StarFactory(user=owner, session__conference__name="Starred Con").session.conference
    noted = NoteFactory(author=owner, session__conference__name="Noted Con").session.conference
    StarFactory(user=owner, session__conference=noted)  # a star and a note: listed once
    StarFactory(session__conference__name="Someone Else's Con")
    ConferenceFactory(name="Other Con")
    response = owner_client.get(reverse("notes:me"))
    assert sorted(c.name for c in response.context["conferences"]) == sorted(
        [starred.name, noted.name]
    )


def running_conference(moment, name="Live Con", zone="Asia/Seoul"):
    """A conference on today (in its zone) with a talk on now, two next, and one later."""
    today = timezone.localtime(moment, ConferenceFactory._meta.model(timezone=zone).tz)
    conference = ConferenceFactory(
        name=name, timezone=zone, start_date=today.date(), end_date=today.date() + timedelta(days=1)
    )
    minute = timedelta(minutes=1)
    on_now = SessionFactory(
        conference=conference,
        title=f"{name} on now",
        starts_at=moment - 10 * minute,
        ends_at=moment + 20 * minute,
    )
    next_a = SessionFactory(
        conference=conference,
        title=f"{name} next A",
        starts_at=moment + 30 * minute,
        ends_at=moment + 60 * minute,
    )
    next_b = SessionFactory(
        conference=conference,
        title=f"{name} next B",
        starts_at=moment + 30 * minute,
        ends_at=moment + 60 * minute,
    )
    SessionFactory(
        conference=conference,
        title=f"{name} later",
        starts_at=moment + 90 * minute,
        ends_at=moment + 120 * minute,
    )
    return conference, on_now, next_a, next_b


def test_now_shows_what_is_on_and_what_is_next_starred_first(owner):
    moment = at(14)
    conference, _on_now, _next_a, next_b = running_conference(moment)
    StarFactory(user=owner, session=next_b)
    [board] = now_and_next(owner, moment)
    assert board.conference == conference
    assert [s.title for s in board.now] == ["Live Con on now"]
    assert [s.title for s in board.next] == ["Live Con next B", "Live Con next A"]


def test_next_is_only_what_starts_later_today(owner):
    moment = at(23, 40)  # the next talks would start after midnight, tomorrow
    running_conference(moment)
    [board] = now_and_next(owner, moment)
    assert [s.title for s in board.now] == ["Live Con on now"]
    assert board.next == []


def test_now_offers_one_tap_to_the_note_editor(owner_client):
    moment = timezone.now()
    _conference, on_now, _next_a, _next_b = running_conference(moment)
    page = owner_client.get(reverse("notes:me")).content.decode()
    assert (
        f'<a class="button secondary button-small" href="{reverse("notes:editor", args=[on_now.pk])}">'
        "Write note</a>"
    ) in page
    assert "Live Con later" not in page


def test_running_means_today_in_the_conferences_own_zone():
    # 23:30 UTC on 14 Aug is already 15 Aug in Seoul, and still 14 Aug in Los Angeles.
    moment = datetime(2025, 8, 14, 23, 30, tzinfo=UTC)
    seoul = ConferenceFactory(
        timezone="Asia/Seoul", start_date=date(2025, 8, 15), end_date=date(2025, 8, 15)
    )
    ConferenceFactory(
        timezone="America/Los_Angeles", start_date=date(2025, 8, 15), end_date=date(2025, 8, 15)
    )
    assert running_conferences(moment) == [seoul]


def test_no_now_section_when_nothing_runs(owner_client):
    ConferenceFactory(start_date=date(2001, 1, 1), end_date=date(2001, 1, 2))
    response = owner_client.get(reverse("notes:me"))
    assert response.context["boards"] == []
    assert 'id="now-title"' not in response.content.decode()


def zone_where_it_is_about_noon(moment):
    """A fixed-offset zone in which `moment` is around noon, so "next" is always today."""
    offset = 12 - moment.hour
    return f"Etc/GMT{-offset:+d}"  # POSIX-style names: the sign is inverted


def fill(owner, count):
    moment = timezone.now()
    zone = zone_where_it_is_about_noon(moment)
    for index in range(count):
        _conference, on_now, next_a, _ = running_conference(moment, name=f"Con {index}", zone=zone)
        StarFactory(user=owner, session=on_now)
        StarFactory(user=owner, session=next_a)
        NoteFactory(author=owner, session=on_now)


@pytest.mark.parametrize("count", [1, 3])
def test_me_runs_a_fixed_number_of_queries(owner_client, owner, django_assert_num_queries, count):
    fill(owner, count)
    # session and user; notes; running conferences; starred ids; on now + speakers; next start
    # times; next + speakers; starred sessions + speakers; changes since last looked; my
    # conferences; the calendar feed.
    with django_assert_num_queries(15):
        response = owner_client.get(reverse("notes:me"))
    assert len(response.context["boards"]) == count
    assert all(len(board.now) == 1 and len(board.next) == 2 for board in response.context["boards"])
    assert len(response.context["notes"]) == count


def test_markup_in_a_note_never_reaches_my_hugi_as_html(owner_client, owner):
    from notes.services import save_note

    session = SessionFactory(title="XSS talk")
    save_note(
        author=owner,
        session=session,
        body='<script>alert(1)</script> <img src=x onerror="alert(2)"> [a](javascript:alert(3)) ok & fine',
        visibility="private",
        base_version=0,
    )
    page = owner_client.get(reverse("notes:me")).content.decode()
    assert "<script>alert" not in page
    assert "onerror" not in page
    assert 'href="javascript:' not in page
    # A line that starts with a tag is raw HTML in CommonMark: the Markdown link after it
    # stays text, shown as typed.
    assert '<p class="note-excerpt">[a](javascript:alert(3)) ok &amp; fine</p>' in page
