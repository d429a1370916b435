"""The one Markdown renderer. Every Markdown → HTML path in hugi goes through render_markdown.

GitHub Flavored Markdown (tables, strikethrough, autolinks, task lists, footnotes) by cmark-gfm,
GitHub's C parser, which takes linear time on any input; then nh3 keeps only the tags,
attributes and URL schemes below. Raw HTML in the text is passed to nh3, which cleans it.

What cmark-gfm makes can still be large or deep, and the sanitizer's HTML parser takes time in
the square of how deeply elements nest. So three limits hold, each met only by texts made to hurt:
- a line opens at most MAX_QUOTE_DEPTH block quotes; the markers after that are plain text
  (cmark-gfm itself stops lists at 100 levels);
- a text with more than MAX_RAW_HTML_TAGS things that look like HTML tags keeps none of its raw
  HTML (cmark-gfm leaves it out; code spans and blocks still show their text);
- a text whose HTML would be more than HTML_GROWTH times its size (footnote references by the
  thousand, a table header of thousands of columns) is shown as the text it is.
"""

import ctypes
import hashlib
import html
import re

import nh3
from cmarkgfm import _cmark
from cmarkgfm.cmark import Options

# Inline text, blocks, tables.
ALLOWED_TAGS = (
    {"a", "abbr", "b", "br", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "small"}
    | {"span", "strong", "sub", "sup"}
    | {"blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "hr", "img", "li", "ol"}
    | {"p", "pre", "section", "ul", "h1", "h2", "h3", "h4", "h5", "h6"}
    | {"table", "tbody", "td", "tfoot", "th", "thead", "tr"}
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},  # id: a footnote reference, which the footnote links back to
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading", "srcset", "sizes"},
    "li": {"id"},  # a footnote
    "td": {"align"},
    "th": {"align"},
    "code": {"class"},
    "ol": {"start"},
}
# No javascript:, data: or vbscript: URLs; relative URLs (our own photos) stay allowed.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Every id a text brings starts with this, so none can take the name of one of the page's own.
ID_PREFIX = "note-"
FOOTNOTE_PREFIX = "footnote-"  # and its footnotes' ids with this (see _footnotes_of_this_text)

EXTENSIONS = (b"table", b"strikethrough", b"autolink", b"tasklist")
# UNSAFE: raw HTML goes on to nh3 (as it always has) instead of being left out.
OPTIONS = Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_VALIDATE_UTF8 | Options.CMARK_OPT_UNSAFE
WITHOUT_RAW_HTML = OPTIONS & ~Options.CMARK_OPT_UNSAFE

MAX_QUOTE_DEPTH = 32
MAX_RAW_HTML_TAGS = 200
HTML_GROWTH = 8
HTML_GROWTH_FLOOR = 64 * 1024  # short texts may grow more: "- [ ]" is 60 characters of HTML

# The block quote and list item markers that open a line, with their indentation.
LINE_CONTAINERS = re.compile(
    r"^(?:[ \t]*(?:>|[-+*](?=[ \t])|[0-9]{1,9}[.)](?=[ \t])))+", re.MULTILINE
)
# A start or end tag, comment, declaration or processing instruction, as the HTML parser sees one.
HTML_TAG_START = re.compile(r"<[A-Za-z/!?]")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# cmark-gfm's footnote ids and links to them, as nh3 leaves them (ids prefixed, links not).
FOOTNOTE_TARGET = re.compile(rf'(id="{ID_PREFIX}|href="#)(fn(?:ref)?-)')
# Task list items as text: a disabled checkbox would be the only form control in a note.
TASK_BOXES = {
    '<input type="checkbox" disabled="" />': "☐",
    '<input type="checkbox" checked="" disabled="" />': "☑",
}


def render_markdown(text: str) -> str:
    """Render Markdown to HTML that is safe to put on any page."""
    if not text:
        return ""
    rendered = _cmark_to_html(_limit_quote_depth(text), _options_for(text))
    if _grew_too_much(rendered, text):
        rendered = _as_typed(text)
    for box, shown in TASK_BOXES.items():
        rendered = rendered.replace(box, shown)
    has_footnotes = "data-footnote" in rendered  # nh3 drops data-* attributes
    cleaned = _sanitize(rendered)
    return (_footnotes_of_this_text(cleaned, text) if has_footnotes else cleaned).strip()


def _options_for(text: str) -> int:
    if len(HTML_TAG_START.findall(text)) > MAX_RAW_HTML_TAGS:
        return WITHOUT_RAW_HTML
    return OPTIONS


def _grew_too_much(rendered: str, text: str) -> bool:
    return len(rendered) > max(HTML_GROWTH * len(text), HTML_GROWTH_FLOOR)


def _limit_quote_depth(text: str) -> str:
    if text.count(">") <= MAX_QUOTE_DEPTH:
        return text
    return LINE_CONTAINERS.sub(_escape_deep_quote_markers, text)


def _escape_deep_quote_markers(match: re.Match) -> str:
    containers = match[0]
    if containers.count(">") <= MAX_QUOTE_DEPTH:
        return containers
    *outer, rest = containers.split(">", MAX_QUOTE_DEPTH)
    # The first marker too many becomes text, and with it the rest of the line.
    return ">".join(outer) + ">" + rest.replace(">", "\\>", 1)


def _as_typed(text: str) -> str:
    # U+FFFD for a lone surrogate, as cmark-gfm writes it: nh3 takes only valid Unicode.
    text = LONE_SURROGATE.sub("\ufffd", text)
    return "<p>" + html.escape(text, quote=False).replace("\n", "<br>\n") + "</p>\n"


def _footnotes_of_this_text(cleaned: str, text: str) -> str:
    """Footnote ids named after the text, so that two notes on one page link to their own.

    Done after nh3, which gave every id the text brought ID_PREFIX: the footnotes' own ids start
    with FOOTNOTE_PREFIX instead, which no id in the text can, so no note can take another's."""
    # 64 bits: nobody finds another text with the same mark by trying.
    mark = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()

    def named(match: re.Match) -> str:
        attribute = 'id="' if match[1].startswith("id") else 'href="#'
        return f"{attribute}{FOOTNOTE_PREFIX}{mark}-{match[2]}"

    return FOOTNOTE_TARGET.sub(named, cleaned)


def _sanitize(rendered: str) -> str:
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        id_prefix=ID_PREFIX,
    )


# --- cmark-gfm ---------------------------------------------------------------------------------
# Its C functions are called through ctypes, not through cmarkgfm's Python functions: those never
# free the parsed tree or the HTML they return (a worker would keep about 13 times the size of
# every text it rendered).


class _Memory(ctypes.Structure):
    _fields_ = [
        ("calloc", ctypes.c_void_p),
        ("realloc", ctypes.c_void_p),
        ("free", ctypes.CFUNCTYPE(None, ctypes.c_void_p)),
    ]


def _c_functions():
    lib = ctypes.CDLL(_cmark.__file__)
    pointer, text = ctypes.c_void_p, ctypes.c_char_p
    for name, result, arguments in [
        ("cmark_gfm_core_extensions_ensure_registered", None, []),
        ("cmark_find_syntax_extension", pointer, [text]),
        ("cmark_parser_new", pointer, [ctypes.c_int]),
        ("cmark_parser_attach_syntax_extension", ctypes.c_int, [pointer, pointer]),
        ("cmark_parser_feed", None, [pointer, text, ctypes.c_size_t]),
        ("cmark_parser_finish", pointer, [pointer]),
        ("cmark_parser_get_syntax_extensions", pointer, [pointer]),
        ("cmark_render_html", pointer, [pointer, ctypes.c_int, pointer]),
        ("cmark_node_free", None, [pointer]),
        ("cmark_parser_free", None, [pointer]),
        ("cmark_get_default_mem_allocator", ctypes.POINTER(_Memory), []),
    ]:
        function = getattr(lib, name)
        function.restype, function.argtypes = result, arguments
    return lib


_lib = _c_functions()
_lib.cmark_gfm_core_extensions_ensure_registered()
_extensions = [_lib.cmark_find_syntax_extension(name) for name in EXTENSIONS]
if not all(_extensions):  # attaching a missing one would crash the process
    raise ImportError(f"cmark-gfm lacks one of the extensions {EXTENSIONS}")
_free = _lib.cmark_get_default_mem_allocator().contents.free


def _cmark_to_html(text: str, options: int) -> str:
    # A lone surrogate goes in as bytes that are not UTF-8; VALIDATE_UTF8 makes it U+FFFD.
    source = text.encode("utf-8", "surrogatepass")
    parser = _lib.cmark_parser_new(options)
    for extension in _extensions:
        _lib.cmark_parser_attach_syntax_extension(parser, extension)
    _lib.cmark_parser_feed(parser, source, len(source))
    root = _lib.cmark_parser_finish(parser)
    rendered = _lib.cmark_render_html(
        root, options, _lib.cmark_parser_get_syntax_extensions(parser)
    )
    try:
        return ctypes.string_at(rendered).decode("utf-8", "replace")
    finally:
        _free(rendered)
        _lib.cmark_node_free(root)
        _lib.cmark_parser_free(parser)
