"""export.zip's Markdown holds only the HTML the site shows.

Raw HTML in a note, the introduction or the closing comes out as the page's sanitizer leaves it
(notes/writeup_markdown.py); ordinary Markdown comes out exactly as written. "What a blog makes
of it" is CommonMark with GitHub's extensions and raw HTML passed through, as Hugo (goldmark with
unsafe on) or Jekyll (kramdown) would.
"""

import io
import re
import time
import zipfile

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.markdown import render_markdown
from notes.models import WriteUp
from notes.writeups.export_markdown import sanitized_markdown
from tests.support.writeup_world import build_world, export_url
from tests.support.xss_payloads import CORPUS, PAYLOADS, markdown_dangers

POST = "2025-08-18-pycon-hugi.md"


def blog_html(markdown: str) -> str:
    """What a blog that trusts its Markdown makes of it (no tag filter, raw HTML kept)."""
    return cmarkgfm.markdown_to_html_with_extensions(
        markdown,
        options=Options.CMARK_OPT_UNSAFE,
        extensions=["table", "autolink", "strikethrough"],
    )


@pytest.mark.django_db
def test_the_exported_post_holds_no_html_the_site_strips(client, owner):
    world = build_world(owner)
    note = world.notes["d1-morning"]
    note.body, note.body_html = CORPUS, render_markdown(CORPUS)
    note.save()
    WriteUp.objects.filter(pk=world.writeup.pk).update(
        intro=CORPUS,
        intro_html=render_markdown(CORPUS),
        closing=CORPUS,
        closing_html=render_markdown(CORPUS),
    )

    response = client.get(export_url(world.writeup))
    post = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read(POST).decode()

    assert markdown_dangers(blog_html(post)) == []
    lowered = post.lower()
    for stripped in ("<script", "<meta", "http-equiv", "<iframe", "<svg", "<style", "<form"):
        assert stripped not in lowered, stripped
    # The words inside the markup stay, as on the page: in the intro, the note and the closing.
    assert len(re.findall(r"^click$", post, re.MULTILINE)) == 3
    assert post.count("[md link](#)") == 3


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_into_the_blogs_html(payload):
    exported = sanitized_markdown(payload)
    assert markdown_dangers(blog_html(exported)) == [], exported


ORDINARY = [
    "# Heading\n\nSome *emphasis*, **strong**, ~~gone~~ and `code`.",
    "- one\n- two\n  - nested\n\n1. first\n2) second",
    "> quoted\n> > twice",
    '[a link](https://example.org/a_(b)) and ![an image](/photos/3/960/ "title")',
    "<https://example.org/x?y=1&z=2> and <someone@example.org>",
    "| a | b |\n|---|:-:|\n| `x` | 1 < 2 |",
    "```java\nList<String> names = new ArrayList<>();\n<script>shown as code</script>\n```",
    "~~~\n<div>also code</div>\n~~~",
    "Generics: `List<String>` and ``a ` b``; a < b, a <= b, 3 > 2.",
    "Footnote[^1] and a task:\n\n- [ ] todo\n- [x] done\n\n[^1]: The note.",
    "Line with a hard break  \nand a backslash one\\\nend.",
    '[ref][x] and [x]\n\n[x]: https://example.org "Title"',
    "Entities: &amp; &lt;tag&gt; &#60; and escapes \\> \\* \\_ \\[.",
    "A bare https://example.org/a_(b) and www.example.org, then `code` and <b>bold</b>.",
    "Mail me@example.org or `me@example.org`.",
    "[`code` in a link](https://example.org \"its title\") and ![alt](/p.png 'single')",
    "Press <kbd>Ctrl</kbd>+<kbd>C</kbd>; H<sub>2</sub>O; <mark>marked</mark>.",
    "    indented code without markup",
    "",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_markdown_is_left_as_written(text):
    assert sanitized_markdown(text) == text


@pytest.mark.parametrize(
    ("text", "exported"),
    [
        ("a <b>bold</b> <script>alert(1)</script>tail", "a <b>bold</b> tail"),
        ('a <a href="https://example.org" onclick="x()">go</a> on',
         'a <a href="https://example.org" rel="noopener noreferrer nofollow">go</a> on'),
        ("see <img src=/x.png onerror=alert(1)>", 'see <img src="/x.png">'),
        ('x <a href="javascript:alert(1)">js</a>',
         'x <a rel="noopener noreferrer nofollow">js</a>'),
        ('x <meta http-equiv="refresh" content="0;url=/"> y', "x  y"),
        ("x <!-- hidden --> y <marquee>moving</marquee>", "x  y moving"),
        ("[md](javascript:alert(1)) ![i](<jav&#x09;ascript:x>) <javascript:alert(1)>",
         "[md](#) ![i](#) &lt;javascript:alert(1)>"),
        ("[evil]: vbscript:msgbox(1)", "[evil]: #"),
        # An unclosed tag is closed where the text ends, as the page's sanitizer closes it.
        ("an <i>open tag\n\nand more", "an <i>open tag\n\nand more</i>"),
        # An unclosed <script> hides the rest of the text, on the page as here.
        ("kept <script>alert(1)\n\nhidden", "kept "),
        # A kept tag never starts a line: a renderer would read the block as HTML, not Markdown.
        ("<div>\n`<script>alert(1)</script>`\n</div>", "\n`<script>alert(1)</script>`\n"),
        # Markup that hides inside other markup cannot come together again.
        ("<scr<script>x</script>ipt>alert(1)", "&lt;script>alert(1)"),
        ("``<x>`<script>alert(1)</script>`", "\\`\\` `<script>alert(1)</script>`"),
        # Backticks that open no code span on their line are escaped: a renderer would pair them
        # with a run on the next line, or across a table's "|", and read the code as text.
        ("`\n`<javascript:alert(1)>`", "\\`\n`<javascript:alert(1)>`"),
        ("`a|`<javascript:alert(1)>`", "\\`a|`<javascript:alert(1)>`"),
        ("| a | b |\n|---|:-:|\n| `x|y` | 1 < 2 |", "| a | b |\n|---|:-:|\n| \\`x|y\\` | 1 < 2 |"),
        # A code fence left open ends with the text: it cannot swallow the rest of the post.
        ("```\ncode", "```\ncode\n```"),
        # kramdown's attribute lists and raw-output extension are shown as typed.
        ('*text*{: onmouseover="alert(1)"}', '*text*\\{: onmouseover="alert(1)"}'),
        ('Words.\n{: onclick="alert(1)"}', 'Words.\n\\{: onclick="alert(1)"}'),
        (
            "x {::nomarkdown}`<script>alert(1)</script>`{:/}",
            "x \\{::nomarkdown}`<script>alert(1)</script>`\\{:/}",
        ),
        ("`{: in code}`", "`{: in code}`"),
        # An escaped "<" is "&lt;": a bare URL just before it would take the backslash.
        ("an escaped \\<b\\>", "an escaped &lt;b\\>"),
        # GitHub's Markdown makes a link of a bare URL up to the next space or "<", backticks and
        # backslashes included: no code span opens in its word, and no "\<" is left to split.
        ("https://a.b`<textarea>`", "https://a.b\\` \\`"),
        ("www.a.b` <textarea>`", "www.a.b\\` \\`"),
        ("https://a.b\x0b`<textarea>`", "https://a.b\x0b\\` \\`"),
        ('\\<base href="https://evil.example/">\\<img src=x onerror=alert(1)>',
         '&lt;base href="https://evil.example/">&lt;img src=x onerror=alert(1)>'),
        ("[x](https://a.b\\<img src=x onerror=alert(1)>)",
         "[x](https://a.b&lt;img src=x onerror=alert(1)>)"),
        ("<https://a\x01`b>`<textarea>`", "&lt;https://a\x01\\`b>\\` \\`"),
        # Nor in an e-mail address's local part (goldmark's linkify reads backticks in it).
        ("a`@b.c <textarea>`", "a\\`@b.c \\`"),
        # A destination, title or label is written as a renderer reads it (parentheses nested,
        # "\v" before it) and with no markup in it, should a renderer read it as text after all.
        ("[x](`a `<textarea>`)", "[x](\\`a `<textarea>`)"),
        ("[a](x(y(z))`)<textarea>`", "[a](x(y(z))\\`)\\`"),
        ("[a](<x`)<textarea>`", "[a](&lt;x\\`)\\`"),
        ('[a](b "`")<textarea>`', '[a](b "\\`")\\`'),
        ("[a](\x0bjavascript:alert(1))", "[a](\x0b#)"),
        ("> [a](\n> javascript:alert(1))", "> [a](\n> #)"),
        ("[[a](b](javascript:x) c)", "[[a](b\\](javascript:x) c)"),
        ("[[a]: b](javascript:x)", "[[a]: b\\](javascript:x)"),
        ('[a`b]: javascript:alert(1) "`"\n\n[foo][a`b] `x`',
         '[a\\`b]: # "\\`"\n\n[foo][a\\`b] `x`'),
        # A kept tag is on one line: over a blank line it would be no tag to a renderer.
        ('x <img alt="\n\n`">`<textarea>`', 'x <img alt="&#10;&#10;`">`<textarea>`'),
        # A lone "\r" ends a line, as a renderer reads it.
        ("x `a\r\r<textarea>`", "x \\`a\n\n\\`"),
        # A definition's ":" (kramdown, Hugo) starts a line's block: no tag is kept after it.
        (": <div>`<script>alert(1)</script>`</div>", ": `<script>alert(1)</script>`"),
    ],
)  # fmt: skip
def test_raw_html_comes_out_as_the_page_shows_it(text, exported):
    assert sanitized_markdown(text) == exported
    assert markdown_dangers(blog_html(exported)) == []


# Pieces that open and close code, markup, links and blocks, in any order.
PIECES = [
    "<", ">", "`", "``", "```", "~~~", "\n", "\n\n", "|", "[", "]", "(", ")", ":", "\\", " ",
    "    ", "> ", "- ", "1. ", "#", "!", "&lt;", "&#60;", "\"", "'", "=", "x", "<div>", "</div>",
    "<b>", "</b>", "<p title='", "<script>", "</script>", "</script", "<style>", "<img src=x ",
    "onerror=alert(1)", "<!--", "-->", "<?", "?>", "<!X", "<![CDATA[", "]]>", "<https://a.b>",
    "<javascript:alert(1)>", "javascript:alert(1)", "](", "]:", "<a href=\"", "<svg onload=x>",
    "<pre>", "</pre>", "<textarea>", "<iframe src=x>", "https://a.b", "www.a.b", "a@b.c", " \"",
    "\x0b",
]  # fmt: skip
hostile_markdown = st.one_of(
    st.lists(st.sampled_from(PIECES + PAYLOADS), max_size=40).map("".join),
    st.text(alphabet=st.sampled_from("<>`|[]():\\\n !-\"'=/ab"), max_size=80),
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(text=hostile_markdown)
def test_whatever_the_text_no_markup_the_site_strips_reaches_the_blog(text):
    assert markdown_dangers(blog_html(sanitized_markdown(text))) == []


@pytest.mark.parametrize(
    "hostile",
    [
        "<!--" * 50_000,
        "<a x='" * 30_000,
        "<script>" + "</script" * 25_000,
        "<a " + "a " * 100_000,
        "<" * 200_000,
        " ".join("`" * length for length in range(1, 600)),
        "```\n" * 50_000,
        "[a](" * 50_000,
        ("<b>x</b> `y` [a](b) <!-- " * 10_000),
        '[a](b "' * 20_000,
        "[a](" + "(x)" * 50_000,
        "https://a.b/`x` " * 10_000,
    ],
    ids=[
        "comments",
        "quotes",
        "script-ends",
        "attributes",
        "angles",
        "backtick-runs",
        "fences",
        "links",
        "mixed",
        "titles",
        "nested-parentheses",
        "bare-urls",
    ],
)
def test_hostile_text_takes_well_under_a_second(hostile):
    def seconds():
        started = time.perf_counter()
        sanitized_markdown(hostile)
        return time.perf_counter() - started

    # The best of three: the machine may be busy with other work during one of them.
    assert min(seconds() for _run in range(3)) < 1.0
