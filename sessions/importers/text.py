"""Text from schedule files: trimmed, with one kind of newline, and HTML turned into Markdown.

Some generators put HTML in abstracts and descriptions. It is never trusted or kept as HTML: it is
turned into plain Markdown here, and everything is rendered (and sanitized) by render_markdown.
"""

import re
from html import unescape

# Only real HTML markup switches on the conversion; "a < b" or "<3" in plain text does not.
HTML_TAG = re.compile(
    r"</?(?:a|b|blockquote|br|code|div|em|font|h[1-6]|hr|i|img|li|ol|p|pre|span|strong|table|"
    r"td|th|tr|u|ul)\b[^<>]*>",  # [^<>], not [^>]: "<b<b<b…" must not be rescanned to its end
    re.IGNORECASE,
)
# The markup in one linear pass: a comment's start, a tag, or a declaration or processing
# instruction (dropped). A "<" that no ">" closes before the next "<" is text. (Python's own
# HTMLParser takes quadratic time on "</</</…" or "<!--x->" repeated, and raises on "<![>".)
MARKUP = re.compile(r"<!--|<(/?)([A-Za-z][A-Za-z0-9]*+)([^<>]*+)>|<[!?][^<>]*+>")
ATTRIBUTE = re.compile(r"""([^\s=/"'<>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>]+)))?""")
SAFE_LINK = re.compile(r"^(?:https?:|mailto:)", re.IGNORECASE)
MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<])")
LIST_ITEM = re.compile(r"^ *(?:-|\d+\.) ")
HARD_BREAK = "\x00"
# Deeper lists are indented no further: the indent of each item would grow with the depth.
DEEPEST_INDENT = 4
# Control characters a schedule file may carry: PostgreSQL cannot store NUL, and none belongs in
# a title or a description (tab, newline and carriage return are kept for multi-line texts).
# Lone surrogates (JSON can escape them) cannot be encoded as UTF-8 for the database or a page.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean_line(value, max_length=None) -> str:
    """One line of text: surrounding and repeated whitespace removed, cut to max_length."""
    text = " ".join(CONTROL.sub("", str(value or "")).split())
    if max_length and len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def clean_text(value) -> str:
    """Several lines of text, as Markdown: HTML converted, newlines normalised, trimmed."""
    text = CONTROL.sub("", str(value or "")).replace("\r\n", "\n").replace("\r", "\n").strip()
    if HTML_TAG.search(text):
        text = html_to_markdown(text)
    return text


def html_to_markdown(html: str) -> str:
    converter = _HtmlToMarkdown()
    converter.feed(html)
    return converter.result()


def _attributes(text: str) -> dict:
    found = {}
    for name, double_quoted, single_quoted, bare in ATTRIBUTE.findall(text):
        found.setdefault(name.lower(), unescape(double_quoted or single_quoted or bare))
    return found


def _trim_around_breaks(text: str) -> str:
    """The spaces next to each <br> removed, without a regex: "[ ]*<br>" would try each space of
    a long run (in a <pre>) again, in quadratic time."""
    pieces = text.split(HARD_BREAK)
    last = len(pieces) - 1
    for number, piece in enumerate(pieces):
        if number > 0:
            piece = piece.lstrip(" ")
        if number < last:
            piece = piece.rstrip(" ")
        pieces[number] = piece
    return HARD_BREAK.join(pieces)


class _HtmlToMarkdown:
    """Turns the little HTML that schedule editors produce into readable Markdown.

    Paragraphs, line breaks, lists, headings, emphasis, code and links survive; every other tag is
    dropped (its text kept), and the content of script and style is dropped entirely.
    """

    BLOCKS = {"p", "div", "blockquote", "table", "tr", "ul", "ol", "pre", "hr"}
    DROPPED = {"script", "style", "head", "title"}
    # Emphasis and code open and close with the same marker (code in a <pre> with none).
    INLINE = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}

    def __init__(self):
        self.parts = []
        self.lists = []  # a stack of "ul" / ["ol", counter]
        self.links = []  # a stack of hrefs of open <a> tags
        self.dropping = 0
        self.in_pre = False

    def feed(self, html: str):
        position = 0
        while (match := MARKUP.search(html, position)) is not None:
            self.handle_data(unescape(html[position : match.start()]))
            position = match.end()
            closing, tag, attributes = match.groups()
            if match.group() == "<!--":
                end = html.find("-->", position)
                position = len(html) if end < 0 else end + 3  # unclosed: hides the rest
            elif tag and closing:
                self.handle_endtag(tag.lower())
            elif tag:
                self.handle_starttag(tag.lower(), _attributes(attributes))
        self.handle_data(unescape(html[position:]))

    def result(self) -> str:
        text = _trim_around_breaks("".join(self.parts))
        # <br> is a hard line break inside a paragraph, two of them end the paragraph.
        text = re.sub(rf"{HARD_BREAK}(?:\n[ ]*)*{HARD_BREAK}[\s{HARD_BREAK}]*", "\n\n", text)
        text = re.sub(rf"{HARD_BREAK}(?=\n|\Z)", "", text)
        lines, fenced = [], False
        for line in text.split("\n"):
            if line.strip() == "```":
                fenced = not fenced
            elif not fenced and not LIST_ITEM.match(line):
                # Spaces from the HTML source must not indent a line into a code block.
                line = line.lstrip()
            lines.append(line.rstrip().replace(HARD_BREAK, "  \n"))
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

    def _block(self):
        self.parts.append("\n\n")

    def handle_starttag(self, tag, attrs: dict):
        if tag in self.DROPPED:
            self.dropping += 1
        elif tag == "br":
            self.parts.append(HARD_BREAK)
        elif tag in ("ul", "ol"):
            if not self.lists:
                self._block()
            self.lists.append(["ol", 0] if tag == "ol" else ["ul", 0])
        elif tag == "li":
            indent = "    " * min(max(len(self.lists) - 1, 0), DEEPEST_INDENT)
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                marker = f"{self.lists[-1][1]}. "
            else:
                marker = "- "
            self.parts.append(f"\n{indent}{marker}")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.parts.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag == "pre":
            self.in_pre = True
            self.parts.append("\n\n```\n")
        elif tag == "hr":
            self.parts.append("\n\n---\n\n")
        elif tag in self.BLOCKS or tag in ("td", "th"):
            self.parts.append(" " if tag in ("td", "th") else "\n\n")
        elif tag in self.INLINE and not (tag == "code" and self.in_pre):
            self.parts.append(self.INLINE[tag])
        elif tag == "a":
            href = (attrs.get("href") or "").strip()
            self.links.append(href if SAFE_LINK.match(href) else "")
            if self.links[-1]:
                self.parts.append("[")
        elif tag == "img":
            src = (attrs.get("src") or "").strip()
            if SAFE_LINK.match(src):
                # Kept as a link: pages only show images hugi stores itself.
                alt = MARKDOWN_SPECIAL.sub(r"\\\1", attrs.get("alt") or "image")
                self.parts.append(f"[{alt}]({src})")

    def handle_endtag(self, tag):
        if tag in self.DROPPED:
            self.dropping = max(self.dropping - 1, 0)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self._block()
        elif tag == "pre":
            self.in_pre = False
            self.parts.append("\n```\n\n")
        elif tag in self.INLINE and not (tag == "code" and self.in_pre):
            self.parts.append(self.INLINE[tag])
        elif tag == "a":
            href = self.links.pop() if self.links else ""
            if href:
                self.parts.append(f"]({href})")
        elif tag in self.BLOCKS or tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._block()

    def handle_data(self, data):
        if self.dropping:
            return
        if self.in_pre:
            self.parts.append(data)
            return
        # Newlines in HTML source are just spaces; <br> and blocks make the real ones.
        text = re.sub(r"\s+", " ", data)
        self.parts.append(MARKDOWN_SPECIAL.sub(r"\\\1", text))
