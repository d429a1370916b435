"""Text from schedule files: trimmed, with one kind of newline, and HTML turned into Markdown.

Some generators put HTML in abstracts and descriptions. It is never trusted or kept as HTML: it is
turned into plain Markdown here, and everything is rendered (and sanitized) by render_markdown.
"""

import re
from html.parser import HTMLParser

# Only real HTML markup switches on the conversion; "a < b" or "<3" in plain text does not.
HTML_TAG = re.compile(
    r"</?(?:a|b|blockquote|br|code|div|em|font|h[1-6]|hr|i|img|li|ol|p|pre|span|strong|table|"
    r"td|th|tr|u|ul)\b[^>]*>",
    re.IGNORECASE,
)
SAFE_LINK = re.compile(r"^(?:https?:|mailto:)", re.IGNORECASE)
MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<])")
LIST_ITEM = re.compile(r"^ *(?:-|\d+\.) ")
HARD_BREAK = "\x00"
# Control characters a schedule file may carry: PostgreSQL cannot store NUL, and none belongs in
# a title or a description (tab, newline and carriage return are kept for multi-line texts).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    converter.close()
    return converter.result()


class _HtmlToMarkdown(HTMLParser):
    """Turns the little HTML that schedule editors produce into readable Markdown.

    Paragraphs, line breaks, lists, headings, emphasis, code and links survive; every other tag is
    dropped (its text kept), and the content of script and style is dropped entirely.
    """

    BLOCKS = {"p", "div", "blockquote", "table", "tr", "ul", "ol", "pre", "hr"}
    DROPPED = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.lists = []  # a stack of "ul" / ["ol", counter]
        self.links = []  # a stack of hrefs of open <a> tags
        self.dropping = 0
        self.in_pre = False

    def result(self) -> str:
        text = "".join(self.parts)
        # <br> is a hard line break inside a paragraph, two of them end the paragraph.
        text = re.sub(
            rf"[ ]*{HARD_BREAK}[ ]*(?:\n[ ]*)*{HARD_BREAK}[\s{HARD_BREAK}]*", "\n\n", text
        )
        text = re.sub(rf"[ ]*{HARD_BREAK}[ ]*(?=\n|\Z)", "", text)
        text = re.sub(rf"[ ]*{HARD_BREAK}[ ]*", HARD_BREAK, text)
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

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.DROPPED:
            self.dropping += 1
        elif tag == "br":
            self.parts.append(HARD_BREAK)
        elif tag in ("ul", "ol"):
            if not self.lists:
                self._block()
            self.lists.append(["ol", 0] if tag == "ol" else ["ul", 0])
        elif tag == "li":
            indent = "    " * max(len(self.lists) - 1, 0)
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
        elif tag in ("b", "strong"):
            self.parts.append("**")
        elif tag in ("i", "em"):
            self.parts.append("*")
        elif tag == "code" and not self.in_pre:
            self.parts.append("`")
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
        elif tag in ("b", "strong"):
            self.parts.append("**")
        elif tag in ("i", "em"):
            self.parts.append("*")
        elif tag == "code" and not self.in_pre:
            self.parts.append("`")
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
