"""The session page (/<conf>/sessions/<session>/)."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notes.models import Visibility, WriteUp
from sessions.models import Session
from tests.support.factories import (
    NoteFactory,
    PhotoFactory,
    SessionFactory,
    SpeakerFactory,
    StarFactory,
    UserFactory,
    WriteUpFactory,
)
from tests.support.public_programme import build_programme, by_class, page, seoul, texts

pytestmark = pytest.mark.django_db


def session_url(session):
    return reverse(
        "public:session", kwargs={"conf": session.conference.slug, "session": session.slug}
    )


@pytest.fixture
def talk():
    conference = build_programme(3)
    talk = Session.objects.get(slug="talk-0")
    talk.subtitle = "가드레일 설계"
    talk.kind = Session.Kind.KEYNOTE
    talk.language = "ko"
    talk.level = Session.Level.INTERMEDIATE
    talk.abstract = "LLM 서비스의 **가드레일**."
    talk.description = "Longer <script>alert(1)</script> text."
    talk.slides_url = "https://example.org/slides"
    talk.video_url = "javascript:alert(1)"
    talk.links = [
        {"title": "Repository", "url": "https://example.org/repo"},
        {"title": "Bad", "url": "javascript:alert(2)"},
        "not a link",
    ]
    talk.save()
    assert talk.conference == conference
    return talk


def test_session_page_shows_what_when_where_and_who(client, talk):
    response = client.get(session_url(talk))
    assert response.status_code == 200
    assert texts(response, "//h1") == ["선 넘지 않는 윤리적인 LLM 솔루션 구축"]
    assert texts(response, by_class("subtitle")) == ["가드레일 설계"]
    facts = dict(
        zip(
            texts(response, f"{by_class('facts')}//dt"),
            texts(response, f"{by_class('facts')}//dd"),
            strict=True,
        )
    )
    assert facts == {
        "When": "Aug. 15, 2025 (Fri) 10:00–10:40 · 40 minutes "
        "Times in Asia/Seoul (UTC+09:00) Show in my time zone",
        "Room": "101호",
        "Track": "AI · ML",
        "Kind": "Keynote",
        "Language": "Korean",
        "Level": "Intermediate",
    }
    assert page(response).xpath(f"{by_class('facts')}//time/@datetime") == [
        "2025-08-15T10:00:00+09:00",
        "2025-08-15T10:40:00+09:00",
    ]
    assert texts(response, f"{by_class('people')}//a") == ["발표자 0a", "Speaker 0b"]
    assert page(response).xpath(f"{by_class('people')}//a/@href") == [
        "/pycon-kr/speakers/sp-0a/",
        "/pycon-kr/speakers/sp-0b/",
    ]


def test_abstract_and_description_are_the_sanitized_markdown(client, talk):
    doc = page(client.get(session_url(talk)))
    assert doc.xpath(f"{by_class('abstract')}//strong/text()") == ["가드레일"]
    assert doc.xpath("//main//script") == []


def test_only_safe_links_are_shown(client, talk):
    response = client.get(session_url(talk))
    links = page(response).xpath(f"{by_class('link-list')}//a")
    assert [(a.text, a.get("href")) for a in links] == [
        ("Slides", "https://example.org/slides"),
        ("Repository", "https://example.org/repo"),
    ]


def test_add_to_calendar_links_to_the_session_ics(client, talk):
    hrefs = page(client.get(session_url(talk))).xpath("//a[text()='Add to calendar']/@href")
    assert hrefs == ["/pycon-kr/sessions/talk-0.ics"]


def test_previous_and_next_in_the_same_room(client, talk):
    response = client.get(session_url(Session.objects.get(slug="talk-2")))
    # talk-2 is at 10:50 in room 101, after talk-0; talk-1 is in room 102.
    assert texts(response, by_class("pager-prev")) == [
        "Before in this room 선 넘지 않는 윤리적인 LLM 솔루션 구축"
    ]
    assert texts(response, by_class("pager-next")) == []


def test_public_notes_and_photos_are_shown_with_their_authors(client, talk):
    writer = UserFactory(username="minji", first_name="민지", last_name="")
    NoteFactory(
        author=writer,
        session=talk,
        body_html="<p>Public thoughts</p>",
        visibility=Visibility.PUBLIC,
    )
    WriteUpFactory(
        author=writer,
        conference=talk.conference,
        status=WriteUp.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    PhotoFactory(owner=writer, session=talk, caption="Slide 3", visibility=Visibility.PUBLIC)
    response = client.get(session_url(talk))
    assert texts(response, by_class("note-author")) == ["민지"]
    assert texts(response, f"{by_class('note')}//{by_class('prose')[2:]}") == ["Public thoughts"]
    assert page(response).xpath(f"{by_class('note-head')}//a/@href") == [
        "/pycon-kr/writeups/minji/"
    ]
    assert texts(response, "//figure//figcaption") == ["Slide 3"]


def test_private_notes_and_photos_never_appear(owner_client, owner, talk):
    NoteFactory(
        author=owner, session=talk, body_html="<p>Secret note</p>", visibility=Visibility.PRIVATE
    )
    PhotoFactory(owner=owner, session=talk, caption="Secret photo", visibility=Visibility.PRIVATE)
    anonymous = Client()
    for visitor in (anonymous, owner_client):  # not even to their owner, on a public page
        body = visitor.get(session_url(talk)).content.decode()
        assert "Secret note" not in body
        assert "Secret photo" not in body
        assert "Notes from attendees" not in body
    for path in [
        "/",
        "/pycon-kr/",
        "/pycon-kr/schedule/2025-08-15/",
        "/pycon-kr/speakers/",
        "/pycon-kr/speakers/sp-0a/",
        "/sitemap.xml",
    ]:
        body = anonymous.get(path).content.decode()
        assert "Secret" not in body, path


def test_a_draft_write_up_is_not_linked(client, talk):
    writer = UserFactory(username="drafty")
    NoteFactory(author=writer, session=talk, visibility=Visibility.PUBLIC)
    WriteUpFactory(author=writer, conference=talk.conference)  # a draft
    response = client.get(session_url(talk))
    assert page(response).xpath(f"{by_class('note-head')}//a") == []


def test_signed_in_visitor_gets_a_star_button_and_a_notes_link(owner_client, owner, talk):
    StarFactory(user=owner, session=talk)
    doc = page(owner_client.get(session_url(talk)))
    assert doc.xpath("//form[@data-star-form]//button/@aria-pressed") == ["true"]
    assert doc.xpath("//a[text()='Take notes']/@href") == [f"/notes/{talk.pk}/"]


def test_anonymous_visitor_gets_a_sign_in_hint_instead_of_a_star(client, talk):
    response = client.get(session_url(talk))
    assert page(response).xpath("//form[@data-star-form]") == []
    assert texts(response, by_class("hint")) == ["Sign in to star this session and take notes."]


def test_session_at_half_past_midnight_in_seoul_is_on_the_next_day(client):
    conference = build_programme(1)
    late = SessionFactory(
        conference=conference,
        day=conference.days.get(index=2),
        room=conference.rooms.first(),
        slug="late",
        starts_at=seoul(date(2025, 8, 16), 0, 30),
        ends_at=seoul(date(2025, 8, 16), 1, 15),
    )
    response = client.get(session_url(late))
    assert texts(response, f"{by_class('facts')}//dd")[0].startswith(
        "Aug. 16, 2025 (Sat) 00:30–01:15 · 45 minutes"
    )


def test_social_cards_describe_the_session(client, talk):
    doc = page(client.get(session_url(talk)))
    meta = {
        element.get("property") or element.get("name"): element.get("content")
        for element in doc.xpath("//head/meta[@content]")
    }
    assert meta["og:title"] == "선 넘지 않는 윤리적인 LLM 솔루션 구축"
    assert meta["og:description"] == "LLM 서비스의 가드레일."
    assert meta["og:type"] == "article"
    assert meta["twitter:title"] == "선 넘지 않는 윤리적인 LLM 솔루션 구축"


@pytest.mark.parametrize(
    "path",
    [
        "/pycon-kr/sessions/no-such-talk/",
        "/other-conference/sessions/talk-0/",
        "/pycon-kr/sessions/talk-0/extra/",
        "/pycon-kr/sessions/<script>/",
    ],
)
def test_unknown_sessions_are_404(client, talk, path):
    assert client.get(path).status_code == 404


def test_a_session_of_another_conference_is_404_under_this_one(client, talk):
    other = SessionFactory(slug="elsewhere")
    assert client.get(f"/pycon-kr/sessions/{other.slug}/").status_code == 404
    assert client.get(session_url(other)).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_session_page_runs_nine_queries_whatever_the_number_of_notes_photos_and_speakers(
    client, django_assert_num_queries, talk, count
):
    for index in range(count):
        writer = UserFactory(username=f"writer{index}")
        NoteFactory(author=writer, session=talk, visibility=Visibility.PUBLIC)
        PhotoFactory(owner=writer, session=talk, visibility=Visibility.PUBLIC)
        WriteUpFactory(
            author=writer,
            conference=talk.conference,
            status=WriteUp.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        extra = SpeakerFactory(conference=talk.conference)
        talk.session_speakers.create(speaker=extra, order=10 + index)
        SessionFactory(
            conference=talk.conference,
            day=talk.day,
            room=talk.room,
            starts_at=talk.starts_at + timedelta(hours=5 + index),
            ends_at=talk.starts_at + timedelta(hours=5 + index, minutes=30),
        )
    # the conference's stamp, session (with conference, day, room, track), speakers, notes,
    # photos, write-ups, before, after, its changes in the latest version
    with django_assert_num_queries(9):
        response = client.get(session_url(talk))
    assert len(texts(response, f"{by_class('writeup-list')}/li")) == count
    assert len(texts(response, by_class("note"))) == count
    assert len(texts(response, "//figure")) == count
    assert len(texts(response, f"{by_class('people')}/li")) == 2 + count


def test_a_photo_inside_a_note_is_sized_and_offers_every_rendition(client):
    from notes import services
    from notes.photos import services as photo_services
    from notes.photos.links import display_url, photo_markdown
    from tests.support.factories import UserFactory
    from tests.support.photo_corpus import phone_jpeg, upload

    build_programme(1)
    session = Session.objects.get(slug="talk-0")
    author = UserFactory(username="snapper")
    photo = photo_services.add_photo(
        owner=author,
        session=session,
        upload=upload(phone_jpeg((2000, 1500), orientation=1)),
        caption="Slide",
        visibility=Visibility.PUBLIC,
    )
    services.save_note(
        author=author,
        session=session,
        body=f"Look:\n\n{photo_markdown(photo)}\n",
        visibility="public",
        base_version=0,
    )
    image = page(client.get(session.get_absolute_url())).xpath(
        f"//*[contains(@class, 'note')]//img[@src='{display_url(photo)}']"
    )[0]
    assert (image.get("width"), image.get("height")) == ("2000", "1500")
    assert image.get("loading") == "lazy"
    widths = [candidate.split()[-1] for candidate in image.get("srcset").split(", ")]
    assert widths == ["480w", "960w", "1600w", "2000w"]
    assert image.get("sizes")
