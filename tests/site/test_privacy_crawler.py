"""The privacy proof: a crawler reads everything anonymous visitors and another signed-in user
can reach, and no private note, photo or draft — nor a private photo's address — is in it.

The site is made with the real services (save_note, add_photo, the write-up services), and the
crawl starts from every public entry point: the home page, the sitemap, the feed, robots.txt,
each conference's exports, the write-up pages and their export.zip, and searches for every
marker and for words that only private notes hold. It follows every same-site link breadth-first.
"""

from urllib.parse import urlencode

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from notes.models import Note, Photo, Visibility
from notes.photos.links import display_url, file_names, photo_url
from tests.support.crawl import body_of, crawl
from tests.support.hardening_world import build_site, embed_private_photo_in_public_note, marker_id

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "other"]


@pytest.fixture
def site():
    return build_site()


def client_as(site, persona) -> Client:
    client = Client()
    if persona == "other":
        client.force_login(site.other)
    return client


def seeds(site) -> list[str]:
    urls = ["/", "/sitemap.xml", "/feed.xml", "/robots.txt", reverse("public:search") + "?q=talk"]
    for conference in (site.conference, site.second):
        slug = conference.slug
        urls += [
            conference.get_absolute_url(),
            reverse("public:schedule_xml", kwargs={"conf": slug}),
            reverse("public:schedule_json", kwargs={"conf": slug}),
            reverse("public:schedule_ics", kwargs={"conf": slug}),
            reverse("public:writeup", kwargs={"conf": slug, "username": "owner"}),
            reverse("public:writeup_export", kwargs={"conf": slug, "username": "owner"}),
            # What another signed-in user has of their own there: nothing of the owner's.
            reverse("writeups:compose", kwargs={"conf": slug}),
            reverse("writeups:preview", kwargs={"conf": slug}),
        ]
    for session in site.sessions:
        urls += [
            reverse("notes:editor", args=[session.pk]),
            reverse("photos:manager", args=[session.pk]),
        ]
    # A search page repeats what was searched for, so it searches for part of each secret.
    words = [marker_id(text) for text in site.private_markers + site.public_markers]
    for word in [*words, *site.private_words]:
        for extra in ({}, {"type": "notes"}, {"conference": site.conference.slug}):
            urls.append(reverse("public:search") + "?" + urlencode({"q": word, **extra}))
    return urls


@pytest.fixture
def crawls(site):
    return {persona: crawl(client_as(site, persona), seeds(site)) for persona in PERSONAS}


def test_no_private_marker_or_private_photo_address_reaches_anyone_else(site, crawls):
    secrets = [
        *site.private_markers,
        *site.private_words.values(),
        *site.private_photo_urls(),
    ]
    leaks = {
        persona: {secret: found.find(secret) for secret in secrets if found.find(secret)}
        for persona, found in crawls.items()
    }
    assert leaks == {"anonymous": {}, "other": {}}


def test_the_crawl_reaches_every_public_marker_and_finishes(site, crawls):
    for persona, found in crawls.items():
        assert not found.limit_reached, persona
        missing = [marker for marker in site.public_markers if not found.find(marker)]
        assert missing == [], persona
        # Markers are found in pages, exports and the zip alike, not in one place by chance.
        writeup = site.public_markers[-1]
        places = found.find(writeup)
        assert any("export.zip → " in place for place in places), persona
        assert any(place.startswith("/feed.xml") for place in places), persona


def test_the_crawl_reads_public_photos_and_every_kind_of_page(site, crawls):
    public_photo = site.public_photos[0]
    for persona, found in crawls.items():
        statuses = found.statuses()
        assert statuses[display_url(public_photo)] == 200, persona
        for session in site.sessions:
            assert statuses[session.get_absolute_url()] == 200, persona
        assert statuses[site.speaker.get_absolute_url()] == 200, persona
        assert statuses["/pycon-kr/schedule/2025-08-16/"] == 200, persona
        assert len(found.documents) > 60, persona


def test_the_crawl_meets_no_server_error(crawls):
    for persona, found in crawls.items():
        errors = {url: status for url, status in found.statuses().items() if status >= 500}
        assert errors == {}, persona


def test_the_same_searches_find_the_private_notes_for_their_owner(site):
    """So the searches above would have shown a leak: they do find the owner's notes."""
    owner = Client()
    owner.force_login(site.owner)
    word, phrase = next(iter(site.private_words.items()))
    for query, expected in (
        (marker_id(site.private_markers[0]), site.private_markers[0]),
        (word, phrase),
    ):
        response = owner.get(reverse("public:search"), {"q": query, "type": "notes"})
        assert expected in page_text(response), query


# --- each private object's own addresses ---


def page_text(response) -> str:
    return lxml.html.fromstring(response.content.decode()).text_content()


def someone_else(site):
    return {"anonymous": Client(), "other": client_as(site, "other")}


def test_private_photo_files_are_404_to_everyone_else_and_200_to_the_owner(site):
    owner = Client()
    owner.force_login(site.owner)
    for photo in site.private_photos:
        for rendition in file_names(photo):
            url = photo_url(photo, rendition)
            for persona, client in someone_else(site).items():
                assert client.get(url).status_code == 404, (persona, url)
            response = owner.get(url)
            assert response.status_code == 200, url
            assert body_of(response)[:3] in (b"\xff\xd8\xff", b"RIF"), url  # JPEG or WebP


def test_a_draft_write_up_and_its_export_are_404_to_everyone_else(site):
    kwargs = {"conf": site.second.slug, "username": "owner"}
    for name in ("public:writeup", "public:writeup_export"):
        url = reverse(name, kwargs=kwargs)
        for persona, client in someone_else(site).items():
            response = client.get(url)
            assert response.status_code == 404, (persona, url)
    owner = Client()
    owner.force_login(site.owner)
    draft = owner.get(reverse("public:writeup", kwargs=kwargs))
    assert draft.status_code == 200
    assert site.draft.title in draft.content.decode()


def test_changing_a_private_photo_is_404_to_another_user_and_changes_nothing(site):
    photo = site.private_photos[0]
    before = Photo.objects.filter(pk=photo.pk).values().get()
    other = client_as(site, "other")
    for name, data in (
        ("photos:update", {"caption": "taken over", "visibility": "public"}),
        ("photos:reorder", {"direction": "up"}),
        ("photos:delete", {}),
    ):
        assert other.post(reverse(name, args=[photo.pk]), data).status_code == 404, name
    assert Photo.objects.filter(pk=photo.pk).values().get() == before


def test_the_editor_and_photo_manager_of_a_session_show_another_user_only_their_own(site):
    note = site.private_notes[0]
    photo = site.private_photos[0]
    other = client_as(site, "other")
    for url, secret in (
        (reverse("notes:editor", args=[note.session_id]), site.private_markers[0]),
        (reverse("photos:manager", args=[photo.session_id]), photo.caption),
    ):
        response = other.get(url)
        assert response.status_code == 200, url
        assert secret not in response.content.decode(), url
        anonymous = Client().get(url)
        assert anonymous.status_code == 302, url
        assert anonymous["Location"].startswith(reverse("login")), url


def test_another_users_save_on_the_same_session_never_touches_the_owners_note(site):
    note = site.private_notes[0]
    other = client_as(site, "other")
    response = other.post(
        reverse("notes:save", args=[note.session_id]),
        {"body": "mine", "visibility": "public", "base_version": note.version},
        content_type="application/json",
    )
    # Their own note does not exist yet, so a save based on the owner's version is stale.
    assert response.status_code == 409
    assert response.json()["body"] == ""
    assert Note.objects.get(pk=note.pk).body == note.body


def test_a_private_photo_left_in_a_public_note_does_not_show_its_address(site):
    photo = embed_private_photo_in_public_note(site)
    assert photo.visibility == Visibility.PRIVATE
    found = crawl(Client(), seeds(site))
    addresses = {url: found.find(url) for url in site.private_photo_urls() if found.find(url)}
    assert addresses == {}
