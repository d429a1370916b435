"""Uploading photos: what is stored, what is refused (and then nothing is stored), who may."""

import errno
import io
from datetime import datetime

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image

from notes.models import Photo, Visibility
from tests.support.factories import ConferenceFactory, NoteFactory, SessionFactory
from tests.support.photo_corpus import METADATA_MARKERS, bad_files, good_files, phone_jpeg, upload

pytestmark = pytest.mark.django_db

BAD = bad_files()
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def media_files():
    root = settings.MEDIA_ROOT
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def post_image(client, session, data, name="photo.jpg", **headers):
    url = reverse("photos:upload", args=[session.pk])
    return client.post(url, {"image": upload(data, name)}, **headers)


@pytest.fixture
def session():
    return SessionFactory(conference=ConferenceFactory(timezone="Asia/Seoul"))


def test_upload_stores_a_re_encoded_photo_and_its_renditions_without_gps(
    owner_client, owner, session
):
    response = post_image(owner_client, session, phone_jpeg((2000, 1500), orientation=6), **XHR)

    assert response.status_code == 200
    photo = Photo.objects.get()
    assert (photo.owner, photo.session, photo.visibility) == (owner, session, Visibility.PRIVATE)
    assert (photo.width, photo.height) == (1500, 2000)
    assert [r["width"] for r in photo.renditions] == [480, 960, 1500]
    stem = photo.image.name.removesuffix(".jpg")
    assert media_files() == sorted(
        [photo.image.name] + [f"{stem}-{width}.webp" for width in (480, 960, 1500)]
    )
    for name in media_files():
        data = (settings.MEDIA_ROOT / name).read_bytes()
        with Image.open(io.BytesIO(data)) as stored:
            assert stored.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
            assert dict(stored.getexif()) == {}
        for marker in METADATA_MARKERS:
            assert marker not in data.lower()


def test_upload_answers_markdownx_and_our_script_in_one_json_shape(owner_client, session):
    response = post_image(owner_client, session, phone_jpeg((1200, 900), orientation=1), **XHR)

    photo = Photo.objects.get()
    base = f"/photos/{photo.pk}"
    assert response.json() == {
        "image_code": f"![]({base}/1200/)",
        "photos": [
            {
                "id": photo.pk,
                "markdown": f"![]({base}/1200/)",
                "url": f"{base}/1200/",
                "thumbnail_url": f"{base}/480/",
                "srcset": f"{base}/480/ 480w, {base}/960/ 960w, {base}/1200/ 1200w",
                "width": 1200,
                "height": 900,
                "caption": "",
                "visibility": "private",
            }
        ],
    }


def test_taken_at_without_offset_is_read_in_the_conference_time_zone(owner_client, session):
    post_image(owner_client, session, phone_jpeg(offset=None), **XHR)

    photo = Photo.objects.get()
    assert photo.taken_at == datetime(2025, 8, 15, 10, 23, 45, tzinfo=session.conference.tz)


def test_plain_form_upload_redirects_back_with_a_message(owner_client, session):
    editor = f"/notes/{session.pk}/"
    url = reverse("photos:upload", args=[session.pk])
    response = owner_client.post(url, {"image": upload(phone_jpeg(), "a.jpg"), "next": editor})

    assert response.status_code == 302
    assert response["Location"] == editor
    assert [p.order for p in Photo.objects.all()] == [0]
    assert [str(m) for m in response.wsgi_request._messages] == ["Photo added."]


def test_photos_of_a_note_are_numbered_in_upload_order(owner_client, session):
    for _ in range(3):
        post_image(owner_client, session, phone_jpeg(), **XHR)
    assert list(Photo.objects.values_list("order", flat=True)) == [0, 1, 2]


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_get_a_400_with_one_line_and_nothing_is_stored(owner_client, session, name):
    data, message = BAD[name]
    response = post_image(owner_client, session, data, name, **XHR)

    assert response.status_code == 400
    assert response.json()["error"].startswith(message)
    assert "\n" not in response.json()["error"]
    assert Photo.objects.count() == 0
    assert media_files() == []


def test_bad_file_in_a_plain_form_shows_the_message_on_a_400_page(owner_client, session):
    response = post_image(owner_client, session, b"<html></html>", "page.jpg")

    assert response.status_code == 400
    assert response.context["message"] == (
        "This is not a photo hugi can read: use JPEG, PNG, WebP, GIF or HEIC."
    )
    assert Photo.objects.count() == 0


@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize("headers", [XHR, {}], ids=["script", "form"])
def test_more_than_one_photo_in_a_request_is_refused_before_any_is_processed(
    owner_client, session, count, headers
):
    """One request, one photo: the work a request may cause is one photo's (docs/photos.md)."""
    url = reverse("photos:upload", args=[session.pk])
    files = [upload(phone_jpeg(), f"{n}.jpg") for n in range(count)]
    response = owner_client.post(url, {"image": files}, **headers)

    assert response.status_code == 400
    message = f"Upload one photo at a time: this upload holds {count}."
    if headers:
        assert response.json() == {"error": message}
    else:
        assert response.context["message"] == message
    assert Photo.objects.count() == 0
    assert media_files() == []


def test_a_request_over_the_size_limit_is_refused_before_it_is_read(
    owner_client, session, settings
):
    settings.PHOTO_MAX_BYTES = 1000
    data = phone_jpeg((800, 600)) + b"\0" * 70_000
    response = post_image(owner_client, session, data, **XHR)

    assert response.status_code == 400
    assert response.json() == {"error": "The upload is too large: at most 1000\xa0bytes at a time."}
    assert Photo.objects.count() == 0


def test_an_image_over_the_size_limit_is_refused(owner_client, session, settings):
    settings.PHOTO_MAX_BYTES = 5000
    data = phone_jpeg((200, 150)) + b"\0" * 6000  # over the limit, under limit + envelope
    response = post_image(owner_client, session, data, **XHR)

    assert response.status_code == 400
    assert response.json() == {"error": "The image is too large: at most 4.9\xa0KB."}
    assert media_files() == []


def test_no_file_is_a_400(owner_client, session):
    response = owner_client.post(reverse("photos:upload", args=[session.pk]), {}, **XHR)
    assert response.status_code == 400
    assert response.json() == {"error": "Choose a photo to upload."}


def test_upload_to_an_unknown_session_is_404(owner_client):
    response = owner_client.post("/photos/upload/999999/", {"image": upload(phone_jpeg())}, **XHR)
    assert response.status_code == 404
    assert media_files() == []


def test_anonymous_upload_goes_to_sign_in_and_stores_nothing(client, session):
    response = post_image(client, session, phone_jpeg())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Photo.objects.count() == 0


def test_upload_without_csrf_token_is_refused(owner, session):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = post_image(client, session, phone_jpeg(), **XHR)
    assert response.status_code == 403
    assert Photo.objects.count() == 0


def test_markdownx_own_upload_view_is_not_reachable(owner_client):
    response = owner_client.post("/markdownx/upload/", {"image": upload(b"<svg/>", "a.svg")}, **XHR)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("note_visibility", "expected"),
    [
        (None, Visibility.PRIVATE),
        (Visibility.PRIVATE, Visibility.PRIVATE),
        (Visibility.PUBLIC, Visibility.PUBLIC),
    ],
)
def test_a_new_photo_follows_the_visibility_of_the_note(
    owner_client, owner, session, note_visibility, expected
):
    if note_visibility:
        NoteFactory(author=owner, session=session, visibility=note_visibility)
    post_image(owner_client, session, phone_jpeg(), **XHR)
    assert Photo.objects.get().visibility == expected


def test_every_good_format_uploads(owner_client, session):
    for name, (data, size) in good_files().items():
        response = post_image(owner_client, session, data, name, **XHR)
        assert response.status_code == 200, name
        assert (
            response.json()["photos"][0]["width"],
            response.json()["photos"][0]["height"],
        ) == size


def post_keyed(client, session, key, data=None):
    url = reverse("photos:upload", args=[session.pk])
    image = upload(data or phone_jpeg((800, 600), orientation=1), "photo.jpg")
    return client.post(url, {"image": image, "upload_key": key}, **XHR)


def test_the_same_upload_sent_again_is_stored_once(owner_client, session):
    """The editor sends a photo again when its answer was lost on a bad connection."""
    first = post_keyed(owner_client, session, "3f2a9c0d1e7b44aa9c01f2e3")
    files = media_files()
    again = post_keyed(owner_client, session, "3f2a9c0d1e7b44aa9c01f2e3")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Photo.objects.count() == 1
    assert media_files() == files  # the second copy's files are not left behind either
    post_keyed(owner_client, session, "0b1c2d3e4f5a6b7c8d9e0f1a")
    assert Photo.objects.count() == 2


def test_upload_keys_are_each_owners_own(owner_client, session, django_user_model):
    post_keyed(owner_client, session, "3f2a9c0d1e7b44aa9c01f2e3")
    other = Client()
    other.force_login(django_user_model.objects.create_user("grace"))
    response = post_keyed(other, session, "3f2a9c0d1e7b44aa9c01f2e3")
    assert response.status_code == 200
    assert response.json()["photos"][0]["id"] != Photo.objects.get(owner__username="owner").pk
    assert sorted(Photo.objects.values_list("owner__username", flat=True)) == ["grace", "owner"]


@pytest.mark.parametrize("key", ["short", "has space in it", "x" * 41, "<script>alert(1)"])
def test_a_malformed_upload_key_is_refused_and_nothing_stored(owner_client, session, key):
    response = post_keyed(owner_client, session, key)
    assert response.status_code == 400
    assert response.json() == {"error": "The upload key is not valid."}
    assert Photo.objects.count() == 0
    assert media_files() == []


def test_an_upload_key_of_another_sessions_photo_is_refused(owner_client, session):
    post_keyed(owner_client, session, "3f2a9c0d1e7b44aa9c01f2e3")
    other = SessionFactory(conference=session.conference)
    response = post_keyed(owner_client, other, "3f2a9c0d1e7b44aa9c01f2e3")
    assert response.status_code == 400
    assert response.json() == {"error": "The upload key is not valid."}
    assert list(Photo.objects.values_list("session_id", flat=True)) == [session.pk]


def test_a_full_disk_mid_upload_leaves_no_file_and_no_row(owner_client, session, monkeypatch):
    """The disk fills while the second file is written: half of it is on disk when the write
    fails (as the operating system leaves it). Nothing of the upload may stay."""
    real_save = FileSystemStorage._save
    saved = []

    def save_until_the_disk_is_full(storage, name, content):
        if saved:
            with open(storage.path(name), "wb") as partial:
                partial.write(content.read()[:100])
            raise OSError(errno.ENOSPC, "No space left on device")
        saved.append(name)
        return real_save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save_until_the_disk_is_full)
    owner_client.raise_request_exception = False
    response = post_image(owner_client, session, phone_jpeg((2000, 1500)), **XHR)
    assert response.status_code == 500
    assert len(saved) == 1  # the original was written whole, the first rendition half
    assert media_files() == []
    assert not Photo.objects.exists()
