"""Photo processing: check an upload by its content, then re-encode it without any metadata.

Everything hugi stores of a photo comes out of `process_photo`: a bounded "original" (JPEG, or
WebP when it has transparency) and WebP renditions for `srcset`. Nothing of the uploaded file is
kept byte for byte, so no EXIF (GPS first of all), XMP, ICC profile or comment survives.
"""

import io
import logging
import re
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageCms, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

logger = logging.getLogger(__name__)

# Pillow format names tried when opening, and nothing else: the content decides, never the
# file name or the browser's content type. ("JPEG" also opens MPO, the multi-picture JPEG that
# many phones write.)
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "HEIF")
ORIGINAL_MAX_SIDE = 2400
RENDITION_WIDTHS = (480, 960, 1600)
JPEG_OPTIONS = {"quality": 85, "optimize": True, "progressive": True}
WEBP_OPTIONS = {"quality": 80, "method": 2}  # method 2: half the time of 4, nearly the size
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Scaling down from the full decode: reduce() (a box filter) first while the factor is over 2,
# then Lanczos. Half the time of 3.0 on a 60 MP PNG and no visible difference (Pillow's thumbnail
# uses 2.0 too).
REDUCING_GAP = 2.0

# EXIF orientation → the turn that makes the picture upright (as ImageOps.exif_transpose, which
# is not used: it writes the EXIF back afterwards and can fail on odd values hugi drops anyway).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
EXIF_OFFSET = re.compile(r"([+-])([0-9]{2}):([0-9]{2})")
MAX_OFFSET = timedelta(hours=14)  # the farthest any time zone is from UTC
# A camera's clock can say anything ("0001:01:01 00:00:00"): a time this close to the ends of
# what datetime holds overflows when it is moved to UTC or to the conference's zone.
EARLIEST_TAKEN_AT = datetime.min + timedelta(days=2)
LATEST_TAKEN_AT = datetime.max - timedelta(days=2)

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def max_bytes() -> int:
    return getattr(settings, "PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_pixels() -> int:
    """The stricter of hugi's own limit and Pillow's decompression-bomb limit."""
    pillow_limit = Image.MAX_IMAGE_PIXELS or 0
    ours = getattr(settings, "PHOTO_MAX_PIXELS", pillow_limit) or pillow_limit
    return min(ours, pillow_limit) if pillow_limit else ours


def max_decoded_pixels() -> int:
    """The limit for formats that must be decoded in full (all but JPEG, which is decoded at a
    fraction of its size): about 0.035 s of CPU a megapixel, so one upload stays near a second."""
    return min(getattr(settings, "PHOTO_MAX_DECODED_PIXELS", max_pixels()), max_pixels())


@dataclass(frozen=True)
class Encoded:
    data: bytes
    width: int
    height: int
    extension: str  # "jpg" or "webp"


@dataclass(frozen=True)
class ProcessedPhoto:
    original: Encoded
    renditions: list[Encoded]  # smallest first
    taken_at: datetime | None  # aware if the camera wrote its offset, else naive local time


@dataclass(frozen=True)
class ExifFacts:
    """What hugi reads from a photo's EXIF before dropping it."""

    taken_at: datetime | None = None
    upright: Image.Transpose | None = None  # the turn that makes the picture upright


def process_photo(upload) -> ProcessedPhoto:
    """Check and re-encode an uploaded image; raise ValidationError with a one-line message."""
    check_size(upload.size)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns (UserWarning) about damaged metadata, which hugi drops anyway.
            warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
            # It warns between MAX_IMAGE_PIXELS and twice that: a warning is a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=ALLOWED_FORMATS) as source:
                check_pixels(source.size, source.format)
                image = decode_bounded(source, ORIGINAL_MAX_SIDE)
                # After decoding: a PNG may keep its EXIF after the pixels.
                exif = read_exif_facts(source)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels() from None
    except UnidentifiedImageError:
        raise ValidationError(
            _("This is not a photo hugi can read: use JPEG, PNG, WebP, GIF or HEIC."),
            code="not_an_image",
        ) from None
    except Exception:
        # Truncated or corrupt data makes Pillow (and libheif) raise many kinds of errors.
        logger.info("Damaged image upload refused", exc_info=True)
        raise ValidationError(
            _("The image is damaged or incomplete: try uploading it again."), code="damaged"
        ) from None
    if exif.upright is not None:
        # On the small image: cheaper, and the long side is the same either way.
        image = image.transpose(exif.upright)
    original = encode_original(image)
    renditions = make_renditions(image)
    return ProcessedPhoto(original=original, renditions=renditions, taken_at=exif.taken_at)


def check_size(size: int) -> None:
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes():
        raise ValidationError(
            _("The image is too large: at most %(size)s.") % {"size": filesizeformat(max_bytes())},
            code="too_large",
        )


def check_pixels(size: tuple[int, int], image_format: str) -> None:
    width, height = size
    if width * height > max_pixels():
        raise too_many_pixels()
    if image_format != "JPEG" and width * height > max_decoded_pixels():
        raise ValidationError(
            _(
                "This %(format)s has %(size)d megapixels: hugi takes at most %(mp)d megapixels "
                "in PNG, WebP, GIF or HEIC (%(jpeg)d in JPEG)."
            )
            % {
                "format": image_format,
                "size": round(width * height / 1_000_000),
                "mp": max_decoded_pixels() // 1_000_000,
                "jpeg": max_pixels() // 1_000_000,
            },
            code="too_many_pixels",
        )


def too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The image has too many pixels: at most %(mp)d megapixels.")
        % {"mp": max_pixels() // 1_000_000},
        code="too_many_pixels",
    )


def read_exif_facts(source: Image.Image) -> ExifFacts:
    """The time and the orientation from the photo's EXIF; each left out if it cannot be read.

    Pillow raises many kinds of errors on damaged EXIF. hugi drops EXIF anyway, so a damaged one
    is never a reason to refuse the photo.
    """
    exif = best_effort(source.getexif, Image.Exif())
    return ExifFacts(
        taken_at=best_effort(lambda: read_taken_at(exif), None),
        upright=best_effort(lambda: UPRIGHT.get(exif.get(ExifTags.Base.Orientation)), None),
    )


def best_effort(read, default):
    try:
        return read()
    except Exception:
        logger.info("Ignoring unreadable EXIF", exc_info=True)
        return default


def read_taken_at(exif: Image.Exif) -> datetime | None:
    """When the photo was taken, from EXIF DateTimeOriginal (and its offset when present)."""
    details = exif.get_ifd(ExifTags.IFD.Exif)
    raw = details.get(ExifTags.Base.DateTimeOriginal)
    if not isinstance(raw, str):
        return None
    try:
        taken_at = datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None  # "0000:00:00 00:00:00" and other placeholders
    if not EARLIEST_TAKEN_AT <= taken_at <= LATEST_TAKEN_AT:
        return None
    offset = read_offset(details.get(ExifTags.Base.OffsetTimeOriginal))
    return taken_at if offset is None else taken_at.replace(tzinfo=dt_timezone(offset))


def read_offset(raw) -> timedelta | None:
    """An EXIF offset ("+09:00"), or None when there is none or it is no real time zone's."""
    if not isinstance(raw, str):
        return None
    match = EXIF_OFFSET.fullmatch(raw.strip("\x00 "))
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    offset = timedelta(hours=int(hours), minutes=int(minutes))
    if int(minutes) >= 60 or offset > MAX_OFFSET:
        return None
    return -offset if sign == "-" else offset


def decode_bounded(source: Image.Image, max_side: int) -> Image.Image:
    """Decode the first frame at most max_side long, in sRGB, with no metadata left."""
    if source.format in ("JPEG", "MPO"):
        # libjpeg decodes at 1/2, 1/4 or 1/8 scale almost for free. Asking only for the largest
        # rendition's size, not max_side, lets a 12 MP phone photo (4032 px) decode at half
        # size and skip scaling twelve million pixels: a third of the CPU, stored at 2016 px.
        source.draft(None, bounded_size(source.size, RENDITION_WIDTHS[-1]))
    source.seek(0)  # GIF: the first frame
    source.load()
    target = bounded_size(source.size, max_side)  # the decoded size, after draft
    icc_profile = source.info.get("icc_profile")
    image = to_rgb_or_rgba(source)
    if image.size != target:
        image = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)
    if image is source:
        image = source.copy()  # leave the caller's file object free to close
    image = drop_opaque_alpha(image)  # on the small image: a full-size scan costs 0.3 s at 60 MP
    image = to_srgb(image, icc_profile)
    # Everything that could carry metadata goes: EXIF, XMP, ICC, comments, text chunks.
    image.info = {}
    return image


def bounded_size(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """The size scaled down (never up) so its long side is at most max_side."""
    width, height = size
    scale = min(1.0, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def to_rgb_or_rgba(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "RGBA", "CMYK"):
        return image  # (CMYK is converted with its profile in to_srgb, or plainly there)
    has_alpha = image.mode in ("LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    return image.convert("RGBA" if has_alpha else "RGB")


def drop_opaque_alpha(image: Image.Image) -> Image.Image:
    """RGB instead of an alpha channel that hides nothing (stored as JPEG, not WebP)."""
    if image.mode == "RGBA" and image.getextrema()[3] == (255, 255):
        return image.convert("RGB")
    return image


def to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert colours to sRGB so dropping the ICC profile does not change how the photo looks."""
    output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
    if icc_profile:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            return ImageCms.profileToProfile(image, profile, SRGB, outputMode=output_mode)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            logger.info("Ignoring an unusable ICC profile", exc_info=True)
    return image if image.mode == output_mode else image.convert(output_mode)


def encode(image: Image.Image, extension: str) -> Encoded:
    buffer = io.BytesIO()
    if extension == "jpg":
        image.save(buffer, format="JPEG", **JPEG_OPTIONS)
    else:
        image.save(buffer, format="WEBP", **WEBP_OPTIONS)
    return Encoded(buffer.getvalue(), image.width, image.height, extension)


def encode_original(image: Image.Image) -> Encoded:
    # JPEG goes everywhere (blog exports too); WebP keeps transparency.
    return encode(image, "webp" if image.mode == "RGBA" else "jpg")


def rendition_widths(width: int) -> list[int]:
    """The rendition widths for an image this wide: never wider than the image itself."""
    return sorted({min(target, width) for target in RENDITION_WIDTHS})


def make_renditions(image: Image.Image) -> list[Encoded]:
    renditions = []
    current = image
    # Largest first, each from the previous one: much less work than from the original each time.
    for width in reversed(rendition_widths(image.width)):
        if width != current.width:
            height = max(1, round(current.height * width / current.width))
            current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        renditions.append(encode(current, "webp"))
    return renditions[::-1]
