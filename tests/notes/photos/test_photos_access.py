"""Who can fetch a photo's files: private ones only their owner, public ones anyone."""

import os

import pytest
from django.core.files.storage import InMemoryStorage
from django.urls import reverse

from notes.models import Visibility
from notes.photos.services import add_photo
from tests.support.factories import SessionFactory
from tests.support.photo_corpus import phone_jpeg, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_photo(owner):
    return add_photo(
        owner=owner, session=SessionFactory(), upload=upload(phone_jpeg((1000, 750), orientation=1))
    )


@pytest.fixture
def public_photo(owner):
    return add_photo(
        owner=owner,
        session=SessionFactory(),
        upload=upload(phone_jpeg((1000, 750), orientation=1)),
        visibility=Visibility.PUBLIC,
    )


def file_url(photo, rendition):
    return reverse("photos:file", kwargs={"photo_id": photo.pk, "rendition": rendition})


def body(response):
    return b"".join(response.streaming_content)


RENDITIONS = [
    ("original", "image/jpeg"),
    ("480", "image/webp"),
    ("960", "image/webp"),
    ("1000", "image/webp"),
]


@pytest.mark.parametrize(("rendition", "content_type"), RENDITIONS)
def test_owner_gets_every_file_of_a_private_photo_uncached(
    owner_client, private_photo, rendition, content_type
):
    response = owner_client.get(file_url(private_photo, rendition))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == "private, no-store"
    names = {"original": private_photo.image.name} | {
        str(r["width"]): r["name"] for r in private_photo.renditions
    }
    with private_photo.image.storage.open(names[rendition]) as stored:
        assert body(response) == stored.read()


@pytest.mark.parametrize(("rendition", "_type"), RENDITIONS)
def test_private_photo_is_404_for_another_user(other_client, private_photo, rendition, _type):
    assert other_client.get(file_url(private_photo, rendition)).status_code == 404


@pytest.mark.parametrize(("rendition", "_type"), RENDITIONS)
def test_private_photo_is_404_for_anonymous_visitors(client, private_photo, rendition, _type):
    assert client.get(file_url(private_photo, rendition)).status_code == 404


@pytest.mark.parametrize("who", ["owner_client", "other_client", "client"])
def test_public_photo_is_served_to_everyone_and_may_be_cached(request, public_photo, who):
    response = request.getfixturevalue(who).get(file_url(public_photo, "960"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert body(response)[:4] == b"RIFF"


def test_a_photo_made_private_again_is_404_for_others(other_client, public_photo):
    public_photo.visibility = Visibility.PRIVATE
    public_photo.save()
    assert other_client.get(file_url(public_photo, "original")).status_code == 404


def test_unknown_rendition_or_photo_is_404(owner_client, private_photo):
    assert owner_client.get(file_url(private_photo, "1600")).status_code == 404
    assert owner_client.get(f"/photos/{private_photo.pk + 1000}/original/").status_code == 404
    assert owner_client.get(f"/photos/{private_photo.pk}/thumbnail/").status_code == 404


def test_a_missing_file_is_404_not_500(owner_client, private_photo):
    private_photo.image.storage.delete(private_photo.image.name)
    assert owner_client.get(file_url(private_photo, "original")).status_code == 404


class SignedUrlStorage(InMemoryStorage):
    """Stands in for django-storages' S3 backend: no local path, URLs that expire."""

    def path(self, name):
        raise NotImplementedError("This backend doesn't support absolute paths.")

    def _relative_path(self, name):
        return os.path.relpath(super().path(name), self.location)

    def url(self, name, parameters=None, expire=None, http_method=None):
        return f"https://bucket.example/{name}?X-Amz-Expires={expire}&X-Amz-Signature=abc"


@pytest.fixture
def object_store(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}.SignedUrlStorage",
        },
    }


def test_with_an_object_store_the_owner_is_sent_to_a_short_lived_signed_url(
    object_store, owner, owner_client, other_client
):
    photo = add_photo(owner=owner, session=SessionFactory(), upload=upload(phone_jpeg()))
    response = owner_client.get(file_url(photo, "original"))

    assert response.status_code == 302
    assert response["Location"] == (
        f"https://bucket.example/{photo.image.name}?X-Amz-Expires=300&X-Amz-Signature=abc"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert other_client.get(file_url(photo, "original")).status_code == 404


def test_behind_nginx_the_file_is_handed_over_with_x_accel_redirect(
    settings, owner_client, private_photo
):
    settings.PHOTO_ACCEL_REDIRECT_PREFIX = "/internal-media/"
    response = owner_client.get(file_url(private_photo, "480"))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/internal-media/{private_photo.renditions[0]['name']}"
    assert response["Content-Type"] == "image/webp"
    assert response.content == b""
