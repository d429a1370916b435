"""A kept page, gzip-compressed once, though every visitor's copy differs in a few bytes.

A kept page is text around stand-ins for each visitor's CSP nonce and CSRF token (see
conditional.py). The text is compressed once, when the page is kept, into deflate sections that
each end on a full flush: a full flush aligns the output to a byte and forgets what came
before, so another block can go between two sections. Each visitor's values go in as stored
(uncompressed) blocks, and the gzip header and trailer (CRC-32 and length of the whole page)
wrap it. Serving a 300 KB timeline then costs a CRC over it instead of compressing it, for the
app or for the proxy in front, and the visitor downloads a seventh of it.
"""

import re
import struct
import zlib

ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as Django's GZipMiddleware reads Accept-Encoding
# Magic number, deflate, no flags, no time, no extra flags, unknown system (RFC 1952).
HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
STORED_MAX = 0xFFFF


def accepts_gzip(request) -> bool:
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def compress_sections(texts: list[bytes]) -> list[bytes]:
    """Raw deflate of each text; every section but the last ends on a full flush."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    sections = [compressor.compress(text) + compressor.flush(zlib.Z_FULL_FLUSH) for text in texts]
    sections[-1] += compressor.flush(zlib.Z_FINISH)  # the final block
    return sections


def stored_blocks(data: bytes) -> bytes:
    """data as deflate stored blocks (not the last), each up to 65535 bytes."""
    blocks = []
    for start in range(0, len(data), STORED_MAX):
        chunk = data[start : start + STORED_MAX]
        blocks.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(blocks)


def gzip_page(pieces: list[bytes], sections: list[bytes], values: dict[bytes, bytes]) -> bytes:
    """The gzip body of text, stand-in, text, …, text with each stand-in replaced by its value.

    pieces: as conditional.freeze() splits a page; sections: compress_sections(pieces[::2]).
    """
    out = [HEADER]
    crc = size = 0
    for index, piece in enumerate(pieces):
        if index % 2:
            data = values[piece]
            out.append(stored_blocks(data))
        else:
            data = piece
            out.append(sections[index // 2])
        crc = zlib.crc32(data, crc)
        size += len(data)
    out.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(out)
