"""EXIF written byte by byte, including what no camera should write, and Hypothesis strategies.

Pillow's own EXIF writer picks a type for each value and refuses odd ones; these helpers write
any tag with any TIFF type, count and bytes, so tests can hand the photo pipeline the damaged,
mistyped and out-of-range EXIF that real files carry.
"""

import struct
from dataclasses import dataclass

from hypothesis import strategies as st
from PIL import ExifTags, Image

from tests.support.photo_corpus import encode

BYTE, ASCII, SHORT, LONG, RATIONAL, UNDEFINED, SLONG, SRATIONAL = 1, 2, 3, 4, 5, 7, 9, 10
UNIT_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
EXIF_IFD, GPS_IFD = int(ExifTags.IFD.Exif), int(ExifTags.IFD.GPSInfo)


@dataclass(frozen=True)
class Entry:
    tag: int
    type: int
    data: bytes
    count: int | None = None  # None: what the data holds; else whatever the entry claims


def ascii_entry(tag: int, text: str) -> Entry:
    return Entry(tag, ASCII, text.encode("utf-8", "surrogatepass") + b"\x00")


def short_entry(tag: int, *values: int) -> Entry:
    return Entry(tag, SHORT, struct.pack(f"<{len(values)}H", *values))


def exif_bytes(ifd0=(), exif=(), gps=()) -> bytes:
    """A little-endian TIFF block as JPEG's APP1 carries it: IFD0, then the Exif and GPS IFDs
    (each pointed to from IFD0 when it has entries), then the values too long to fit inline."""
    ifds = [list(ifd0), list(exif), list(gps)]
    sizes = [2 + 12 * (len(entries) + 2) + 4 for entries in ifds]  # room for two pointers
    offsets = [8, 8 + sizes[0], 8 + sizes[0] + sizes[1]]
    if exif:
        ifds[0].append(Entry(EXIF_IFD, LONG, struct.pack("<I", offsets[1])))
    if gps:
        ifds[0].append(Entry(GPS_IFD, LONG, struct.pack("<I", offsets[2])))
    data_area = b""
    data_start = 8 + sum(sizes)
    blocks = []
    for entries in ifds:
        block = struct.pack("<H", len(entries))
        for entry in entries:
            unit = UNIT_SIZES.get(entry.type, 1)
            count = len(entry.data) // unit if entry.count is None else entry.count
            if len(entry.data) <= 4:
                value = entry.data.ljust(4, b"\x00")
            else:
                value = struct.pack("<I", data_start + len(data_area))
                data_area += entry.data + b"\x00" * (len(entry.data) % 2)
            block += struct.pack("<HHI", entry.tag, entry.type, count & 0xFFFFFFFF) + value
        blocks.append(block.ljust(sizes[len(blocks)] - 4, b"\x00") + b"\x00\x00\x00\x00")
    return b"Exif\x00\x00II*\x00" + struct.pack("<I", 8) + b"".join(blocks) + data_area


def jpeg_with_exif(raw_exif: bytes, size=(64, 48)) -> bytes:
    """A small JPEG (a red top-left corner on white) carrying exactly this EXIF."""
    image = Image.new("RGB", size, "white")
    image.paste((255, 0, 0), (0, 0, size[0] // 4, size[1] // 4))
    return encode(image, "JPEG", exif=raw_exif)


# --- Hypothesis strategies ---

exif_times = st.one_of(
    st.builds(
        "{:04d}:{:02d}:{:02d} {:02d}:{:02d}:{:02d}".format,
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 25),
        st.integers(0, 61),
        st.integers(0, 61),
    ),
    st.sampled_from(
        [
            "0001:01:01 00:00:00",
            "9999:12:31 23:59:59",
            "0000:00:00 00:00:00",
            "    :  :     :  :  ",
            "",
            "2025:08:15 10:23:45",
        ]
    ),
    st.text(max_size=30),
)
exif_offsets = st.one_of(
    st.builds(
        "{}{:02d}:{:02d}".format, st.sampled_from("+- "), st.integers(0, 99), st.integers(0, 99)
    ),
    st.sampled_from(["+09:00", "-09:00", "+14:00", "-12:00", "Z", "+9:00", "+09:00:00"]),
    st.text(max_size=12),
)
any_type = st.integers(0, 15)  # the twelve TIFF types, and some no reader knows
raw_entries = st.builds(
    Entry,
    tag=st.integers(0, 0xFFFF),
    type=any_type,
    data=st.binary(max_size=24),
    count=st.one_of(st.none(), st.integers(0, 2**32 - 1)),
)


@st.composite
def orientation_entries(draw):
    """Orientation as cameras write it (SHORT 1 to 8), out of range, or of the wrong type."""
    tag = int(ExifTags.Base.Orientation)
    return draw(
        st.one_of(
            st.builds(lambda v: short_entry(tag, v), st.integers(0, 0xFFFF)),
            st.builds(lambda v: Entry(tag, LONG, struct.pack("<I", v)), st.integers(0, 2**32 - 1)),
            st.builds(lambda t: ascii_entry(tag, t), st.sampled_from(["6", "", "x" * 9])),
            st.builds(lambda v: short_entry(tag, *v), st.lists(st.integers(0, 9), max_size=4)),
            st.builds(
                lambda n, d: Entry(tag, RATIONAL, struct.pack("<II", n, d)),
                st.integers(0, 9),
                st.integers(0, 2),
            ),
            st.builds(lambda t, d: Entry(tag, t, d), any_type, st.binary(max_size=8)),
        )
    )


@st.composite
def time_entries(draw):
    """DateTimeOriginal and OffsetTimeOriginal, as text or as anything else."""
    taken, offset = int(ExifTags.Base.DateTimeOriginal), int(ExifTags.Base.OffsetTimeOriginal)
    entries = [
        draw(
            st.one_of(
                st.builds(lambda t: ascii_entry(taken, t), exif_times),
                st.builds(lambda t, d: Entry(taken, t, d), any_type, st.binary(max_size=24)),
            )
        )
    ]
    if draw(st.booleans()):
        entries.append(draw(st.builds(lambda t: ascii_entry(offset, t), exif_offsets)))
    return entries


@st.composite
def random_exif(draw) -> bytes:
    """IFD0 with an orientation, an Exif IFD with a time, a GPS IFD: each with random extras."""
    ifd0 = [draw(orientation_entries()), *draw(st.lists(raw_entries, max_size=4))]
    exif = [*draw(time_entries()), *draw(st.lists(raw_entries, max_size=3))]
    gps_tags = st.integers(0, 31)
    gps = draw(
        st.lists(
            st.builds(Entry, tag=gps_tags, type=any_type, data=st.binary(max_size=24)), max_size=5
        )
    )
    return exif_bytes(ifd0, exif, gps)
