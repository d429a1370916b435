"""Composing a write-up: the form, autosave, the layout buttons, the preview, publishing."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from notes.models import Visibility, WriteUp
from tests.support.factories import UserFactory
from tests.support.writeup_world import (
    PRIVATE_MARKER,
    add_photo,
    build_conference,
    build_world,
    by_class,
    compose_url,
    texts,
)

pytestmark = pytest.mark.django_db


def form_data(**changes):
    """The compose form as the page posts it, based on version 1 (build_world's write-up)."""
    data = {
        "title": "파이콘 한국 2025 후기",
        "summary": "요약",
        "language": "en",
        "intro": "## 들어가며\n\n**인트로**",
        "closing": "마치며.",
        "cover_photo": "",
        "base_version": "1",
    }
    data.update(changes)
    return data


def json_data(**changes):
    """What writeup.js sends: the same fields as JSON."""
    data = {**form_data(cover_photo=None, base_version=1), **changes}
    return json.dumps(data)


def post_json(client, conference, **changes):
    return client.post(
        compose_url(conference), json_data(**changes), content_type="application/json"
    )


def status_url(name, conference):
    return reverse(f"writeups:{name}", kwargs={"conf": conference.slug})


def test_compose_needs_sign_in(client, owner):
    world = build_world(owner)
    response = client.get(compose_url(world.conference))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_opening_compose_never_writes(owner_client, owner):
    world = build_conference()
    response = owner_client.get(compose_url(world.conference))
    assert response.status_code == 200
    assert WriteUp.objects.count() == 0
    html = response.content.decode()
    assert 'value="파이콘 한국 2025 write-up"' in html
    assert texts(response, by_class("compose-state")) == [
        "Not started Nothing is stored until you save."
    ]


def test_saving_the_form_creates_a_draft_and_renders_markdown(owner_client, owner):
    world = build_conference()
    response = owner_client.post(compose_url(world.conference), form_data(base_version="0"))
    assert response.status_code == 302
    assert response["Location"] == compose_url(world.conference)
    writeup = WriteUp.objects.get(author=owner, conference=world.conference)
    assert writeup.status == WriteUp.Status.DRAFT
    assert writeup.published_at is None
    assert writeup.title == "파이콘 한국 2025 후기"
    assert writeup.intro_html == "<h2>들어가며</h2>\n<p><strong>인트로</strong></p>"
    # No ASCII words in the title: the conference's slug names the export's file.
    assert writeup.slug == "pycon-kr-hugi"


def test_autosave_answers_json(owner_client, owner):
    world = build_conference()
    response = post_json(owner_client, world.conference, summary="자동 저장", base_version=0)
    assert response.status_code == 200
    writeup = WriteUp.objects.get(author=owner)
    assert response.json() == {
        "version": 1,
        "saved_at": writeup.updated_at.isoformat(),
        "status": "draft",
        "preview": status_url("preview", world.conference),
    }
    assert writeup.summary == "자동 저장"
    response = post_json(owner_client, world.conference, summary="두 번째", base_version=1)
    assert response.json()["version"] == 2
    writeup.refresh_from_db()
    assert (writeup.summary, writeup.version) == ("두 번째", 2)


def test_a_blank_title_is_refused_and_nothing_changes(owner_client, owner):
    world = build_world(owner)
    response = post_json(owner_client, world.conference, title="  ")
    assert response.status_code == 400
    assert response.json() == {"error": "Title: This field is required."}
    response = owner_client.post(compose_url(world.conference), form_data(title=""))
    assert response.status_code == 400
    world.writeup.refresh_from_db()
    assert world.writeup.title == "파이콘 한국 2025 후기"
    assert world.writeup.summary == '이틀의 기록: "따옴표"와 콜론: 도 있다'


def test_the_cover_must_be_one_of_my_public_photos_of_the_conference(owner_client, owner):
    world = build_world(owner)
    for photo in (world.photos["private"], world.photos["someone"]):
        response = owner_client.post(
            compose_url(world.conference), form_data(cover_photo=str(photo.pk))
        )
        assert response.status_code == 400
    world.writeup.refresh_from_db()
    assert world.writeup.cover_photo == world.photos["slide"]
    response = owner_client.post(compose_url(world.conference), form_data(cover_photo=""))
    assert response.status_code == 302
    world.writeup.refresh_from_db()
    assert world.writeup.cover_photo is None


def test_the_cover_choices_are_my_public_photos_of_the_conference(owner_client, owner):
    world = build_world(owner)
    other = build_world(owner, slug="elsewhere")
    add_photo(other, "elsewhere", owner, "d1-morning", "ELSEWHERE")
    response = owner_client.get(compose_url(world.conference))
    assert texts(response, by_class("cover-choice-label")) == [
        "No cover photo",
        "가드레일 슬라이드",
    ]


def test_the_sessions_list_shows_my_public_notes_with_layout_buttons(owner_client, owner):
    world = build_world(owner)
    response = owner_client.get(compose_url(world.conference))
    assert texts(response, by_class("compose-entry-title")) == [
        "발표 d1-morning (이서연, 정민준)",
        "발표 d1-afternoon (Hannah Becker)",
        "발표 d2-morning (박해선)",
    ]
    html = response.content.decode()
    assert PRIVATE_MARKER not in html
    morning = world.sessions["d1-morning"].pk
    assert f'name="layout" value="up:{morning}" disabled' in html
    assert f'name="layout" value="leave:{morning}"' in html


def test_layout_buttons_save_the_text_and_change_the_layout(owner_client, owner):
    world = build_world(owner)
    afternoon = world.sessions["d1-afternoon"]
    response = owner_client.post(
        compose_url(world.conference),
        form_data(title="새 제목", layout=f"up:{afternoon.pk}"),
    )
    assert response.status_code == 302
    assert response["Location"] == compose_url(world.conference) + f"#entry-{afternoon.pk}"
    world.writeup.refresh_from_db()
    assert world.writeup.title == "새 제목"
    assert world.writeup.layout["order"][:2] == [afternoon.pk, world.sessions["d1-morning"].pk]
    # The page after the first save is based on version 2; layout changes make no version.
    for action in ("leave", "back"):
        owner_client.post(
            compose_url(world.conference),
            form_data(title="새 제목", base_version="2", layout=f"{action}:{afternoon.pk}"),
        )
        world.writeup.refresh_from_db()
        if action == "leave":
            assert world.writeup.layout["left_out"] == [afternoon.pk]
    assert world.writeup.version == 2
    assert world.writeup.layout["left_out"] == []


@pytest.mark.parametrize("action", ["sideways:1", "up:abc", "up:", "leave:999999"])
def test_a_bad_layout_button_changes_no_layout(owner_client, owner, action):
    world = build_world(owner)
    before = world.writeup.layout
    response = owner_client.post(compose_url(world.conference), form_data(layout=action))
    assert response.status_code == 302
    world.writeup.refresh_from_db()
    assert world.writeup.layout == before


def test_moving_a_session_of_another_conference_is_refused(owner_client, owner):
    world = build_world(owner)
    other = build_world(owner, slug="other-conf")
    session = other.sessions["d1-afternoon"]
    owner_client.post(compose_url(world.conference), form_data(layout=f"up:{session.pk}"))
    world.writeup.refresh_from_db()
    assert world.writeup.layout == {}


def test_the_preview_is_the_public_pages_post(owner_client, owner):
    world = build_world(owner, status=WriteUp.Status.DRAFT)
    preview = owner_client.get(status_url("preview", world.conference))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert html.lstrip().startswith('<article class="post" lang="en">')
    assert texts(preview, "//h3") == [
        "발표 d1-morning (이서연, 정민준)",
        "발표 d1-afternoon (Hannah Becker)",
        "발표 d2-morning (박해선)",
    ]
    page = owner_client.get(
        reverse("public:writeup", kwargs={"conf": world.conference.slug, "username": "owner"})
    )
    # The same post, its title one level down under the compose page's own h1.
    as_published = html.strip().replace('<h2 class="post-title">', '<h1 class="post-title">', 1)
    as_published = as_published.replace("</h2>", "</h1>", 1)
    assert as_published in page.content.decode()


def test_the_preview_of_nothing_saved_yet_writes_nothing(owner_client, owner):
    world = build_conference()
    response = owner_client.get(status_url("preview", world.conference))
    assert response.status_code == 200
    assert texts(response, "//h2[@class='post-title']") == ["파이콘 한국 2025 write-up"]
    assert WriteUp.objects.count() == 0


def test_publish_and_unpublish(owner_client, owner):
    client = Client()
    world = build_world(owner, status=WriteUp.Status.DRAFT)
    detail = reverse("public:writeup", kwargs={"conf": world.conference.slug, "username": "owner"})
    assert client.get(detail).status_code == 404
    response = owner_client.post(status_url("publish", world.conference))
    assert response.status_code == 302
    world.writeup.refresh_from_db()
    assert world.writeup.status == WriteUp.Status.PUBLISHED
    first_published = world.writeup.published_at
    assert first_published is not None
    assert client.get(detail).status_code == 200

    owner_client.post(status_url("unpublish", world.conference))
    world.writeup.refresh_from_db()
    assert world.writeup.status == WriteUp.Status.DRAFT
    assert client.get(detail).status_code == 404

    owner_client.post(status_url("publish", world.conference))
    world.writeup.refresh_from_db()
    assert world.writeup.published_at == first_published  # the first publication date stays


def test_publishing_saves_the_form_posted_with_it(owner_client, owner):
    world = build_world(owner, status=WriteUp.Status.DRAFT)
    owner_client.post(status_url("publish", world.conference), form_data(title="발행하며"))
    world.writeup.refresh_from_db()
    assert (world.writeup.title, world.writeup.status) == ("발행하며", "published")


def test_publishing_with_an_invalid_form_changes_nothing_and_keeps_what_was_typed(
    owner_client, owner
):
    world = build_world(owner, status=WriteUp.Status.DRAFT)
    response = owner_client.post(
        status_url("publish", world.conference),
        form_data(title="", intro="Typed on the train, never saved"),
    )
    world.writeup.refresh_from_db()
    assert (world.writeup.title, world.writeup.status) == ("파이콘 한국 2025 후기", "draft")
    assert response.status_code == 400  # the compose page again, not a redirect that drops it
    assert "Typed on the train, never saved" in response.content.decode()


@pytest.mark.parametrize("name", ["publish", "unpublish"])
def test_status_changes_are_post_only(owner_client, owner, name):
    world = build_world(owner, status=WriteUp.Status.DRAFT)
    assert owner_client.get(status_url(name, world.conference)).status_code == 405
    world.writeup.refresh_from_db()
    assert world.writeup.status == WriteUp.Status.DRAFT


def test_status_changes_need_the_csrf_token(owner):
    world = build_world(owner, status=WriteUp.Status.DRAFT)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(status_url("publish", world.conference)).status_code == 403
    assert client.post(compose_url(world.conference), form_data()).status_code == 403
    world.writeup.refresh_from_db()
    assert world.writeup.status == WriteUp.Status.DRAFT


def test_someone_else_cannot_publish_or_see_my_draft(other_client, owner):
    world = build_world(owner, status=WriteUp.Status.DRAFT)
    # Their own (nonexistent) write-up of the conference: 404, and mine is untouched.
    assert other_client.post(status_url("publish", world.conference)).status_code == 404
    response = other_client.get(compose_url(world.conference))
    assert response.status_code == 200
    html = response.content.decode()
    assert "파이콘 한국 2025 후기" not in html
    assert "발표 d1-morning" not in html  # my notes are not theirs to compose
    world.writeup.refresh_from_db()
    assert world.writeup.status == WriteUp.Status.DRAFT


def test_compose_of_an_unknown_conference_is_404(owner_client):
    assert owner_client.get("/me/writeups/nothing/").status_code == 404


def test_my_writeups_lists_my_conferences(owner_client, owner):
    world = build_world(owner, status=WriteUp.Status.DRAFT)
    elsewhere = build_world(UserFactory(username="x"), slug="elsewhere")
    response = owner_client.get(reverse("writeups:mine"))
    assert texts(response, by_class("mine-title")) == ["파이콘 한국 2025 후기"]
    assert world.writeup.pk and elsewhere.writeup.pk


def test_my_writeups_offers_conferences_with_public_notes(owner_client, owner):
    world = build_conference()
    from tests.support.writeup_world import add_note, add_session

    add_session(world, "a", day_index=1, hour=10)
    add_session(world, "b", day_index=1, hour=11)
    add_note(world, "a", owner, "공개")
    add_note(world, "b", owner, "비공개", Visibility.PRIVATE)
    response = owner_client.get(reverse("writeups:mine"))
    assert texts(response, by_class("mine-item")) == [
        "파이콘 한국 2025 파이콘 한국 2025 · 1 public note Start a write-up"
    ]


def test_compose_runs_a_fixed_number_of_queries(owner_client, owner, django_assert_num_queries):
    small = build_world(owner)
    big = build_world(owner, extra_sessions=6, slug="big-conf")
    # session, user, conference, write-up, notes, speakers, photos, cover choices
    with django_assert_num_queries(8):
        response = owner_client.get(compose_url(small.conference))
    assert len(texts(response, by_class("compose-entry"))) == 3
    with django_assert_num_queries(8):
        response = owner_client.get(compose_url(big.conference))
    assert len(texts(response, by_class("compose-entry"))) == 9
    assert len(texts(response, by_class("cover-choice"))) == 8  # no cover, and seven photos


def test_my_writeups_runs_a_fixed_number_of_queries(owner_client, owner, django_assert_num_queries):
    build_world(owner)
    with django_assert_num_queries(4):
        response = owner_client.get(reverse("writeups:mine"))
    assert len(texts(response, by_class("mine-item"))) == 1
    for index in range(3):
        build_world(owner, slug=f"more-{index}", status=WriteUp.Status.DRAFT)
    with django_assert_num_queries(4):
        response = owner_client.get(reverse("writeups:mine"))
    assert len(texts(response, by_class("mine-item"))) == 4
