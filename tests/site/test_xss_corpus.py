"""The XSS corpus against the one Markdown renderer, and against every page that shows a field a
person or an imported schedule supplies. (tests/browser/test_xss.py opens the same pages in
Chromium and watches for a payload that runs.)"""

import io
import re
import zipfile

import lxml.etree
import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from core.markdown import render_markdown
from sessions.models import Session, Speaker
from tests.support.crawl import body_of
from tests.support.page_checks import csp_nonce
from tests.support.xss_payloads import (
    CORPUS,
    JS,
    PAYLOADS,
    build_xss_site,
    markdown_dangers,
    page_dangers,
)


def test_the_corpus_has_at_least_fifty_different_payloads():
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 50


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendered_markdown_of_each_payload_holds_nothing_that_runs(payload):
    html = render_markdown(payload)
    assert markdown_dangers(html) == []
    assert not re.search(r"<script|<iframe|<svg|<style|<form|<meta", html, re.IGNORECASE)


def test_rendered_markdown_of_the_whole_corpus_holds_nothing_that_runs():
    html = render_markdown(CORPUS)
    assert markdown_dangers(html) == []
    # The payloads' words stay readable text (an unclosed block tag early on makes Markdown
    # take the rest as raw HTML, which the sanitizer then strips of its tags).
    text = lxml.html.fragment_fromstring(html, create_parent="div").text_content()
    assert "md link" in text
    assert "hover me" in text


@pytest.mark.parametrize(
    "payload",
    [PAYLOADS[0], PAYLOADS[5], PAYLOADS[18], PAYLOADS[27], PAYLOADS[66]],
)
def test_the_check_finds_each_danger_in_unsanitized_html(payload):
    """The checker is not blind: the raw payloads, unsanitized, are caught."""
    assert markdown_dangers(payload) != []


def test_markdown_links_keep_only_safe_schemes():
    html = render_markdown(
        "[a](https://example.org/a) [b](http://example.org/b) [c](mailto:x@example.org) "
        "[d](/pycon/sessions/x/) [e](javascript:alert(1)) [f](data:text/html,x)"
    )
    hrefs = [a.get("href") for a in lxml.html.fragment_fromstring(html, "div").iter("a")]
    assert hrefs == [
        "https://example.org/a",
        "http://example.org/b",
        "mailto:x@example.org",
        "/pycon/sessions/x/",
        None,
        None,
    ]


def test_a_photo_credit_address_must_be_a_web_address(db, owner):
    from django.core.exceptions import ValidationError

    from notes.photos import services as photo_services
    from tests.support.factories import SessionFactory
    from tests.support.photo_corpus import phone_jpeg, upload

    photo = photo_services.add_photo(
        owner=owner, session=SessionFactory(), upload=upload(phone_jpeg((320, 240)))
    )
    for address in (f"javascript:{JS}", "data:text/html,x", "vbscript:msgbox(1)"):
        with pytest.raises(ValidationError):
            photo_services.update_photo(
                photo=photo, caption="", credit="", credit_url=address, visibility="private"
            )


# --- every page that shows the fields ---


@pytest.fixture
def xss_site(db, tmp_path):
    return build_xss_site(tmp_path)


def pages(site) -> list[tuple[str, str]]:
    """(who, url): everything that shows a payload, as anonymous visitors and the owner."""
    urls = [("anonymous", "/"), ("anonymous", reverse("public:writeup_feed"))]
    for conference in [site.conference, *site.imported]:
        slug = conference.slug
        urls += [
            ("anonymous", conference.get_absolute_url()),
            ("anonymous", reverse("public:speakers", kwargs={"conf": slug})),
        ]
        urls += [("anonymous", day.get_absolute_url()) for day in conference.days.all()]
        urls += [
            ("anonymous", session.get_absolute_url())
            for session in Session.objects.filter(conference=conference)
        ]
        urls += [
            ("anonymous", speaker.get_absolute_url())
            for speaker in Speaker.objects.filter(conference=conference)
        ]
    detail = reverse("public:writeup", kwargs={"conf": "xss", "username": "owner"})
    corpus = site.corpus_session
    urls += [
        ("anonymous", detail),
        ("anonymous", reverse("public:search") + "?q=xss"),
        ("anonymous", reverse("public:search") + "?q=script&type=sessions"),
        ("owner", reverse("public:search") + "?q=script&type=notes"),
        ("owner", reverse("public:search") + "?q=alert"),
        ("owner", reverse("notes:me")),
        ("owner", reverse("notes:editor", args=[corpus.pk])),
        ("owner", reverse("photos:manager", args=[corpus.pk])),
        ("owner", reverse("writeups:compose", kwargs={"conf": "xss"})),
        ("owner", reverse("writeups:preview", kwargs={"conf": "xss"})),
        ("owner", reverse("writeups:mine")),
        ("owner", corpus.get_absolute_url()),
        ("owner", site.conference.get_absolute_url()),
    ]
    return urls


def test_no_page_showing_the_payloads_holds_anything_that_runs(xss_site):
    clients = {"anonymous": Client(), "owner": Client()}
    clients["owner"].force_login(xss_site.owner)
    problems = {}
    checked = 0
    for who, url in pages(xss_site):
        response = clients[who].get(url)
        assert response.status_code == 200, url
        content_type = response["Content-Type"]
        if content_type.startswith("text/html"):
            found = page_dangers(response.content.decode(), csp_nonce(response))
        else:  # the Atom feed: the HTML inside each entry
            feed = lxml.etree.fromstring(response.content)
            found = [
                problem
                for content in feed.iter("{http://www.w3.org/2005/Atom}content")
                for problem in markdown_dangers(content.text or "")
            ]
        checked += 1
        if found:
            problems[f"{url} as {who}"] = found
    assert problems == {}
    assert checked > 200  # every session and speaker page of three conferences


def test_titles_and_names_show_the_payloads_as_text(xss_site):
    """Escaped, not dropped: the visitor reads what the organiser typed."""
    client = Client()
    for index in (0, 5, 18, 52):
        session = Session.objects.get(conference=xss_site.conference, slug=f"talk-{index}")
        page = lxml.html.fromstring(client.get(session.get_absolute_url()).content.decode())
        assert page.findtext(".//h1") == f"{PAYLOADS[index][:280]} xss{index}"
    imported = Session.objects.get(conference__slug="xssjson", slug="xss-0")
    assert imported.title == f"{PAYLOADS[0]} j0"
    page = lxml.html.fromstring(client.get(imported.get_absolute_url()).content.decode())
    assert page.findtext(".//h1") == f"{PAYLOADS[0]} j0"


def test_imported_javascript_links_are_dropped_and_web_links_kept(xss_site):
    for conference in xss_site.imported:
        for session in Session.objects.filter(conference=conference):
            assert "javascript" not in session.website_url.lower()
            assert all(link["url"].startswith("https://") for link in session.links)
    response = Client().get(
        Session.objects.get(conference__slug="xssjson", slug="xss-0").get_absolute_url()
    )
    hrefs = [a.get("href") for a in lxml.html.fromstring(response.content.decode()).iter("a")]
    assert "https://example.org/slides" in hrefs


def test_the_exported_post_escapes_session_titles_from_the_programme(xss_site):
    """A blog engine renders raw HTML in Markdown: a title from an imported schedule must not
    become markup on the author's blog."""
    response = Client().get(
        reverse("public:writeup_export", kwargs={"conf": "xss", "username": "owner"})
    )
    with zipfile.ZipFile(io.BytesIO(body_of(response))) as archive:
        post = next(name for name in archive.namelist() if name.endswith(".md"))
        text = archive.read(post).decode()
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert len(headings) == 13
    assert all(not re.search(r"(?<!\\)<", line) for line in headings), headings
