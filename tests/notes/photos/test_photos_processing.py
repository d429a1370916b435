"""The image pipeline: content decides the format, limits hold, and no metadata survives."""

import io
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.core.exceptions import ValidationError
from PIL import ExifTags, Image, ImageCms

from notes.photos.processing import process_photo, rendition_widths
from tests.support.photo_corpus import (
    METADATA_MARKERS,
    bad_files,
    display_p3_profile,
    encode,
    good_files,
    phone_jpeg,
    slide,
    upload,
)

GOOD = good_files()
BAD = bad_files()


def stored_files(result):
    return [result.original, *result.renditions]


def assert_no_metadata(data: bytes):
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert dict(exif) == {}
        assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert "icc_profile" not in image.info
        assert "xmp" not in image.info
        assert "comment" not in image.info
    for marker in METADATA_MARKERS:
        assert marker not in data.lower(), marker


@pytest.mark.parametrize("name", sorted(GOOD))
def test_every_accepted_format_is_re_encoded_without_metadata(name):
    data, expected_size = GOOD[name]
    result = process_photo(upload(data, name))
    assert (result.original.width, result.original.height) == expected_size
    for encoded in stored_files(result):
        assert_no_metadata(encoded.data)


def test_the_phone_jpeg_really_carried_gps_before_processing():
    # Guards the test above: the corpus must contain what it claims to.
    with Image.open(io.BytesIO(phone_jpeg())) as image:
        gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert gps[ExifTags.GPS.GPSLatitude] == (37.0, 33.0, 59.123)
    raw = phone_jpeg().lower()
    assert b"exif" in raw and b"hugiphone" in raw and b"http://ns.adobe.com/xap" in raw
    assert b"\x88\x25\x00\x04" in raw or b"\x25\x88\x04\x00" in raw  # the GPS IFD pointer


def test_exif_orientation_is_applied():
    # Orientation 6: the camera was turned; the red corner of the stored pixels ends top right.
    result = process_photo(upload(phone_jpeg((640, 480), orientation=6)))
    with Image.open(io.BytesIO(result.original.data)) as image:
        assert image.size == (480, 640)
        image = image.convert("RGB")
        top_right = image.getpixel((image.width - 10, 10))
        top_left = image.getpixel((10, 10))
    assert top_right[0] > 200 and top_right[1] < 80  # red
    assert top_left == pytest.approx((255, 255, 255), abs=30)  # white


def test_taken_at_comes_from_exif_date_time_original_with_its_offset():
    result = process_photo(upload(phone_jpeg(offset="+09:00")))
    assert result.taken_at == datetime(
        2025, 8, 15, 10, 23, 45, tzinfo=dt_timezone(timedelta(hours=9))
    )


def test_taken_at_without_offset_is_naive_local_time():
    result = process_photo(upload(phone_jpeg(offset=None)))
    assert result.taken_at == datetime(2025, 8, 15, 10, 23, 45)


def test_no_exif_means_no_taken_at():
    result = process_photo(upload(encode(slide(), "PNG"), "plain.png"))
    assert result.taken_at is None


def test_gif_animation_keeps_only_its_first_frame():
    data, _size = GOOD["animation.gif"]
    result = process_photo(upload(data, "animation.gif"))
    with Image.open(io.BytesIO(result.original.data)) as image:
        assert image.format == "JPEG"
        assert getattr(image, "n_frames", 1) == 1
        red_corner = image.convert("RGB").getpixel((5, 5))
    assert red_corner[0] > 200 and red_corner[2] < 80  # the first frame's red, not the blue one


def test_transparency_is_kept_as_webp_and_opaque_images_become_jpeg():
    transparent = process_photo(upload(GOOD["transparent.png"][0], "transparent.png"))
    opaque = process_photo(upload(encode(slide(mode="RGBA"), "PNG"), "opaque.png"))
    assert transparent.original.extension == "webp"
    with Image.open(io.BytesIO(transparent.original.data)) as image:
        assert image.mode == "RGBA"
    assert opaque.original.extension == "jpg"


def test_large_photo_is_bounded_and_renditions_are_webp_at_the_usual_widths():
    data, _size = GOOD["huge-phone.jpg"]
    result = process_photo(upload(data))
    # Decoded at half size by libjpeg: still wider than the largest rendition.
    assert (result.original.width, result.original.height) == (2000, 1500)
    assert [(r.width, r.height, r.extension) for r in result.renditions] == [
        (480, 360, "webp"),
        (960, 720, "webp"),
        (1600, 1200, "webp"),
    ]
    for rendition in result.renditions:
        with Image.open(io.BytesIO(rendition.data)) as image:
            assert (image.format, image.size) == ("WEBP", (rendition.width, rendition.height))


@pytest.mark.parametrize(
    ("size", "orientation", "original"),
    [
        ((6000, 4000), 1, (2400, 1600)),  # half size is 3000 px: scaled on to the 2400 px bound
        ((8064, 6048), 1, (2016, 1512)),  # 48 MP: a quarter is enough
        ((4032, 3024), 6, (1512, 2016)),  # upright after decoding at half size
        ((3000, 2000), 1, (2400, 1600)),  # half would be under 1600 px: decoded in full
    ],
)
def test_a_jpeg_is_decoded_at_the_smallest_scale_that_keeps_the_largest_rendition(
    size, orientation, original
):
    result = process_photo(upload(phone_jpeg(size, orientation=orientation)))
    assert (result.original.width, result.original.height) == original
    assert result.renditions[-1].width == min(1600, original[0])


def test_renditions_are_never_upscaled():
    assert rendition_widths(300) == [300]
    assert rendition_widths(1200) == [480, 960, 1200]
    assert rendition_widths(2400) == [480, 960, 1600]
    result = process_photo(upload(encode(slide((300, 200)), "PNG"), "small.png"))
    assert [(r.width, r.height) for r in result.renditions] == [(300, 200)]


def test_wide_gamut_colours_are_converted_to_srgb_before_the_profile_is_dropped():
    p3 = ImageCms.ImageCmsProfile(io.BytesIO(display_p3_profile()))
    colour = (200, 120, 60)
    expected = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), colour), p3, ImageCms.createProfile("sRGB")
    ).getpixel((0, 0))
    assert expected != colour  # the profile really changes this colour
    data = encode(Image.new("RGB", (64, 64), colour), "PNG", icc_profile=display_p3_profile())
    result = process_photo(upload(data, "wide.png"))
    with Image.open(io.BytesIO(result.original.data)) as stored:
        assert "icc_profile" not in stored.info
        assert stored.convert("RGB").getpixel((32, 32)) == pytest.approx(expected, abs=3)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_are_refused_with_a_clear_message(name):
    data, message = BAD[name]
    with pytest.raises(ValidationError) as refused:
        process_photo(upload(data, name))
    assert len(refused.value.messages) == 1
    assert refused.value.messages[0].startswith(message)


def test_the_name_and_content_type_do_not_matter():
    data, _size = GOOD["screenshot.png"]
    result = process_photo(upload(data, "report.pdf", content_type="application/pdf"))
    assert result.original.width == 800


def test_files_over_the_size_limit_are_refused(settings):
    settings.PHOTO_MAX_BYTES = 50_000
    data, _size = GOOD["huge-phone.jpg"]
    assert len(data) > 50_000
    with pytest.raises(ValidationError) as refused:
        process_photo(upload(data))
    assert refused.value.messages == ["The image is too large: at most 48.8\xa0KB."]


def test_pixel_limit_is_a_setting(settings):
    settings.PHOTO_MAX_PIXELS = 640 * 480 - 1
    with pytest.raises(ValidationError) as refused:
        process_photo(upload(phone_jpeg((640, 480))))
    assert refused.value.code == "too_many_pixels"


def encoded_image(image: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format)
    return buffer.getvalue()


@pytest.mark.parametrize("image_format", ["PNG", "WEBP", "GIF"])
def test_formats_decoded_in_full_have_their_own_lower_pixel_limit(settings, image_format):
    """A PNG, WebP, GIF or HEIC is decoded pixel by pixel (a 59 MP PNG took 2 s of a worker);
    a JPEG of the same size is decoded at a fraction of it and stays allowed."""
    settings.PHOTO_MAX_PIXELS = 3_000_000
    settings.PHOTO_MAX_DECODED_PIXELS = 1_000_000
    picture = Image.new("RGB" if image_format != "GIF" else "P", (2000, 1000), 0)
    with pytest.raises(ValidationError) as refused:
        process_photo(upload(encoded_image(picture, image_format)))
    assert refused.value.code == "too_many_pixels"
    assert refused.value.messages == [
        f"This {image_format} has 2 megapixels: hugi takes at most 1 megapixels in PNG, WebP, "
        "GIF or HEIC (3 in JPEG)."
    ]
    stored = process_photo(upload(phone_jpeg((2000, 1000)))).original
    assert sorted([stored.width, stored.height]) == [1000, 2000]
