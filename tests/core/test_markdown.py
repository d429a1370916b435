"""render_markdown: GitHub Flavored Markdown, sanitized; and the inputs that hang a quadratic
renderer (CommonMark's pathological cases), which must render completely and correctly."""

import os
import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from core.markdown import (
    HTML_GROWTH,
    MAX_QUOTE_DEPTH,
    MAX_RAW_HTML_TAGS,
    render_markdown,
)
from tests.support.paths import SCHEDULES


def text_of(html: str) -> str:
    return lxml.html.fragment_fromstring(html, create_parent="div").text_content()


def test_github_flavoured_tables_strikethrough_autolinks_and_code():
    html = render_markdown(
        "| talk | room |\n|:--|--:|\n| Async | 101 |\n\n"
        "~~cancelled~~ see www.example.org or https://pycon.kr/2025.\n\n"
        "```python\nprint(1)\n```"
    )
    assert html == (
        '<table>\n<thead>\n<tr>\n<th align="left">talk</th>\n<th align="right">room</th>\n'
        '</tr>\n</thead>\n<tbody>\n<tr>\n<td align="left">Async</td>\n'
        '<td align="right">101</td>\n</tr>\n</tbody>\n</table>\n'
        "<p><del>cancelled</del> see "
        '<a href="http://www.example.org" rel="noopener noreferrer nofollow">www.example.org</a> or '
        '<a href="https://pycon.kr/2025" rel="noopener noreferrer nofollow">https://pycon.kr/2025</a>'
        ".</p>\n"
        '<pre><code class="language-python">print(1)\n</code></pre>'
    )


def test_task_list_boxes_are_text_not_form_controls():
    html = render_markdown("- [ ] slides\n- [x] video")
    assert html == "<ul>\n<li>☐ slides</li>\n<li>☑ video</li>\n</ul>"


def test_a_footnote_and_its_reference_link_to_each_other():
    html = render_markdown("Async[^gil] is fun.\n\n[^gil]: Not the GIL.")
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    reference = tree.xpath("//sup/a")[0]
    footnote = tree.xpath("//section/ol/li")[0]
    back = footnote.xpath(".//a")[0]
    assert reference.get("href") == "#" + footnote.get("id")
    assert back.get("href") == "#" + reference.get("id")
    assert re.fullmatch(r"footnote-[0-9a-f]{16}-fn-gil", footnote.get("id"))
    assert footnote.text_content().strip() == "Not the GIL. ↩"


def test_footnotes_of_two_notes_on_one_page_have_different_ids():
    first = render_markdown("One[^1].\n\n[^1]: first")
    second = render_markdown("Two[^1].\n\n[^1]: second")
    ids = {html: set(re.findall(r'id="([^"]+)"', html)) for html in (first, second)}
    assert len(ids[first]) == len(ids[second]) == 2
    assert ids[first].isdisjoint(ids[second])
    assert render_markdown("One[^1].\n\n[^1]: first") == first  # the same text, the same ids


def test_no_note_can_take_the_ids_of_another_notes_footnotes():
    victim = render_markdown("One[^1].\n\n[^1]: first")
    [footnote_id] = re.findall(r'<li id="([^"]+)"', victim)
    forger = render_markdown(f'<a id="{footnote_id}">x</a> <a id="note-{footnote_id}">y</a>')
    assert footnote_id not in re.findall(r'id="([^"]+)"', forger)
    assert re.findall(r'id="([^"]+)"', forger) == [f"note-{footnote_id}"] * 2


def test_raw_html_is_cleaned_as_before_and_its_ids_cannot_take_the_pages_names():
    html = render_markdown(
        '<kbd>Ctrl</kbd> <a id="csrf" href="#top">top</a> <b onclick="x()">b</b>'
        "<script>alert(1)</script>\n\n<details><summary>more</summary>\n\n**in**\n\n</details>"
    )
    assert html == (
        '<p><kbd>Ctrl</kbd> <a id="note-csrf" href="#top" rel="noopener noreferrer nofollow">'
        "top</a> <b>b</b></p>\nmore\n<p><strong>in</strong></p>"
    )


def test_headings_carry_no_attributes_so_write_ups_can_shift_them():
    html = render_markdown("# One\n\n## Two\n\nSetext\n------\n\n###### Six")
    assert re.findall(r"<h[1-6][^>]*>", html) == ["<h1>", "<h2>", "<h2>", "<h6>"]


def test_lone_surrogates_and_nul_become_replacement_characters():
    assert render_markdown("a\ud800b\x00c") == "<p>a\ufffdb\ufffdc</p>"


# CommonMark's pathological inputs (cmark's test/pathological_tests.py) and others that blew up
# Python-Markdown (RecursionError) or the sanitizer's HTML parser. Each renders completely.
PATHOLOGICAL = {
    "nested brackets": "[" * 20000,
    "footnote brackets": "[^" * 10000,
    "emphasis and brackets": "*[" * 10000,
    "emphasis runs": "*a" * 10000,
    "underscores": "_" * 20000,
    "nested strong emphasis": "**a " * 5000 + "b" + " a**" * 5000,
    "unclosed links": "[a](<b" * 10000,
    "nested inline links": "[" * 5000 + "a" + "](b)" * 5000,
    "backticks": "".join("`" * n + "a" for n in range(1, 200)),
    "link chains": "[a](b)" * 10000,
    "deep lists": "- " * 10000 + "x",
    "deep block quotes": ">" * 10000 + "x",
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_input_renders_every_character_it_was_given(text):
    html = render_markdown(text)
    # Markup characters become structure or stay as text; the letters all arrive.
    assert text_of(html).count("a") == text.count("a")
    assert text_of(html).count("x") == text.count("x")


def test_nested_brackets_stay_text():
    assert render_markdown("[" * 20000) == "<p>" + "[" * 20000 + "</p>"


def test_deep_lists_stop_at_cmarks_hundred_levels_and_keep_the_rest_as_text():
    html = render_markdown("- " * 1000 + "x")
    assert html.count("<ul>") == 99
    assert "<li>" + "- " * 901 + "x</li>" in html


def test_a_line_opens_at_most_the_limit_of_block_quotes_and_shows_the_rest():
    html = render_markdown("> " * 20 + "- " + ">" * 10000 + " deep\n\nafter")
    assert html.count("<blockquote>") == MAX_QUOTE_DEPTH
    assert html.count("<ul>") == 1
    assert text_of(html).split() == [">" * (10000 - (MAX_QUOTE_DEPTH - 20)), "deep", "after"]


def test_a_text_with_many_tag_like_pieces_keeps_no_raw_html_but_all_its_code():
    raw = "<kbd>k</kbd> <b>bold</b>"  # four tags
    at_the_limit = "`<div>` " * (MAX_RAW_HTML_TAGS - 4) + raw
    assert render_markdown(at_the_limit).endswith("</code> <kbd>k</kbd> <b>bold</b></p>")
    html = render_markdown("`<div>` " + at_the_limit)
    assert html.count("<code>&lt;div&gt;</code>") == MAX_RAW_HTML_TAGS - 3
    assert html.endswith("</code> k bold</p>")


def test_a_text_whose_html_would_be_far_larger_is_shown_as_typed():
    text = "[^1]" * 5000 + "\n\n[^1]: <b>x</b>"
    html = render_markdown(text)
    assert html == "<p>" + "[^1]" * 5000 + "<br>\n<br>\n[^1]: &lt;b&gt;x&lt;/b&gt;</p>"


def test_a_short_text_may_grow_more_than_a_long_one():
    html = render_markdown(">" * MAX_QUOTE_DEPTH + "x")  # 33 characters, 860 of HTML
    assert len(html) > HTML_GROWTH * (MAX_QUOTE_DEPTH + 1)
    assert html.count("<blockquote>") == MAX_QUOTE_DEPTH


def test_ordinary_long_notes_render_as_markdown():
    """Real abstracts, 200 KB of them, come out as paragraphs and lists, not as typed text."""
    text = ordinary_note(200 * 1024)
    html = render_markdown(text)
    assert html.startswith("<") and html.count("<p>") > 500
    assert "<br>\n<br>" not in html


def ordinary_note(size: int) -> str:
    fixture = SCHEDULES / "debconf23.xml"
    tree = lxml.etree.parse(fixture)
    texts = [t.strip() for t in tree.xpath("//event/abstract/text()|//event/description/text()")]
    body = "\n\n".join(f"## {i}\n\n{t}" for i, t in enumerate(texts) if t)
    return (body * (size // len(body) + 1))[:size]


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads Linux's /proc")
def test_rendering_keeps_no_memory():
    """cmarkgfm's own functions leak the parsed tree and the HTML (about 13 times the text per call)."""
    text = ordinary_note(30 * 1024)
    render_markdown(text)
    before = resident_bytes()
    for _ in range(200):
        render_markdown(text)
    assert resident_bytes() - before < 20 * 1024 * 1024


def resident_bytes() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")
