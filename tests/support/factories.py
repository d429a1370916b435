"""Factories for real objects in the real test database."""

from datetime import UTC, date, datetime, timedelta

import factory
from django.contrib.auth import get_user_model

from notes.models import Note, Photo, Star, Visibility, WriteUp
from sessions.models import Conference, Day, Room, Session, SessionSpeaker, Speaker, Track


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    name = factory.Sequence(lambda n: f"PyCon Test {n}")
    slug = factory.Sequence(lambda n: f"pycon-test-{n}")
    timezone = "Asia/Seoul"
    start_date = date(2025, 8, 15)
    end_date = date(2025, 8, 16)


class DayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Day

    conference = factory.SubFactory(ConferenceFactory)
    index = factory.Sequence(lambda n: n + 1)
    date = factory.LazyAttribute(lambda d: d.conference.start_date + timedelta(days=d.index - 1))


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    slug = factory.Sequence(lambda n: f"room-{n}")
    order = factory.Sequence(lambda n: n)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"Track {n}")
    slug = factory.Sequence(lambda n: f"track-{n}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"Speaker {n}")
    slug = factory.Sequence(lambda n: f"speaker-{n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    conference = factory.SubFactory(ConferenceFactory)
    day = factory.LazyAttribute(
        lambda s: Day.objects.get_or_create(
            conference=s.conference, date=s.conference.start_date, defaults={"index": 1}
        )[0]
    )
    room = factory.LazyAttribute(lambda s: RoomFactory(conference=s.conference))
    title = factory.Sequence(lambda n: f"Session {n}")
    slug = factory.Sequence(lambda n: f"session-{n}")
    # 10:00 Asia/Seoul on the first day, unless given.
    starts_at = factory.LazyAttribute(
        lambda s: datetime.combine(s.day.date, datetime.min.time(), tzinfo=UTC) + timedelta(hours=1)
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(minutes=40))

    @factory.post_generation
    def speakers(self, create, extracted, **kwargs):
        if create and extracted:
            for order, speaker in enumerate(extracted):
                SessionSpeaker.objects.create(session=self, speaker=speaker, order=order)


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    author = factory.SubFactory(UserFactory)
    session = factory.SubFactory(SessionFactory)
    body = factory.Sequence(lambda n: f"Note number {n}")
    body_html = factory.LazyAttribute(lambda n: f"<p>{n.body}</p>")
    visibility = Visibility.PRIVATE


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    owner = factory.SubFactory(UserFactory)
    session = factory.SubFactory(SessionFactory)
    image = factory.django.ImageField(width=64, height=48, format="JPEG")
    visibility = Visibility.PRIVATE


class StarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Star

    user = factory.SubFactory(UserFactory)
    session = factory.SubFactory(SessionFactory)


class WriteUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WriteUp

    author = factory.SubFactory(UserFactory)
    conference = factory.SubFactory(ConferenceFactory)
    title = factory.Sequence(lambda n: f"Write-up {n}")
