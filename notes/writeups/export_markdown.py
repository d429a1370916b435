"""Markdown that leaves the site (the export) holding only the HTML the site itself would show.

The site renders a note's Markdown and then sanitizes the HTML with nh3; a blog that renders the
exported Markdown may not sanitize at all (Jekyll's kramdown and Hugo's goldmark with unsafe
on pass raw HTML through). So the export's Markdown goes through `sanitized_markdown`, which
works on the Markdown source and leaves ordinary Markdown as it is:

- every raw HTML tag outside code is put through nh3 with the site's allow-list: an allowed tag
  keeps its allowed attributes, any other tag is dropped (<script> and <style> with their
  content, as nh3 does), and so are comments, declarations and processing instructions;
- no kept tag starts a line, so the output never holds an HTML block, inside which a renderer
  would read nothing as Markdown (not even `code`); closing tags close only kept tags, and tags
  left open are closed at the end;
- any other "<" before a letter becomes "&lt;", so that what is left can never join into a tag,
  and so does an escaped one ("\\<"): a bare URL just before it (GitHub's Markdown makes a link of
  "https://…" and "www.…" up to the next space or "<") would take the backslash with it;
- link and image destinations and autolinks with a scheme the site refuses (javascript:…)
  point nowhere instead;
- what a renderer reads as it is typed, not as Markdown (a link's destination and title, a
  reference's label), is found as cmark-gfm finds it and written so that it reads the same and
  holds nothing that would be markup should a renderer read it as text after all: no backtick,
  bracket, brace or "<" (backslash-escaped, or "&lt;"); an autolink is kept only as every
  renderer reads one (no control character, no backtick);
- a kept tag is on one line ("&#10;" for a newline in an attribute's value): a line in it that
  starts a block (a blank one, "# "…) would make it text to a renderer;
- kramdown's own syntax, "{:" (attribute lists, which can add onclick, and extensions such as
  {::nomarkdown}, whose content goes out raw), is escaped outside code.

Code stays untouched: fenced code blocks, and code spans within one line (a span over several
lines, or across a table's "|", is checked like text, which only ever escapes too much). A run of
backticks that opens no code span on its line is escaped (\\`), so that a renderer cannot pair
it with a run on another line or across a "|" and read a span that was kept as code as text.
So is a run that a link made of a bare URL could take in: one in the same word (up to a space or
"<") after a "://" or "www.", or one glued to a word with an "@" in the span after it (an e-mail
address, which goldmark's linkify may read across a backtick). An escaped backtick is safe in a
bare URL: the link takes "\\`" whole or, ending at "\\", leaves "\\`" as it is.
Line endings are "\\n": a lone "\\r", which a renderer reads as a line ending too, becomes one.
The work is linear in the text: every search for an end is remembered.
"""

import re

from core.markdown import ALLOWED_TAGS, ALLOWED_URL_SCHEMES
from notes.writeups.markdown_syntax import (
    ANGLE_DESTINATION,
    AUTOLINK,
    BACKTICKS,
    BARE_URL,
    CLOSING_TAG,
    DROPPED_WITH_CONTENT,
    EMAIL_AUTOLINK,
    EMAIL_CHARACTER,
    EMAIL_LOCAL_PART,
    ENDS,
    LABEL,
    LINE_START,
    LINK_SPACE,
    NOWHERE,
    OPEN_TAG,
    PIPE,
    SPECIAL,
    TITLE_CLOSERS,
    VOID_TAGS,
    WORD,
    bare_destination_end,
    clean_tag,
    code_end,
    first_after,
    inert,
    is_safe_url,
    link_target,
    opening_fence,
)


def sanitized_markdown(text: str) -> str:
    """Markdown whose raw HTML is what the site would show of it (see the module's doc)."""
    return _Sanitizer().run(text.replace("\r\n", "\n").replace("\r", "\n"))


class _Sanitizer:
    def __init__(self):
        self.out: list[str] = []
        self.last = ""  # the last character written
        self.at_line_start = True  # only indentation and markers written on this line so far
        self.open_tags: list[str] = []
        self.dropping_rest = False  # an unclosed <script> hides the rest, as on the site
        self.started = False  # some lines written (or dropped) already
        self.word_tail = ""  # the end of the word being written (since a space or "<")
        self.bare_url = False  # a "://" or "www." in it: a renderer may read a link to its end
        self.scanned = 0  # the chunks written that word_tail and bare_url know of

    def run(self, text: str) -> str:
        lines = text.split("\n")
        prose_from = index = 0
        while index < len(lines):
            fence = opening_fence(lines[index])
            if fence is None:
                index += 1
                continue
            self.lines(lines[prose_from:index], self.prose)
            end, closed = code_end(lines, index, fence)
            block = lines[index:end] if closed else [*lines[index:end], fence[1] + fence[2]]
            self.lines(block, self.emit)
            index = prose_from = end
        self.lines(lines[prose_from:], self.prose)
        text = "".join(self.out)
        if self.open_tags:
            closers = "".join(f"</{name}>" for name in reversed(self.open_tags))
            text += ("\n\n" if self.at_line_start else "") + closers
        return text

    def lines(self, lines: list[str], write) -> None:
        """Write a run of whole lines, each run on the line after the one before."""
        if not lines:
            return
        if self.started:
            self.emit("\n")
        self.started = True
        write("\n".join(lines))

    # --- writing -------------------------------------------------------------------------------

    def emit(self, chunk: str) -> None:
        if not chunk or self.dropping_rest:
            return
        self.out.append(chunk)
        self.last = chunk[-1]
        newline = chunk.rfind("\n")
        if newline >= 0:
            self.at_line_start = LINE_START.fullmatch(chunk, newline + 1) is not None
        elif self.at_line_start:
            self.at_line_start = LINE_START.fullmatch(chunk) is not None

    def drop(self, text: str, end: int) -> int:
        """Leave out text up to end; backticks on both sides stay apart (a longer run would
        change which code spans a renderer sees)."""
        if self.last == "`" and text.startswith("`", end):
            self.emit(" ")
        return end

    # --- prose ---------------------------------------------------------------------------------

    def prose(self, text: str) -> None:
        self.line_end = -1  # the line whose backticks and pipes are known
        self.found: dict[str, tuple[int, int]] = {}  # end marker → (searched from, found at)
        self.title_ends: dict[str, list[int]] = {}  # closing quote → where it closes a title
        position = 0
        while position < len(text) and not self.dropping_rest:
            special = SPECIAL.search(text, position)
            if special is None:
                self.emit(text[position:])
                return
            start = special.start()
            self.emit(text[position:start])
            character = text[start]
            if character == "\\":
                pair = text[start : start + 2]
                self.emit("&lt;" if pair == "\\<" else pair)  # see the module's doc
                position = start + 2
            elif character == "`":
                position = self.code_span(text, start)
            elif character == "<":
                position = self.angle(text, start)
            elif character == "{":
                # kramdown (Jekyll's renderer) reads "{: …}" as attributes for the element
                # before it (onclick too) and "{::nomarkdown}" as raw output: shown as typed.
                self.emit("\\{" if text.startswith("{:", start) else "{")
                position = start + 1
            elif character == "[":
                position = self.label(text, start)
            elif self.last == "]":  # "](" or "]:": a link's or a reference's destination
                position = self.destination(text, start)
            else:
                self.emit(character)
                position = start + 1

    def find(self, text: str, marker: str, start: int) -> int:
        """text.find(marker, start), remembered: a later search from further on reuses it."""
        searched_from, found_at = self.found.get(marker, (len(text) + 1, -1))
        if searched_from <= start and (found_at == -1 or found_at >= start):
            return found_at
        found_at = text.find(marker, start)
        self.found[marker] = (start, found_at)
        return found_at

    def code_span(self, text: str, start: int) -> int:
        """A code span is written as it is when its closing run of backticks is on its line
        and no table cell ends inside it; otherwise its backticks are text."""
        run = BACKTICKS.match(text, start)
        length, after = len(run[0]), run.end()
        runs, pipes = self.backticks_and_pipes(text, start)
        closer = first_after(runs.get(length, []), start)
        if (
            closer is not None
            and first_after(pipes, start, beyond=len(text)) > closer
            and not self.in_link_of_its_own(text, after, closer)
        ):
            self.emit(text[start : closer + length])
            return closer + length
        self.emit(run[0].replace("`", "\\`"))
        return after

    def in_link_of_its_own(self, text: str, after: int, closer: int) -> bool:
        """Whether a renderer may read a run of backticks (ending at after, with its closing run
        at closer) as part of a link it makes of a bare URL or e-mail address: see the module's
        doc."""
        if self.in_bare_url():
            return True
        # An address starts a word (or follows "(", which no address holds): a run right after
        # a character that none holds is not in one.
        if EMAIL_CHARACTER.fullmatch(self.last) is None:
            return False
        return EMAIL_LOCAL_PART.match(text, after, closer) is not None

    def in_bare_url(self) -> bool:
        """Whether the word written last (since a space or "<") holds a "://" or "www.". Found
        when asked, from what was written since the last time."""
        written = "".join(self.out[self.scanned :])
        self.scanned = len(self.out)
        length = WORD.match(written[::-1]).end()  # the word at its end, read backwards
        if length < len(written):
            word, self.bare_url = written[len(written) - length :], False
        else:
            word = self.word_tail + written
        self.bare_url = self.bare_url or BARE_URL.search(word) is not None
        self.word_tail = word[-3:]
        return self.bare_url

    def backticks_and_pipes(self, text: str, start: int):
        """Where the runs of backticks (by length) and the "|" are, from start to the end of its
        line: found once per line, so many runs on one line cost no more than one."""
        line_end = self.find(text, "\n", start)
        line_end = len(text) if line_end == -1 else line_end
        if self.line_end != line_end:
            self.line_end = line_end
            self.runs: dict[int, list[int]] = {}
            for found in BACKTICKS.finditer(text, start, line_end):
                self.runs.setdefault(len(found[0]), []).append(found.start())
            self.pipes = [found.start() for found in PIPE.finditer(text, start, line_end)]
        return self.runs, self.pipes

    def angle(self, text: str, start: int) -> int:
        follows = text[start + 1 : start + 2]
        if not (follows.isascii() and (follows.isalpha() or follows in "/!?")):
            # "a < b", "a <= b": no tag starts here, unless with markup after it that is dropped.
            self.emit("&lt;" if follows == "<" else "<")
            return start + 1
        for opening, end_marker in ENDS.items():
            if text.startswith(opening, start):
                end = self.find(text, end_marker, start + len(opening))
                if end == -1:
                    break
                return self.drop(text, end + len(end_marker))
        else:
            if tag := CLOSING_TAG.match(text, start):
                self.close(tag[1].lower())
                return self.drop(text, tag.end())
            if tag := OPEN_TAG.match(text, start):
                return self.open(text, tag)
            link = AUTOLINK.match(text, start)
            if (link and link[1].lower() in ALLOWED_URL_SCHEMES) or (
                link := EMAIL_AUTOLINK.match(text, start)
            ):
                self.emit(link[0])
                return link.end()
        # Not markup: written so that no renderer reads a tag into it.
        self.emit("&lt;")
        return start + 1

    def open(self, text: str, tag) -> int:
        name = tag[1].lower()
        if name in DROPPED_WITH_CONTENT:
            closing = re.compile(rf"</{name}(?![A-Za-z0-9-])", re.IGNORECASE).search(
                text, tag.end()
            )
            end = -1 if closing is None else self.find(text, ">", closing.end())
            if end == -1:
                self.dropping_rest = True
                return len(text)
            return self.drop(text, end + 1)
        if name not in ALLOWED_TAGS or self.at_line_start:
            return self.drop(text, tag.end())
        self.emit(clean_tag(tag[0], name))
        if name not in VOID_TAGS:
            self.open_tags.append(name)
        return tag.end()

    def close(self, name: str) -> None:
        """A closing tag closes the kept tags up to its own; any other is dropped."""
        if name not in self.open_tags or self.at_line_start:
            return
        while self.open_tags:
            inner = self.open_tags.pop()
            self.emit(f"</{inner}>")
            if inner == name:
                return

    def label(self, text: str, start: int) -> int:
        """A reference's label ("[label]:", or "[label]" after "]") is read as it is typed."""
        label = LABEL.match(text, start)
        if label is None or not (self.last == "]" or text.startswith(":", label.end())):
            self.emit("[")
            return start + 1
        self.emit(f"[{inert(label[0][1:-1])}]")
        return label.end()

    def destination(self, text: str, start: int) -> int:
        """The destination after "](" or "]:", as far as a renderer may read one (should it not,
        what is written is text with no markup): written bare, with no markup in it."""
        self.emit(text[start])
        space = LINK_SPACE.match(text, start + 1)
        self.emit(space[0])
        position = space.end()
        angle = ANGLE_DESTINATION.match(text, position)
        if angle:
            # Written bare: "<…>" might be read as a tag by a renderer that sees no link here.
            url = link_target(angle[1]).replace("\t", "%09").replace("\n", "%0A")
            end = angle.end()
        else:
            # Read on from a "<" too: written "&lt;", it may start a destination.
            end = bare_destination_end(text, position)
            url = text[position:end]
        self.emit(inert(url) if is_safe_url(url) else NOWHERE)
        return self.title(text, end)

    def title(self, text: str, start: int) -> int:
        """A link's title after its destination is read as it is typed (escapes and entities
        decoded): up to its closing quote, with no blank line (a renderer's title has none)."""
        space = LINK_SPACE.match(text, start)
        opening = text[space.end() : space.end() + 1]
        if not space[0] or opening not in TITLE_CLOSERS:
            return start
        closing = TITLE_CLOSERS[opening]
        if closing not in self.title_ends:
            # A quote after an even number of backslashes (none escaped) closes a title.
            ends = re.finditer(rf"(?<!\\)(?:\\\\)*{re.escape(closing)}", text)
            self.title_ends[closing] = [found.end() - 1 for found in ends]
        end = first_after(self.title_ends[closing], space.end())
        if end is None or -1 < self.find(text, "\n\n", space.end()) < end:
            return start
        self.emit(space[0] + opening + inert(text[space.end() + 1 : end]) + closing)
        return end + 1
