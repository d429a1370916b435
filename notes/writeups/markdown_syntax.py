"""The pieces of Markdown the export's sanitiser (export_markdown.py) recognises as cmark-gfm
does — fences, code spans, tags, autolinks, link destinations, bare URLs — and the checks on what
they hold: what it reads, not how it writes."""

import html
import re
from bisect import bisect_right

import nh3

from core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES, ID_PREFIX

DROPPED_WITH_CONTENT = {"script", "style"}  # nh3's default: their text is code, not words
VOID_TAGS = {"br", "hr", "img"}
FENCE = re.compile(r"( {0,3})(`{3,}|~{3,})(.*)")
INDENT = re.compile(r"[ \t]*")
BACKTICKS = re.compile(r"`+")
PIPE = re.compile(r"\|")
SPECIAL = re.compile(r"[<`\\(:{\[]")
OPEN_TAG = re.compile(
    r"<([A-Za-z][A-Za-z0-9-]*)"
    r"(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*"
    r"\s*/?>"
)
CLOSING_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")
# Autolinks as every renderer reads them (no control character, no backtick).
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}):[^\x00-\x20\x7f<>`]*>")
EMAIL_AUTOLINK = re.compile(r"<[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*>")
# Markup that is dropped whole, from its start to the end that closes it.
ENDS = {"<!--": "-->", "<?": "?>", "<![CDATA[": "]]>", "<!": ">"}
# A link's destination and title as cmark-gfm reads them: the space around them ("\v" and "\f"
# too, and line breaks but a blank line, the block quote markers after them left out), "<…>" (a
# backslash escapes any character), or a run of anything but spaces (these three only) with
# parentheses balanced, at most 32 deep; a backslash escapes punctuation.
LINK_SPACE = re.compile(r"[ \t\v\f]*(?:\n(?![ \t>]*(?:\n|$))[ \t\v\f>]*)*")
ANGLE_DESTINATION = re.compile(r"<((?:[^<>\n\\]|\\.)*)>", re.DOTALL)
DESTINATION_PART = re.compile(r"[^ \t\n()\\]+|\\[!-/:-@\[-`{-~]?|[()]")
MAX_PARENTHESES = 32
TITLE_CLOSERS = {'"': '"', "'": "'", "(": ")"}
# A reference's label ("[label]:" or "[text][label]"), which a renderer reads as it is typed.
LABEL = re.compile(r"\[(?:[^\[\]\\]|\\.){0,999}\]", re.DOTALL)
# What could be markup in text: written escaped, which in a destination, title or label reads the
# same ("\\<" as "&lt;": a bare URL before it could take the backslash, see the module's doc).
INERT = re.compile(r"\\(.)|([`\[\]{<])", re.DOTALL)
# What ends a bare URL that GitHub's Markdown makes a link of (cmark-gfm: a space, tab or line
# break, not "\v" or "\f", and "<").
WORD = re.compile(r"[^ \t\n\r<]*")
BARE_URL = re.compile(r"://|www\.", re.IGNORECASE)
# An e-mail address's local part, up to its "@" (goldmark's linkify takes backticks in it).
EMAIL_CHARACTER = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]")
EMAIL_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]*@")
# What may stand before a block on its line: indentation, quote and list markers, and the ":" of
# a definition (kramdown's and Hugo's definition lists). Generous on purpose: a tag after it is
# dropped, which is safe.
LINE_START = re.compile(r"[ \t\v\f>*+\-0-9.):]*")
URL_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
INVISIBLE = re.compile(r"[\x00-\x20]")
NOWHERE = "#"


def link_target(url: str) -> str:
    """A URL that cannot end a Markdown link early."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def inert(text: str) -> str:
    """A destination, title or label that reads the same and holds no markup if read as text."""
    return INERT.sub(_inert, text)


def _inert(match) -> str:
    if match[2] is None:
        return "&lt;" if match[1] == "<" else match[0]
    return "&lt;" if match[2] == "<" else "\\" + match[2]


def bare_destination_end(text: str, start: int) -> int:
    """Where the destination that cmark-gfm reads from start without "<…>" ends, or where it
    stops reading one (unbalanced or too deep parentheses; the text's end)."""
    position, depth = start, 0
    while part := DESTINATION_PART.match(text, position):
        if part[0] == "(":
            depth += 1
            if depth > MAX_PARENTHESES:
                break
        elif part[0] == ")":
            if depth == 0:
                break
            depth -= 1
        position = part.end()
    return position


def is_safe_url(url: str) -> bool:
    """Whether a Markdown destination is one the site keeps: relative, http(s) or mailto.

    Read as a renderer and then a browser read it: backslash escapes and entities decoded,
    spaces and control characters inside the scheme ignored.
    """
    if ":" not in url and "&" not in url:
        return True  # no scheme, not even one written as an entity
    plain = INVISIBLE.sub("", html.unescape(re.sub(r"\\(.)", r"\1", url))).lower()
    scheme = URL_SCHEME.match(plain)
    return scheme is None or scheme[1] in ALLOWED_URL_SCHEMES


def opening_fence(line: str):
    """The fence that opens a fenced code block on this line, if it does."""
    fence = FENCE.fullmatch(line)
    if fence is None or (fence[2][0] == "`" and "`" in fence[3]):
        return None
    return fence


def code_end(lines: list[str], start: int, fence) -> tuple[int, bool]:
    """Where the code block opened at lines[start] ends (the index after it), and whether a
    closing fence ends it. A line indented less than an indented fence may close a list item
    around the block, and the block with it: the prose starts there. A block left open ends
    with the text, so that it cannot run on into the rest of the post."""
    indent, marker = len(fence[1]), fence[2]
    closing = re.compile(rf" {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*")
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if line.strip() and len(INDENT.match(line)[0]) < indent:
            return index, False
        if closing.fullmatch(line):
            return index + 1, True
    return len(lines), False


def first_after(positions: list[int], start: int, beyond=None):
    """The first of the sorted positions after start (beyond when there is none)."""
    index = bisect_right(positions, start)
    return positions[index] if index < len(positions) else beyond


def clean_tag(tag: str, name: str) -> str:
    """One allowed opening tag with only what nh3 lets through of its attributes."""
    if name not in ALLOWED_ATTRIBUTES:
        return f"<{name}>"
    cleaned = nh3.clean(
        tag,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        id_prefix=ID_PREFIX,
    )
    # nh3 closes what it opens; a table cell outside a table it drops, so it keeps no attribute.
    # A newline is only ever in an attribute's value: "&#10;" keeps the tag on one line.
    return (cleaned.removesuffix(f"</{name}>") or f"<{name}>").replace("\n", "&#10;")
