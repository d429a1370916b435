"""The database itself refuses inconsistent programme data, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from notes.models import Note, Photo, Visibility, WriteUp
from sessions.models import Session
from tests.support.factories import (
    ConferenceFactory,
    DayFactory,
    NoteFactory,
    PhotoFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
    WriteUpFactory,
)

pytestmark = pytest.mark.django_db


def test_duplicate_conference_slug_is_refused():
    ConferenceFactory(slug="pycon-kr")
    with pytest.raises(IntegrityError), transaction.atomic():
        ConferenceFactory(slug="pycon-kr")


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (RoomFactory, "slug"),
        (TrackFactory, "slug"),
        (SpeakerFactory, "slug"),
        (SessionFactory, "slug"),
    ],
)
def test_duplicate_slug_within_a_conference_is_refused(factory, field):
    conference = ConferenceFactory()
    factory(conference=conference, **{field: "same"})
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(conference=conference, **{field: "same"})


def test_same_slug_in_two_conferences_is_fine():
    first, second = SessionFactory(slug="keynote"), SessionFactory(slug="keynote")
    assert first.conference != second.conference
    assert Session.objects.filter(slug="keynote").count() == 2


def test_session_that_ends_before_it_starts_is_refused():
    session = SessionFactory()
    session.ends_at = session.starts_at - timedelta(minutes=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_session_of_zero_length_is_refused():
    session = SessionFactory()
    session.ends_at = session.starts_at
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_conference_that_ends_before_it_starts_is_refused():
    conference = ConferenceFactory()
    conference.end_date = conference.start_date - timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        conference.save()


@pytest.mark.parametrize("part", ["day", "room", "track"])
def test_session_on_another_conferences_day_room_or_track_is_refused(part):
    conference = ConferenceFactory()
    session = SessionFactory(conference=conference, track=TrackFactory(conference=conference))
    elsewhere = ConferenceFactory(slug="elsewhere")
    other_parts = {
        "day": DayFactory(conference=elsewhere),
        "room": RoomFactory(conference=elsewhere),
        "track": TrackFactory(conference=elsewhere),
    }
    setattr(session, part, other_parts[part])
    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()
    assert part in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()
    session.refresh_from_db()
    assert getattr(session, part).conference == session.conference


def test_reserved_word_is_refused_as_conference_slug():
    conference = ConferenceFactory.build(slug="admin")
    with pytest.raises(ValidationError) as excinfo:
        conference.full_clean()
    assert "slug" in excinfo.value.message_dict


def test_unknown_time_zone_is_refused():
    conference = ConferenceFactory.build(timezone="Mars/Olympus_Mons")
    with pytest.raises(ValidationError) as excinfo:
        conference.full_clean()
    assert list(excinfo.value.message_dict) == ["timezone"]


def test_one_note_per_author_and_session():
    note = NoteFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        NoteFactory(author=note.author, session=note.session)


def test_markdown_fields_are_rendered_and_sanitized_on_save():
    session = SessionFactory(abstract="**bold** <script>alert(1)</script>")
    assert session.abstract_html == "<p><strong>bold</strong> </p>"
    speaker = SpeakerFactory(bio="[x](javascript:alert(1))")
    assert "javascript" not in speaker.bio_html
    conference = ConferenceFactory(description="# Hello")
    assert conference.description_html == "<h1>Hello</h1>"


class TestVisibleTo:
    """Owner, another signed-in user and an anonymous visitor each see exactly their share."""

    @pytest.fixture
    def world(self):
        from django.contrib.auth.models import AnonymousUser

        owner, other = UserFactory(username="owner"), UserFactory(username="other")
        session = SessionFactory()
        return {
            "owner": owner,
            "other": other,
            "anonymous": AnonymousUser(),
            "private_note": NoteFactory(author=owner, session=session),
            "public_note": NoteFactory(
                author=owner,
                session=SessionFactory(conference=session.conference),
                visibility=Visibility.PUBLIC,
            ),
            "others_private_note": NoteFactory(author=other, session=session),
            "private_photo": PhotoFactory(owner=owner, session=session),
            "public_photo": PhotoFactory(
                owner=owner, session=session, visibility=Visibility.PUBLIC
            ),
            "draft": WriteUpFactory(author=owner, conference=session.conference),
            "published": WriteUpFactory(
                author=other,
                conference=session.conference,
                status=WriteUp.Status.PUBLISHED,
                published_at=session.starts_at,
            ),
        }

    def test_notes(self, world):
        def visible(user):
            return set(Note.objects.visible_to(world[user]))

        assert visible("owner") == {world["private_note"], world["public_note"]}
        assert visible("other") == {world["public_note"], world["others_private_note"]}
        assert visible("anonymous") == {world["public_note"]}
        assert set(Note.objects.public()) == {world["public_note"]}

    def test_photos(self, world):
        def visible(user):
            return set(Photo.objects.visible_to(world[user]))

        assert visible("owner") == {world["private_photo"], world["public_photo"]}
        assert visible("other") == {world["public_photo"]}
        assert visible("anonymous") == {world["public_photo"]}

    def test_writeups(self, world):
        from notes.models import WriteUp

        def visible(user):
            return set(WriteUp.objects.visible_to(world[user]))

        assert visible("owner") == {world["draft"], world["published"]}
        assert visible("other") == {world["published"]}
        assert visible("anonymous") == {world["published"]}
        assert set(WriteUp.objects.published()) == {world["published"]}
