"""Reading versions and changes for the public pages (sessions/changes.py): the badges' changes,
the changes page's versions, a person's starred sessions changed since they looked; each in a
fixed number of queries whatever the size."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions.changes import (
    changes_phrase,
    changes_since,
    changes_since_each,
    current_numbers,
    current_version,
    latest_changes,
    versions_with_changes,
)
from sessions.models import Session
from sessions.recording import recording
from sessions.versions import ScheduleVersion
from tests.support.factories import ConferenceFactory, SessionFactory

pytestmark = pytest.mark.django_db

SYNC = ScheduleVersion.Origin.SYNC


def build(talks=3):
    """A conference with `talks` talks: published (v1); each talk retitled in turn (v2: the
    first, v3: the second, …); then the first moved and the last cancelled (the latest)."""
    conference = ConferenceFactory()
    with recording(conference, origin=SYNC):
        sessions = [SessionFactory(conference=conference, title=f"T{n}") for n in range(talks)]
    for session in sessions:
        with recording(conference, origin=SYNC):
            Session.objects.filter(pk=session.pk).update(title=session.title + "!")
    with recording(conference, origin=SYNC):
        first = sessions[0]
        Session.objects.filter(pk=first.pk).update(
            starts_at=first.starts_at + timedelta(hours=1),
            ends_at=first.ends_at + timedelta(hours=1),
        )
        Session.objects.filter(pk=sessions[-1].pk).update(cancelled=True)
    return conference, sessions


def kinds(found):
    return {pk: [change.kind for change in changes] for pk, changes in found.items()}


def test_latest_changes_are_the_latest_versions_by_session(django_assert_num_queries):
    conference, sessions = build()

    with django_assert_num_queries(1):
        found = latest_changes(conference)
        versions = {change.version.number for changes in found.values() for change in changes}

    assert kinds(found) == {sessions[0].pk: ["time"], sessions[-1].pk: ["cancelled"]}
    assert versions == {5}


def test_latest_changes_since_a_moment_adds_the_versions_made_since(django_assert_num_queries):
    conference, sessions = build()
    ScheduleVersion.objects.filter(number__lte=3).update(
        created_at=timezone.now() - timedelta(days=2)
    )

    with django_assert_num_queries(1):
        found = latest_changes(conference, since=timezone.now() - timedelta(hours=24))

    # Newest first: version 5's changes, then 4's.
    assert kinds(found) == {sessions[0].pk: ["time"], sessions[2].pk: ["cancelled", "title"]}


def test_no_versions_no_changes():
    conference = ConferenceFactory()

    assert latest_changes(conference) == {}
    assert current_version(conference) is None
    assert versions_with_changes(conference) == []


@pytest.mark.parametrize("talks", [1, 4])
def test_versions_with_changes_newest_first_in_two_queries(django_assert_num_queries, talks):
    conference, sessions = build(talks)

    with django_assert_num_queries(2):
        versions = versions_with_changes(conference, limit=3)
        shown = [
            (v.number, [(c.kind, c.session.slug if c.session else None) for c in v.changes.all()])
            for v in versions
        ]

    latest = talks + 2
    assert [number for number, _ in shown] == [latest, latest - 1, latest - 2]
    # By start time: the cancelled one at 10:00, then the first, moved to 11:00.
    moved = [("time", sessions[0].slug)] if talks > 1 else []  # or moved and cancelled
    assert shown[0][1] == [("cancelled", sessions[-1].slug), *moved]
    assert shown[1][1] == [("title", sessions[-1].slug)]


def test_versions_with_changes_pages_by_number():
    conference, _sessions = build(3)

    older = versions_with_changes(conference, limit=2, before=4)

    assert [version.number for version in older] == [3, 2]


def test_changes_since_a_number_for_some_sessions(django_assert_num_queries):
    conference, sessions = build()
    starred = [sessions[0].pk, sessions[2].pk]

    with django_assert_num_queries(1):
        found = changes_since(conference, 3, starred)
        numbers = {pk: [c.version.number for c in changes] for pk, changes in found.items()}

    assert kinds(found) == {sessions[0].pk: ["time"], sessions[2].pk: ["title", "cancelled"]}
    assert numbers == {sessions[0].pk: [5], sessions[2].pk: [4, 5]}


def test_changes_since_across_conferences_in_one_query(django_assert_num_queries):
    first, first_sessions = build()
    second, second_sessions = build()
    _unseen, unseen_sessions = build()
    starred = [s.pk for s in first_sessions + second_sessions + unseen_sessions]

    with django_assert_num_queries(1):
        found = changes_since_each({first.pk: 4, second: 5}, starred)

    assert kinds(found) == {first_sessions[0].pk: ["time"], first_sessions[2].pk: ["cancelled"]}
    assert changes_since_each({}, starred) == {}


def test_current_numbers(django_assert_num_queries):
    conference, _sessions = build(2)
    fresh = ConferenceFactory()

    with django_assert_num_queries(1):
        numbers = current_numbers([conference, fresh.pk])

    assert numbers == {conference.pk: 4, fresh.pk: 0}
    assert current_version(conference).number == 4


def test_changes_phrase():
    assert changes_phrase({"new": 2, "cancelled": 1, "time": 3}) == "3 moved, 1 cancelled, 2 new"
    assert changes_phrase({"day": 1, "room": 2, "title": 1, "speakers": 1, "restored": 1}) == (
        "1 moved to another day, 2 changed room, 1 retitled, 1 with other speakers, 1 restored"
    )
    assert changes_phrase({}) == ""
