"""Assembling a write-up's body: the author's public notes, by day, in the author's order."""

import pytest
from django.utils import translation

from notes.models import Note, Visibility
from notes.writeups import services
from notes.writeups.assembly import (
    assemble,
    covering,
    published_writeups_by,
    published_writeups_for_conference,
    reading_minutes,
)
from tests.support.factories import UserFactory
from tests.support.writeup_world import add_note, add_photo, add_session, build_world

pytestmark = pytest.mark.django_db


def outline(body, *, shown=True):
    days = body.shown_days if shown else body.days
    return [
        (day.heading, [entry.session.slug for entry in (day.shown if shown else day.entries)])
        for day in days
    ]


def test_public_notes_are_grouped_by_day_and_ordered_by_time(owner):
    world = build_world(owner)
    assert outline(assemble(world.writeup)) == [
        ("Day 1", ["talk-d1-morning", "talk-d1-afternoon"]),
        ("Day 2", ["talk-d2-morning"]),
    ]


def test_day_headings_follow_the_language(owner):
    world = build_world(owner)
    with translation.override("ko"):
        headings = [day.heading for day in assemble(world.writeup).days]
    # The Korean catalogue says "%(index)s일차"; without it the English words stay.
    assert headings in (["1일차", "2일차"], ["Day 1", "Day 2"])


def test_a_left_out_session_is_not_shown_but_stays_listed_for_composing(owner):
    world = build_world(owner)
    services.set_left_out(
        writeup=world.writeup, session=world.sessions["d1-afternoon"], left_out=True
    )
    world.writeup.refresh_from_db()
    body = assemble(world.writeup)
    assert outline(body) == [("Day 1", ["talk-d1-morning"]), ("Day 2", ["talk-d2-morning"])]
    assert outline(body, shown=False) == [
        ("Day 1", ["talk-d1-morning", "talk-d1-afternoon"]),
        ("Day 2", ["talk-d2-morning"]),
    ]
    assert [entry.left_out for entry in body.days[0].entries] == [False, True]


def test_a_day_whose_sessions_are_all_left_out_disappears(owner):
    world = build_world(owner)
    services.set_left_out(
        writeup=world.writeup, session=world.sessions["d2-morning"], left_out=True
    )
    world.writeup.refresh_from_db()
    assert [day.heading for day in assemble(world.writeup).shown_days] == ["Day 1"]


def test_putting_a_session_back_shows_it_again(owner):
    world = build_world(owner)
    session = world.sessions["d1-afternoon"]
    services.set_left_out(writeup=world.writeup, session=session, left_out=True)
    services.set_left_out(writeup=world.writeup, session=session, left_out=False)
    world.writeup.refresh_from_db()
    assert world.writeup.layout["left_out"] == []
    assert outline(assemble(world.writeup))[0] == (
        "Day 1",
        ["talk-d1-morning", "talk-d1-afternoon"],
    )


def test_moving_a_session_reorders_it_within_its_day_only(owner):
    world = build_world(owner)
    services.move_session(
        writeup=world.writeup, session=world.sessions["d1-afternoon"], direction="up"
    )
    world.writeup.refresh_from_db()
    assert outline(assemble(world.writeup)) == [
        ("Day 1", ["talk-d1-afternoon", "talk-d1-morning"]),
        ("Day 2", ["talk-d2-morning"]),
    ]
    # The first of a day cannot go further up; the last of a day does not move into the next.
    services.move_session(
        writeup=world.writeup, session=world.sessions["d1-afternoon"], direction="up"
    )
    services.move_session(
        writeup=world.writeup, session=world.sessions["d1-morning"], direction="down"
    )
    world.writeup.refresh_from_db()
    assert outline(assemble(world.writeup)) == [
        ("Day 1", ["talk-d1-afternoon", "talk-d1-morning"]),
        ("Day 2", ["talk-d2-morning"]),
    ]


def test_a_note_written_after_reordering_takes_its_place_by_time(owner):
    world = build_world(owner)
    services.move_session(
        writeup=world.writeup, session=world.sessions["d1-afternoon"], direction="up"
    )
    add_session(world, "d1-noon", day_index=1, hour=12)
    add_note(world, "d1-noon", owner, "Lunch talk.")
    world.writeup.refresh_from_db()
    assert outline(assemble(world.writeup))[0] == (
        "Day 1",
        ["talk-d1-afternoon", "talk-d1-noon", "talk-d1-morning"],
    )


def test_a_layout_with_junk_is_read_as_far_as_it_makes_sense(owner):
    world = build_world(owner)
    afternoon, morning = world.sessions["d1-afternoon"].pk, world.sessions["d1-morning"].pk
    world.writeup.layout = {
        "left_out": ["x", None, True, 99999],
        "order": [afternoon, "y", False, morning],
    }
    world.writeup.save()
    assert outline(assemble(world.writeup))[0] == (
        "Day 1",
        ["talk-d1-afternoon", "talk-d1-morning"],
    )
    world.writeup.layout = ["not", "a", "dict"]
    assert outline(assemble(world.writeup))[0] == (
        "Day 1",
        ["talk-d1-morning", "talk-d1-afternoon"],
    )


def test_only_the_authors_public_notes_and_photos_enter(owner):
    world = build_world(owner)
    body = assemble(world.writeup)
    slugs = [entry.session.slug for entry in body.entries]
    assert "talk-d1-private" not in slugs
    morning = body.days[0].entries[0]
    assert morning.note == world.notes["d1-morning"]
    assert [photo.caption for photo in morning.photos] == ["가드레일 슬라이드"]
    assert [photo.caption for photo in body.photos] == ["가드레일 슬라이드"]


def test_a_session_heading_names_its_speakers_in_order(owner):
    world = build_world(owner)
    headings = [entry.heading for entry in assemble(world.writeup).entries]
    assert headings == [
        "발표 d1-morning (이서연, 정민준)",
        "발표 d1-afternoon (Hannah Becker)",
        "발표 d2-morning (박해선)",
    ]


def test_an_empty_public_note_without_photos_is_skipped(owner):
    world = build_world(owner)
    add_session(world, "empty", day_index=1, hour=16)
    add_note(world, "empty", owner, "   ")
    assert "talk-empty" not in [e.session.slug for e in assemble(world.writeup).entries]


def test_a_photo_shown_inside_the_note_is_not_repeated_after_it(owner):
    world = build_world(owner)
    photo = world.photos["slide"]
    note = world.notes["d1-morning"]
    note.body = f"Look: ![슬라이드](/photos/{photo.pk}/960/)"
    note.save()
    entry = assemble(world.writeup).days[0].entries[0]
    assert entry.photos == []
    assert entry.all_photos == [photo]


def test_assembly_runs_a_fixed_number_of_queries(django_assert_num_queries, owner):
    small = build_world(owner)
    with django_assert_num_queries(3):
        assert len(assemble(small.writeup).entries) == 3
    big = build_world(UserFactory(username="bigger"), extra_sessions=6, slug="bigger-conf")
    with django_assert_num_queries(3):
        body = assemble(big.writeup)
        assert len(body.entries) == 9
        assert all(entry.heading and entry.url for entry in body.entries)
        assert len([p for e in body.entries for p in e.photos]) == 7


def test_reading_time_counts_korean_characters_and_words(owner):
    world = build_world(owner)
    writeup = world.writeup
    writeup.intro_html = "<p>" + "가" * 1000 + "</p>"  # two minutes of Korean
    writeup.closing_html = "<p>" + "word " * 400 + "</p>"  # two minutes of English
    assert reading_minutes(writeup, assemble(writeup)) == 5  # plus the notes, rounded up
    writeup.intro_html = writeup.closing_html = ""
    assert reading_minutes(writeup, assemble(writeup)) == 1


def about(session):
    """The write-ups a session's page lists: by authors with a public note on it, as the view
    asks for them."""
    authors = {note.author_id for note in Note.objects.public().filter(session=session)}
    return covering(published_writeups_by(session.conference, authors), session)


def test_published_writeups_for_a_conference_and_for_a_session(owner):
    world = build_world(owner)
    morning = world.sessions["d1-morning"]
    assert published_writeups_for_conference(world.conference) == [world.writeup]
    assert about(morning) == [world.writeup]
    assert about(world.sessions["d1-private"]) == []
    services.set_left_out(writeup=world.writeup, session=morning, left_out=True)
    assert about(morning) == []
    services.unpublish(writeup=world.writeup)
    assert published_writeups_for_conference(world.conference) == []


def test_private_photos_of_the_author_never_enter(owner):
    world = build_world(owner)
    add_photo(world, "late", owner, "d2-morning", "late private", Visibility.PRIVATE)
    captions = [photo.caption for photo in assemble(world.writeup).photos]
    assert captions == ["가드레일 슬라이드"]


def test_the_selectors_run_one_query_each(owner, django_assert_num_queries):
    world = build_world(owner)
    for index in range(3):
        other = build_world(UserFactory(username=f"co-{index}"), slug=f"c-{index}")
        assert other.writeup.pk
    with django_assert_num_queries(1):
        writeups = published_writeups_for_conference(world.conference)
        assert [w.author.username for w in writeups] == ["owner"]
        assert writeups[0].conference.name == "파이콘 한국 2025"
    with django_assert_num_queries(1):
        writeups = published_writeups_by(world.conference, {world.writeup.author_id})
        assert [w.author.username for w in writeups] == ["owner"]
