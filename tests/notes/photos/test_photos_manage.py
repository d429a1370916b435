"""The photo manager of a note: edit, reorder, delete; files go with their rows; the partials."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from lxml import html

from notes.models import Note, Photo, Visibility
from notes.photos.services import (
    add_photo,
    delete_photo,
    follow_note_visibility,
    reorder_photos,
)
from tests.support.factories import NoteFactory, SessionFactory
from tests.support.photo_corpus import phone_jpeg, upload

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def media_files():
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def by_class(page, name, tag="*"):
    return page.xpath(f'.//{tag}[contains(concat(" ", normalize-space(@class), " "), " {name} ")]')


def photo_files(photo):
    return sorted([photo.image.name, *(r["name"] for r in photo.renditions)])


@pytest.fixture
def session():
    return SessionFactory()


@pytest.fixture
def photos(owner, session):
    return [
        add_photo(owner=owner, session=session, upload=upload(phone_jpeg((320, 240))), caption=c)
        for c in ("first", "second", "third")
    ]


def captions(owner, session):
    return list(
        Photo.objects.filter(owner=owner, session=session).values_list("caption", flat=True)
    )


# --- edit ---


def test_owner_edits_caption_credit_and_visibility(owner_client, photos):
    photo = photos[0]
    response = owner_client.post(
        reverse("photos:update", args=[photo.pk]),
        {
            "caption": "  The keynote’s first slide ",
            "credit": "PyCon KR",
            "credit_url": "https://pycon.kr/",
            "visibility": "public",
            "next": "/notes/1/",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/notes/1/"
    photo.refresh_from_db()
    assert (photo.caption, photo.credit, photo.credit_url, photo.visibility) == (
        "The keynote’s first slide",
        "PyCon KR",
        "https://pycon.kr/",
        "public",
    )


def test_edit_from_script_gets_the_refreshed_list(owner_client, photos):
    response = owner_client.post(
        reverse("photos:update", args=[photos[1].pk]), {"caption": "renamed"}, **FETCH
    )

    assert response.status_code == 200
    page = html.fromstring(response.content)
    assert [p.text_content() for p in by_class(page, "photo-caption")] == [
        "first",
        "renamed",
        "third",
    ]


def test_a_bad_source_url_is_a_400_with_one_line_and_changes_nothing(owner_client, photos):
    photo = photos[0]
    response = owner_client.post(
        reverse("photos:update", args=[photo.pk]),
        {"caption": "new", "credit_url": "javascript:alert(1)", "visibility": "public"},
        **FETCH,
    )

    assert response.status_code == 400
    assert response.json() == {"error": "Image source URL: Enter a valid URL."}
    photo.refresh_from_db()
    assert (photo.caption, photo.visibility) == ("first", "private")


def test_an_unknown_visibility_is_refused(owner_client, photos):
    response = owner_client.post(
        reverse("photos:update", args=[photos[0].pk]), {"visibility": "friends"}, **FETCH
    )
    assert response.status_code == 400
    assert response.json() == {"error": "Visibility: Value 'friends' is not a valid choice."}


def test_another_user_cannot_edit_move_or_delete_a_photo(other_client, owner, session, photos):
    photo = photos[0]
    for name, data in [
        ("photos:update", {"caption": "mine now"}),
        ("photos:reorder", {"direction": "down"}),
        ("photos:delete", {}),
    ]:
        assert other_client.post(reverse(name, args=[photo.pk]), data).status_code == 404
    assert captions(owner, session) == ["first", "second", "third"]
    assert (
        len(media_files()) == 3 * 2
    )  # each photo (240 px wide, upright): original and one rendition


@pytest.mark.parametrize("name", ["photos:update", "photos:reorder", "photos:delete"])
def test_get_is_405_and_changes_nothing(owner_client, owner, session, photos, name):
    assert owner_client.get(reverse(name, args=[photos[0].pk])).status_code == 405
    assert captions(owner, session) == ["first", "second", "third"]


def test_anonymous_changes_go_to_sign_in(client, photos):
    response = client.post(reverse("photos:delete", args=[photos[0].pk]))
    assert response.status_code == 302
    assert Photo.objects.count() == 3


# --- reorder ---


def test_move_up_and_down(owner_client, owner, session, photos):
    owner_client.post(reverse("photos:reorder", args=[photos[2].pk]), {"direction": "up"})
    assert captions(owner, session) == ["first", "third", "second"]
    owner_client.post(reverse("photos:reorder", args=[photos[0].pk]), {"direction": "down"})
    assert captions(owner, session) == ["third", "first", "second"]


def test_moving_the_first_photo_up_changes_nothing(owner_client, owner, session, photos):
    response = owner_client.post(
        reverse("photos:reorder", args=[photos[0].pk]), {"direction": "up"}
    )
    assert response.status_code == 302
    assert captions(owner, session) == ["first", "second", "third"]


@pytest.mark.parametrize("next_url", ["0", "notes:me", "https://evil.example/", "//evil.example/"])
def test_a_next_address_that_is_no_path_here_goes_back_to_the_session(
    owner_client, owner, session, photos, next_url
):
    """A next of "0" or a view's name reached redirect(), which looked it up as a view: a 500."""
    response = owner_client.post(
        reverse("photos:reorder", args=[photos[1].pk]), {"direction": "up", "next": next_url}
    )
    assert (response.status_code, response["Location"]) == (302, session.get_absolute_url())
    assert captions(owner, session) == ["second", "first", "third"]


def test_a_bad_direction_is_a_400(owner_client, photos):
    response = owner_client.post(
        reverse("photos:reorder", args=[photos[0].pk]), {"direction": "sideways"}, **FETCH
    )
    assert response.status_code == 400
    assert response.json() == {"error": "Move a photo up or down."}


def test_reorder_needs_exactly_the_photos_of_the_note(owner, session, photos):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        reorder_photos(owner=owner, session=session, photo_ids=[photos[0].pk, photos[1].pk])
    reorder_photos(owner=owner, session=session, photo_ids=[p.pk for p in reversed(photos)])
    assert captions(owner, session) == ["third", "second", "first"]


# --- delete: the files go with the row ---


def test_deleting_a_photo_deletes_its_files(
    owner_client, photos, django_capture_on_commit_callbacks
):
    photo = photos[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("photos:delete", args=[photo.pk]), **FETCH)

    assert response.status_code == 200
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert media_files() == sorted(photo_files(photos[0]) + photo_files(photos[2]))


def test_files_stay_until_the_deletion_commits(photos, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delete_photo(photo=photos[0])
    assert len(media_files()) == 6  # not yet: a rollback would have left a row without files
    for callback in callbacks:
        callback()
    assert len(media_files()) == 4


def test_deleting_the_note_deletes_its_photos_and_files(
    owner, session, photos, django_capture_on_commit_callbacks
):
    note = NoteFactory(author=owner, session=session)
    other_session_photo = add_photo(
        owner=owner, session=SessionFactory(), upload=upload(phone_jpeg())
    )
    with django_capture_on_commit_callbacks(execute=True):
        note.delete()

    assert list(Photo.objects.all()) == [other_session_photo]
    assert media_files() == photo_files(other_session_photo)


@pytest.mark.parametrize("what", ["user", "session", "conference"])
def test_cascades_leave_no_files(owner, session, photos, django_capture_on_commit_callbacks, what):
    NoteFactory(author=owner, session=session)
    with django_capture_on_commit_callbacks(execute=True):
        {"user": owner, "session": session, "conference": session.conference}[what].delete()

    assert Photo.objects.count() == 0
    assert Note.objects.count() == 0
    assert media_files() == []
    if what != "user":
        assert get_user_model().objects.filter(pk=owner.pk).exists()


# --- visibility follows the note ---


def test_photos_that_matched_the_note_follow_its_visibility(owner, session, photos):
    photos[2].visibility = Visibility.PUBLIC  # set on purpose: stays
    photos[2].save()
    note = NoteFactory(author=owner, session=session, visibility=Visibility.PUBLIC)

    changed = follow_note_visibility(note=note, old_visibility=Visibility.PRIVATE)

    assert changed == 2
    assert set(Photo.objects.values_list("visibility", flat=True)) == {"public"}


# --- the list and the partials ---


def test_the_list_is_mine_only_and_in_order(owner_client, other_user, session, photos):
    add_photo(owner=other_user, session=session, upload=upload(phone_jpeg()), caption="theirs")
    response = owner_client.get(reverse("photos:manager", args=[session.pk]))

    page = html.fromstring(response.content)
    assert [p.text_content() for p in by_class(page, "photo-caption")] == [
        "first",
        "second",
        "third",
    ]
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_runs_a_fixed_number_of_queries(
    owner, owner_client, session, count, django_assert_num_queries
):
    for _ in range(count):
        add_photo(owner=owner, session=session, upload=upload(phone_jpeg((100, 80))))
    # sign-in session, user, the programme session, the photos
    with django_assert_num_queries(4):
        response = owner_client.get(reverse("photos:manager", args=[session.pk]))
    assert len(by_class(html.fromstring(response.content), "photo-item")) == count


def test_the_tools_partial_renders_upload_inputs_and_the_list(owner, session, photos):
    request = RequestFactory().get(f"/notes/{session.pk}/")
    request.user = owner
    page = html.fromstring(
        render_to_string("notes/_photo_tools.html", {"session": session}, request)
    )

    inputs = page.xpath('.//input[@type="file"]')
    assert [
        (i.get("name"), i.get("accept"), i.get("capture"), i.get("multiple")) for i in inputs
    ] == [
        # One photo per request: without JavaScript the form offers one (photos.js, which
        # sends each photo on its own, lets several be chosen).
        ("image", "image/*", "environment", None),
        ("image", "image/*", None, None),
    ]
    add_form = page.xpath(".//form[@data-photo-add]")[0]
    assert add_form.get("action") == f"/photos/upload/{session.pk}/"
    assert add_form.get("enctype") == "multipart/form-data"
    assert [li.get("data-photo-markdown") for li in by_class(page, "photo-item")] == [
        f"![{p.caption}](/photos/{p.pk}/240/)" for p in photos
    ]
    assert page.xpath(".//script")[0].get("defer") is not None
    assert "style" not in html.tostring(page).decode().replace("stylesheet", "")


def test_the_figure_partial_has_srcset_sizes_dimensions_and_the_image_source(owner, session):
    photo = add_photo(
        owner=owner, session=session, upload=upload(phone_jpeg((1200, 900), orientation=1))
    )
    photo.caption, photo.credit, photo.credit_url = (
        "A <slide>",
        "Speaker",
        "https://example.org/deck",
    )
    page = html.fromstring(render_to_string("notes/_photo_figure.html", {"photo": photo}))

    image = page.xpath(".//img")[0]
    base = f"/photos/{photo.pk}"
    assert dict(image.attrib) == {
        "src": f"{base}/1200/",
        "srcset": f"{base}/480/ 480w, {base}/960/ 960w, {base}/1200/ 1200w",
        "sizes": "(min-width: 50rem) 46rem, 100vw",
        "width": "1200",
        "height": "900",
        "loading": "lazy",
        "decoding": "async",
        "alt": "A <slide>",
    }
    caption = page.xpath(".//figcaption")[0]
    assert caption.text_content() == "A <slide> Image source: Speaker"
    assert caption.xpath(".//a")[0].get("href") == "https://example.org/deck"


def test_the_figure_credit_without_a_link_is_plain_text(owner, session):
    photo = add_photo(owner=owner, session=session, upload=upload(phone_jpeg()))
    photo.credit = "Jane"
    page = html.fromstring(render_to_string("notes/_photo_figure.html", {"photo": photo}))
    assert page.xpath(".//figcaption")[0].text_content() == " Image source: Jane"
    assert page.xpath(".//figcaption//a") == []
