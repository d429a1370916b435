"""Good and bad image files for the photo tests, generated with Pillow (nothing checked in)."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageDraw

# Where and with what the "phone" took its pictures: none of this may survive processing.
LATITUDE = (37.0, 33.0, 59.123)
LONGITUDE = (126.0, 58.0, 41.5)
MAKE = "HugiPhone"
MODEL = "Secret Model 9000"
TAKEN = "2025:08:15 10:23:45"
# Bytes that would give the metadata away in a stored file (compared in lower case): the EXIF
# header or chunk, the GPS IFD pointer (tag 0x8825 of type LONG, either byte order), the camera,
# the XMP namespace and the JPEG comment.
METADATA_MARKERS = [
    b"exif",
    b"\x25\x88\x04\x00",
    b"\x88\x25\x00\x04",
    MAKE.lower().encode(),
    MODEL.lower().encode(),
    b"http://ns.adobe.com/xap",
    b"hugiphone comment",
]


def slide(size=(640, 480), mode="RGB"):
    """A picture with a clear top-left marker, so orientation can be checked afterwards."""
    image = Image.new(mode, size, "white" if mode != "RGBA" else (255, 255, 255, 255))
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle((0, 0, width // 4, height // 4), fill="red")
    draw.text((width // 3, height // 2), "Slide", fill="black")
    return image


def phone_exif(*, orientation=1, offset="+09:00"):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = MAKE
    exif[ExifTags.Base.Model] = MODEL
    exif[ExifTags.Base.Orientation] = orientation
    details = {ExifTags.Base.DateTimeOriginal: TAKEN}
    if offset:
        details[ExifTags.Base.OffsetTimeOriginal] = offset
    exif[ExifTags.IFD.Exif] = details
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: LONGITUDE,
    }
    return exif


def encode(image, format, **options):
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def phone_jpeg(size=(640, 480), orientation=6, offset="+09:00"):
    """A JPEG as a phone writes it: EXIF with GPS, orientation, time; an XMP packet; a comment."""
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="HugiPhone"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    return encode(
        slide(size), "JPEG",
        exif=phone_exif(orientation=orientation, offset=offset).tobytes(),
        xmp=xmp, comment=b"HugiPhone comment",
    )  # fmt: skip


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def good_files():
    """name → (bytes, expected original size after orientation), each a format we accept."""
    animated = [slide((120, 90)), Image.new("RGB", (120, 90), "blue")]
    gif = io.BytesIO()
    animated[0].save(gif, "GIF", save_all=True, append_images=animated[1:], duration=100, loop=0)
    transparent = slide((200, 100), "RGBA")
    transparent.putpixel((199, 99), (0, 0, 0, 0))
    mpo = io.BytesIO()
    slide((300, 200)).save(
        mpo, "MPO", save_all=True, append_images=[slide((300, 200))],
        exif=phone_exif(orientation=1).tobytes(),
    )  # fmt: skip
    return {
        "phone.jpg": (phone_jpeg((640, 480), orientation=6), (480, 640)),
        "screenshot.png": (
            encode(slide((800, 600)), "PNG", exif=phone_exif().tobytes()),
            (800, 600),
        ),
        "transparent.png": (encode(transparent, "PNG"), (200, 100)),
        "picture.webp": (
            encode(slide((500, 300)), "WEBP", exif=phone_exif().tobytes()),
            (500, 300),
        ),
        "animation.gif": (gif.getvalue(), (120, 90)),
        "phone.heic": (encode(slide((320, 240)), "HEIF", exif=phone_exif().tobytes()), (320, 240)),
        "multi-picture.jpg": (mpo.getvalue(), (300, 200)),
        "huge-phone.jpg": (phone_jpeg((4000, 3000), orientation=1), (2000, 1500)),
    }


def bad_files():
    """name → (bytes, the start of the message the user sees)."""
    jpeg = phone_jpeg()
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script></svg>"
    )
    html = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
    png_then_html = b"\x89PNG\r\n\x1a\n" + html
    return {
        "drawing.svg": (svg, "This is not a photo"),
        "page.jpg": (html, "This is not a photo"),
        "trick.png": (png_then_html, "The image is damaged"),
        "truncated.jpg": (jpeg[: len(jpeg) // 2], "The image is damaged"),
        "empty.jpg": (b"", "The file is empty"),
        "bomb.png": (decompression_bomb(20_000), "The image has too many pixels"),
        # Between Pillow's limit and twice that Pillow only warns: a warning is a refusal too.
        "bomb-warning.png": (decompression_bomb(10_000), "The image has too many pixels"),
        "notes.txt": (b"just some text", "This is not a photo"),
        "tiff.tif": (encode(slide((50, 50)), "TIFF"), "This is not a photo"),
    }


def decompression_bomb(side):
    """A PNG that claims side by side pixels in a hundred bytes (built by hand: no memory used)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def display_p3_profile() -> bytes:
    """A minimal ICC v2 matrix/TRC profile with Display P3 primaries, as iPhones embed."""

    def s15(value):
        return struct.pack(">i", round(value * 65536))

    def xyz(x, y, z):
        return b"XYZ \x00\x00\x00\x00" + s15(x) + s15(y) + s15(z)

    gamma = b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, int(2.2 * 256)) + b"\x00\x00"
    description = b"desc\x00\x00\x00\x00" + struct.pack(">I", 11) + b"Display P3\x00"
    description += b"\x00" * 8 + b"\x00" * 3 + b"\x00" * 67
    tags = [
        (b"desc", description),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.5151, 0.2412, -0.0011)),
        (b"gXYZ", xyz(0.2920, 0.6922, 0.0419)),
        (b"bXYZ", xyz(0.1571, 0.0666, 0.7841)),
        (b"rTRC", gamma),
        (b"gTRC", gamma),
        (b"bTRC", gamma),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        padded = data + b"\x00" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += padded
    size = offset + len(body)
    header = (
        struct.pack(">I", size) + b"\x00" * 4 + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ " + b"\x00" * 12 + b"acsp" + b"\x00" * 24
        + struct.pack(">I", 0) + s15(0.9642) + s15(1.0) + s15(0.8249) + b"\x00" * 48
    )  # fmt: skip
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body
