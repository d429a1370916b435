"""public/search_hits.py: the words found, marked in escaped text; snippets around them."""

from public import search_hits


def test_highlight_never_breaks_entities():
    assert (
        search_hits.highlight("Tom & Jerry <amp>", ["amp"])
        == "Tom &amp; Jerry &lt;<mark>amp</mark>&gt;"
    )
    assert search_hits.highlight("a;b", [";"]) == "a<mark>;</mark>b"


def test_snippet_is_cut_around_the_first_match():
    text = " ".join(["filler"] * 60) + " the Kubeflow part " + " ".join(["after"] * 60)
    snippet = search_hits.snippet(text, ["kubeflow"])
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>Kubeflow</mark>" in snippet
    assert len(snippet) < search_hits.SNIPPET_LENGTH + 40
