"""EXIF is read for two things only, the time and the orientation; whatever it holds, a photo is
stored (without the value it could not use) or refused with one of the documented lines."""

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from PIL import ExifTags, Image

from notes.models import Photo
from tests.support.exif_corpus import (
    EXIF_IFD,
    GPS_IFD,
    LONG,
    RATIONAL,
    SHORT,
    UNDEFINED,
    Entry,
    ascii_entry,
    exif_bytes,
    jpeg_with_exif,
    random_exif,
    short_entry,
)
from tests.support.factories import ConferenceFactory, SessionFactory
from tests.support.photo_corpus import upload

pytestmark = pytest.mark.django_db

TAKEN = int(ExifTags.Base.DateTimeOriginal)
OFFSET = int(ExifTags.Base.OffsetTimeOriginal)
ORIENTATION = int(ExifTags.Base.Orientation)
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
SEOUL = dt_timezone(timedelta(hours=9))
# What the upload view may answer for a file (docs/photos.md); anything else is a bug.
DOCUMENTED_REFUSALS = (
    "The file is empty.",
    "The image is too large: at most",
    "This is not a photo hugi can read: use JPEG, PNG, WebP, GIF or HEIC.",
    "The image is damaged or incomplete: try uploading it again.",
    "The image has too many pixels: at most",
)


@pytest.fixture
def session():
    return SessionFactory(conference=ConferenceFactory(timezone="Asia/Seoul"))


def media_files():
    root = settings.MEDIA_ROOT
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def post(client, session, data):
    url = reverse("photos:upload", args=[session.pk])
    return client.post(url, {"image": upload(data)}, **XHR)


def stored_size(photo):
    with Image.open(photo.image.path) as image:
        return image.size


def red_corner(photo) -> str:
    """Where the red corner of the 64 x 48 test picture ended up."""
    with Image.open(photo.image.path) as image:
        image = image.convert("RGB")
        corners = {
            "top left": (2, 2),
            "top right": (image.width - 3, 2),
            "bottom left": (2, image.height - 3),
            "bottom right": (image.width - 3, image.height - 3),
        }
        red = [name for name, xy in corners.items() if image.getpixel(xy)[1] < 100]
    assert len(red) == 1, red
    return red[0]


@pytest.mark.parametrize(
    ("taken", "offset"),
    [
        ("0001:01:01 00:00:00", None),
        ("0001:01:01 00:00:00", "+09:00"),
        ("0001:01:01 00:00:00", "-09:00"),
        ("9999:12:31 23:59:59", "-09:00"),
        ("9999:12:31 23:59:59", None),
        ("9999:12:31 23:59:59", "+09:00"),
    ],
)
def test_a_time_at_the_ends_of_the_calendar_is_ignored_and_the_photo_kept(
    owner_client, session, taken, offset
):
    details = [ascii_entry(TAKEN, taken)] + ([ascii_entry(OFFSET, offset)] if offset else [])
    response = post(owner_client, session, jpeg_with_exif(exif_bytes(exif=details)))

    assert response.status_code == 200
    photo = Photo.objects.get()
    assert (photo.taken_at, stored_size(photo)) == (None, (64, 48))
    assert len(media_files()) == 1 + len(photo.renditions)


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        ("+09:00", datetime(2025, 8, 15, 10, 23, 45, tzinfo=SEOUL)),
        ("-12:00", datetime(2025, 8, 15, 10, 23, 45, tzinfo=dt_timezone(timedelta(hours=-12)))),
        # An offset no time zone has, or written otherwise: the conference's zone is assumed.
        ("+99:99", datetime(2025, 8, 15, 10, 23, 45, tzinfo=SEOUL)),
        ("+23:59", datetime(2025, 8, 15, 10, 23, 45, tzinfo=SEOUL)),
        ("+09:60", datetime(2025, 8, 15, 10, 23, 45, tzinfo=SEOUL)),
        ("+9999999999999:00", datetime(2025, 8, 15, 10, 23, 45, tzinfo=SEOUL)),
        ("-05:00:00", datetime(2025, 8, 15, 10, 23, 45, tzinfo=SEOUL)),
        ("Z", datetime(2025, 8, 15, 10, 23, 45, tzinfo=SEOUL)),
    ],
)
def test_a_time_offset_is_used_only_when_it_is_a_real_one(owner_client, session, offset, expected):
    details = [ascii_entry(TAKEN, "2025:08:15 10:23:45"), ascii_entry(OFFSET, offset)]
    response = post(owner_client, session, jpeg_with_exif(exif_bytes(exif=details)))

    assert response.status_code == 200
    assert Photo.objects.get().taken_at == expected


@pytest.mark.parametrize(
    ("orientation", "corner"),
    [
        (short_entry(ORIENTATION, 1), "top left"),
        (short_entry(ORIENTATION, 3), "bottom right"),
        (short_entry(ORIENTATION, 6), "top right"),
        (short_entry(ORIENTATION, 8), "bottom left"),
        (short_entry(ORIENTATION, 0), "top left"),
        (short_entry(ORIENTATION, 9), "top left"),
        (short_entry(ORIENTATION, 65535), "top left"),
        (short_entry(ORIENTATION, 6, 6), "top right"),  # Pillow reads the first of the two
        (ascii_entry(ORIENTATION, "6"), "top left"),
        (Entry(ORIENTATION, RATIONAL, b"\x06\x00\x00\x00\x00\x00\x00\x00"), "top left"),
        (Entry(ORIENTATION, 99, b"\x06\x00"), "top left"),
    ],
    ids=lambda value: value if isinstance(value, str) else f"{value.type}:{value.data.hex()}",
)
def test_only_a_real_orientation_turns_the_photo(owner_client, session, orientation, corner):
    response = post(owner_client, session, jpeg_with_exif(exif_bytes([orientation])))

    assert response.status_code == 200
    assert red_corner(Photo.objects.get()) == corner


@pytest.mark.parametrize(
    "gps",
    [
        [Entry(2, RATIONAL, b"\x00" * 24)],  # a latitude of 0/0, 0/0, 0/0
        [Entry(2, SHORT, b"\xff" * 6)],
        [Entry(1, UNDEFINED, b"\xff\xfe"), Entry(0, 99, b"junk")],
        [Entry(6, RATIONAL, b"\x01\x00", count=2**31)],  # claims far more than the file holds
    ],
)
def test_an_odd_gps_block_does_not_stop_a_photo_from_being_turned_and_stored(
    owner_client, session, gps
):
    raw = exif_bytes([short_entry(ORIENTATION, 6)], gps=gps)
    response = post(owner_client, session, jpeg_with_exif(raw))

    assert response.status_code == 200
    photo = Photo.objects.get()
    assert (stored_size(photo), red_corner(photo)) == ((48, 64), "top right")


@pytest.mark.parametrize(
    "raw",
    [
        b"Exif\x00\x00" + b"not a TIFF header at all",
        b"Exif\x00\x00II*\x00\xff\xff\xff\x7f",  # IFD0 far beyond the end
        exif_bytes([Entry(GPS_IFD, SHORT, b"\x01\x00")]),  # the GPS pointer of the wrong type
        exif_bytes([Entry(EXIF_IFD, LONG, b"\xff\xff\xff\xff")]),
    ],
    ids=["not TIFF", "IFD0 out of the file", "GPS pointer a SHORT", "Exif IFD out of the file"],
)
def test_damaged_exif_is_ignored_and_the_photo_kept(owner_client, session, raw):
    response = post(owner_client, session, jpeg_with_exif(raw))

    assert response.status_code == 200
    photo = Photo.objects.get()
    assert (photo.taken_at, stored_size(photo)) == (None, (64, 48))


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    # One client, session and media folder for all examples; each example looks only at what
    # it adds, so examples do not depend on each other.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=random_exif())
def test_any_exif_gives_a_stored_photo(owner_client, session, raw):
    photos_before, files_before = set(Photo.objects.values_list("pk", flat=True)), media_files()

    response = post(owner_client, session, jpeg_with_exif(raw))

    added_photos = set(Photo.objects.values_list("pk", flat=True)) - photos_before
    # EXIF is never a reason to refuse a photo: every one of these is stored, files and row.
    assert response.status_code == 200, response.content
    photo = Photo.objects.get(pk__in=added_photos)
    assert response.json()["photos"][0]["id"] == photo.pk
    assert media_files() - files_before == {
        photo.image.name,
        *(r["name"] for r in photo.renditions),
    }
    assert stored_size(photo) in ((64, 48), (48, 64))
    assert photo.taken_at is None or photo.taken_at.utcoffset() is not None
