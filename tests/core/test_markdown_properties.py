"""render_markdown on any text at all: it answers a string and that string holds nothing that runs."""

from hypothesis import given, settings
from hypothesis import strategies as st

from core.markdown import render_markdown
from tests.support.xss_payloads import markdown_dangers

# Pieces of Markdown and of attacks, mixed with any text: Hypothesis finds the combinations.
PIECES = [
    "*", "**", "_", "__", "~~", "`", "```", "[", "]", "(", ")", "![", "](", "[^1]", "[^1]: ",
    "> ", "- ", "1. ", "- [ ] ", "- [x] ", "# ", "|", "|-|", "---", "\n", "\n\n", "    ", "\t",
    "<", ">", "&", "&#", "\\", "'", '"', "=", "www.", "http://", "mailto:", "@", "\x00", "\ud800",
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href=\"", "javascript:",
    "JaVaScRiPt:", "java\tscript:", "&#106;avascript:", "<svg onload=alert(1)>", " onclick=",
    "<div ", "<details open ontoggle=alert(1)>", "<style>", "<iframe src=", "data:text/html,",
    "<!--", "-->", "<input ", "vbscript:",
]  # fmt: skip
MARKDOWNISH_TEXT = st.lists(st.sampled_from(PIECES) | st.text(max_size=20), max_size=60).map(
    "".join
)


@settings(max_examples=200, deadline=None)
@given(MARKDOWNISH_TEXT)
def test_any_text_renders_to_html_that_runs_nothing(text):
    html = render_markdown(text)

    assert isinstance(html, str)
    assert "<script" not in html.lower()
    # Parsed as a browser would: no on…= or style attributes, no javascript: (or data:, vbscript:)
    # URLs, no forbidden tags.
    assert markdown_dangers(html) == []
