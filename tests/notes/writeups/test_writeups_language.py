"""A write-up's own language: chosen on the compose page (the author's language to begin with),
it decides its page's lang, its day headings, its feed entry and its export — not the language
of whoever reads or downloads it."""

import io
import json
import zipfile

import lxml.html
import pytest
from django.utils import translation
from lxml import etree

from notes.models import WriteUp
from notes.writeups import services
from tests.support.writeup_world import (
    build_conference,
    build_world,
    by_class,
    compose_url,
    detail_url,
    export_url,
    texts,
)

pytestmark = pytest.mark.django_db
ENGLISH = {"Accept-Language": "en"}
KOREAN = {"Accept-Language": "ko"}
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def values(response, xpath) -> list[str]:
    """Attribute values the page holds at xpath."""
    return lxml.html.fromstring(response.content.decode()).xpath(xpath)


def selected_language(response):
    return values(response, "//select[@name='language']/option[@selected]/@value")


def test_a_new_write_up_starts_in_the_authors_language(owner_client, owner):
    world = build_conference()
    response = owner_client.get(compose_url(world.conference), headers=KOREAN)
    assert selected_language(response) == ["ko"]
    # Each language is named in its own words, whatever the page's language.
    assert texts(response, "//select[@name='language']/option") == ["English", "한국어"]
    assert selected_language(owner_client.get(compose_url(world.conference), headers=ENGLISH)) == [
        "en"
    ]
    with translation.override("ko"):
        writeup = services.save_writeup(
            author=owner,
            conference=world.conference,
            title="후기",
            summary="",
            intro="",
            closing="",
            cover_photo=None,
        )
    assert writeup.language == "ko"


def save_in_language(client, world, language):
    """writeup.js's save of the world's write-up, in language."""
    texts = {"title": "후기", "summary": "", "intro": "", "closing": "", "cover_photo": None}
    body = {**texts, "language": language, "base_version": 1}
    return client.post(
        compose_url(world.conference), json.dumps(body), content_type="application/json"
    )


def test_the_compose_page_changes_the_language(owner_client, owner):
    world = build_world(owner)
    response = save_in_language(owner_client, world, "ko")
    assert response.status_code == 200
    assert WriteUp.objects.get(pk=world.writeup.pk).language == "ko"
    assert selected_language(owner_client.get(compose_url(world.conference))) == ["ko"]


def test_an_unknown_language_is_refused(owner_client, owner):
    world = build_world(owner)
    response = save_in_language(owner_client, world, "fr")
    assert response.status_code == 400
    assert response.json() == {
        "error": "Language of the write-up: Select a valid choice. fr is not one of the "
        "available choices."
    }
    assert WriteUp.objects.get(pk=world.writeup.pk).language == "en"


def test_a_korean_write_up_reads_in_korean_in_an_english_browser(client, owner):
    world = build_world(owner, language="ko")
    response = client.get(detail_url(world.writeup), headers=ENGLISH)
    assert values(response, "/html/@lang") == ["en"]  # the site around it speaks the reader's
    assert values(response, "//article/@lang") == ["ko"]
    assert texts(response, "//article//h2[contains(@class, 'post-day-title')]") == [
        "1일차 2025년 8월 15일 (금)",
        "2일차 2025년 8월 16일 (토)",
    ]
    assert texts(response, f"{by_class('post-toc')}/ol/li/a") == ["1일차", "2일차"]


def test_an_english_write_up_reads_in_english_in_a_korean_browser(client, owner):
    world = build_world(owner)
    response = client.get(detail_url(world.writeup), headers=KOREAN)
    assert values(response, "/html/@lang") == ["ko"]
    assert values(response, "//article/@lang") == ["en"]
    assert texts(response, "//article//h2[contains(@class, 'post-day-title')]") == [
        "Day 1 Aug. 15, 2025 (Fri)",
        "Day 2 Aug. 16, 2025 (Sat)",
    ]


def test_each_feed_entry_says_its_language(client, owner):
    build_world(owner, language="ko")
    response = client.get("/feed.xml", headers=ENGLISH)
    feed = etree.fromstring(response.content)
    assert feed.get(XML_LANG) == "en"
    assert [entry.get(XML_LANG) for entry in feed.findall(f"{ATOM}entry")] == ["ko"]


def exported_post(client, writeup, headers):
    response = client.get(export_url(writeup), headers=headers)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return archive.read("2025-08-18-pycon-hugi.md").decode(), archive.read("README.txt").decode()


def test_a_korean_write_up_exports_in_korean_for_an_english_browser(client, owner):
    world = build_world(owner, language="ko")
    post, readme = exported_post(client, world.writeup, ENGLISH)
    assert [line for line in post.splitlines() if line.startswith("## ")] == [
        "## 1일차",
        "## 2일차",
    ]
    assert 'lang: "ko"' in post.splitlines()
    assert "이미지 출처: [발표 자료](https://example.org/slides)" in post
    # The README is for whoever downloads it: their language.
    assert readme.startswith("A write-up exported from hugi:")


def test_an_english_write_up_exports_in_english_for_a_korean_browser(client, owner):
    world = build_world(owner)
    post, _readme = exported_post(client, world.writeup, KOREAN)
    assert [line for line in post.splitlines() if line.startswith("## ")] == [
        "## Day 1",
        "## Day 2",
    ]
    assert "Image source: [발표 자료](https://example.org/slides)" in post
