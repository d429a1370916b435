"""Exports use the page cache's validators: weak (plain or gzip), the same for everyone."""

import pytest
from django.test import Client

from tests.support.public_programme import build_programme

pytestmark = pytest.mark.django_db

EXPORT = "/pycon-kr/schedule.xml"


@pytest.fixture
def conference():
    return build_programme(2)


def test_an_export_has_one_weak_etag_for_everyone_in_any_language_and_encoding(
    conference, owner_client
):
    anonymous = Client().get(EXPORT)
    signed_in = owner_client.get(EXPORT)
    korean = Client(HTTP_ACCEPT_LANGUAGE="ko").get(EXPORT)
    gzipped = Client().get(EXPORT, HTTP_ACCEPT_ENCODING="gzip")
    cache_buster = Client().get(EXPORT + "?cb=2")

    assert anonymous["ETag"].startswith('W/"')
    assert {r["ETag"] for r in (signed_in, korean, gzipped, cache_buster)} == {anonymous["ETag"]}
    assert gzipped["Content-Encoding"] == "gzip"
    assert anonymous["Last-Modified"] == signed_in["Last-Modified"]


def test_a_signed_in_visitors_current_copy_gets_304_with_its_validators(conference, owner_client):
    first = owner_client.get(EXPORT)

    again = owner_client.get(EXPORT, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert (again["ETag"], again["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
    assert again["Cache-Control"] == "public, max-age=300"
    assert again["Access-Control-Allow-Origin"] == "*"
