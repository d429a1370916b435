"""Two devices editing one write-up: a save based on an old version is refused, never silently
written over the other device's texts — from writeup.js (JSON, 409 with the stored texts) and
from the form without JavaScript (409, the page shows both and keeps the posted texts)."""

import json

import lxml.html
import pytest
from django.urls import reverse

from notes.models import WriteUp
from notes.writeups import services
from tests.support.writeup_world import build_conference, build_world, compose_url

pytestmark = pytest.mark.django_db

STORED_INTRO = "들어가며 **인트로**."  # build_world's


def page_form(writeup, **changes):
    """The compose form as a page opened at the write-up's current version posts it."""
    data = {
        "title": writeup.title,
        "summary": writeup.summary,
        "language": writeup.language,
        "intro": writeup.intro,
        "closing": writeup.closing,
        "cover_photo": str(writeup.cover_photo_id or ""),
        "base_version": str(writeup.version),
    }
    data.update(changes)
    return data


def as_json(form):
    cover = form["cover_photo"]
    return json.dumps(
        {
            **form,
            "cover_photo": int(cover) if cover else None,
            "base_version": int(form["base_version"]),
        }
    )


def post_json(client, conference, form):
    return client.post(compose_url(conference), as_json(form), content_type="application/json")


def stored(world):
    return WriteUp.objects.get(pk=world.writeup.pk)


@pytest.mark.parametrize("device_a", ["script", "form"])
def test_an_older_page_cannot_overwrite_another_devices_intro(owner_client, owner, device_a):
    world = build_world(owner)
    page_a = page_form(world.writeup)  # device A opens the page at version 1
    # Device B saves a new introduction.
    response = post_json(owner_client, world.conference, page_form(world.writeup, intro="B의 글"))
    assert (response.status_code, response.json()["version"]) == (200, 2)

    # Device A sends its older page with only the title changed.
    changed = {**page_a, "title": "A의 제목"}
    if device_a == "script":
        response = post_json(owner_client, world.conference, changed)
    else:
        response = owner_client.post(compose_url(world.conference), changed)

    assert response.status_code == 409
    writeup = stored(world)
    assert (writeup.title, writeup.intro, writeup.version) == ("파이콘 한국 2025 후기", "B의 글", 2)


def test_a_stale_autosave_answers_with_the_stored_texts(owner_client, owner):
    world = build_world(owner)
    page_a = page_form(world.writeup)
    post_json(owner_client, world.conference, page_form(world.writeup, intro="B의 글"))
    response = post_json(owner_client, world.conference, {**page_a, "title": "A의 제목"})
    writeup = stored(world)
    assert response.json() == {
        "error": "This write-up was changed on another device.",
        "version": 2,
        "title": "파이콘 한국 2025 후기",
        "summary": '이틀의 기록: "따옴표"와 콜론: 도 있다',
        "intro": "B의 글",
        "closing": "마치며.",
        "cover_photo": world.photos["slide"].pk,
        "language": "en",
        "saved_at": writeup.updated_at.isoformat(),
    }


def conflict_view(response):
    tree = lxml.html.fromstring(response.content.decode())
    rows = {}
    for row in tree.xpath("//*[@data-conflict-field][not(@hidden)]"):
        mine, theirs = (
            row.xpath(".//textarea[@data-mine]")[0],
            row.xpath(".//textarea[@data-theirs]")[0],
        )
        rows[row.get("data-conflict-field")] = (mine.text_content(), theirs.text_content())
    return tree, rows


def test_without_javascript_the_conflict_shows_both_and_keeps_my_texts(owner_client, owner):
    world = build_world(owner)
    page_a = page_form(world.writeup)
    post_json(owner_client, world.conference, page_form(world.writeup, intro="B의 글"))

    response = owner_client.post(
        compose_url(world.conference), {**page_a, "title": "A의 제목", "closing": "A의 끝"}
    )

    assert response.status_code == 409
    tree, rows = conflict_view(response)
    assert tree.xpath("//*[@id='writeup-conflict']/@hidden") == []
    assert rows == {
        "title": ("A의 제목", "파이콘 한국 2025 후기"),
        "intro": (STORED_INTRO, "B의 글"),
        "closing": ("A의 끝", "마치며."),
    }
    # The form holds my texts, based on the stored version: saving it again keeps them.
    form = tree.xpath("//form[@data-writeup-form]")[0]
    assert form.xpath(".//input[@name='title']/@value") == ["A의 제목"]
    # (Django writes a newline after <textarea>, which browsers drop.)
    assert form.xpath(".//textarea[@name='closing']")[0].text_content() == "\nA의 끝"
    assert form.xpath(".//input[@name='base_version']/@value") == ["2"]
    assert "The form keeps your texts; the saved ones are shown above it." in (
        response.content.decode()
    )
    # The stored texts travel with the page for writeup.js's choice between the two.
    stored_texts = json.loads(tree.xpath("//script[@id='writeup-conflict-data']")[0].text)
    assert (stored_texts["intro"], stored_texts["version"]) == ("B의 글", 2)

    response = owner_client.post(
        compose_url(world.conference), {**page_a, "title": "A의 제목", "base_version": "2"}
    )
    assert response.status_code == 302
    assert (stored(world).title, stored(world).intro, stored(world).version) == (
        "A의 제목",
        STORED_INTRO,
        3,
    )


@pytest.mark.parametrize("button", ["layout", "publish"])
def test_a_stale_form_with_a_button_changes_nothing(owner_client, owner, button):
    world = build_world(owner, status=WriteUp.Status.DRAFT)
    page_a = page_form(world.writeup, title="A의 제목")
    post_json(owner_client, world.conference, page_form(world.writeup, intro="B의 글"))
    session = world.sessions["d1-afternoon"]
    if button == "layout":
        response = owner_client.post(
            compose_url(world.conference), {**page_a, "layout": f"leave:{session.pk}"}
        )
    else:
        response = owner_client.post(
            reverse("writeups:publish", kwargs={"conf": world.conference.slug}), page_a
        )
    assert response.status_code == 409
    assert conflict_view(response)[1]["title"] == ("A의 제목", "파이콘 한국 2025 후기")
    writeup = stored(world)
    assert (writeup.title, writeup.intro, writeup.layout, writeup.status) == (
        "파이콘 한국 2025 후기",
        "B의 글",
        {},
        "draft",
    )


def test_a_retried_save_whose_answer_was_lost_is_no_conflict(owner_client, owner):
    world = build_world(owner)
    page = page_form(world.writeup, intro="새 인트로")
    first = post_json(owner_client, world.conference, page)
    again = post_json(owner_client, world.conference, page)  # the same, still based on 1
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["version"] == first.json()["version"] == 2
    assert stored(world).intro == "새 인트로"


def test_saving_what_is_stored_makes_no_new_version(owner_client, owner):
    world = build_world(owner)
    before = stored(world).updated_at
    response = post_json(owner_client, world.conference, page_form(world.writeup))
    assert response.json()["version"] == 1
    assert (stored(world).version, stored(world).updated_at) == (1, before)


def test_two_saves_based_on_one_version_cannot_both_succeed(owner):
    world = build_world(owner)
    texts = {
        "author": owner,
        "conference": world.conference,
        "summary": "",
        "intro": "",
        "closing": "",
        "cover_photo": None,
        "base_version": 1,
    }
    services.save_writeup(title="첫째", **texts)
    with pytest.raises(services.StaleWriteUp) as refused:
        services.save_writeup(title="둘째", **texts)
    assert refused.value.current.title == "첫째"
    assert (stored(world).title, stored(world).version) == ("첫째", 2)


def test_a_new_write_up_starts_at_version_one_and_a_second_device_cannot_start_it_again(
    owner_client, owner
):
    world = build_conference()
    blank = {
        "title": "첫 기록",
        "summary": "",
        "language": "en",
        "intro": "A",
        "closing": "",
        "cover_photo": "",
        "base_version": "0",
    }
    assert post_json(owner_client, world.conference, blank).json()["version"] == 1
    response = post_json(owner_client, world.conference, {**blank, "intro": "B"})
    assert response.status_code == 409
    assert WriteUp.objects.get(author=owner).intro == "A"
