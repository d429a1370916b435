"""Hypothesis strategies for what a stranger may send to the JSON endpoints (note, star and
write-up saves): any JSON value, text with lone surrogates (JSON allows "\\ud800", UTF-8 does not)."""

from hypothesis import strategies as st

lone_surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
odd_text = st.text(st.one_of(st.characters(), lone_surrogates), max_size=40)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), odd_text),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(odd_text, children, max_size=4)
    ),
    max_leaves=12,
)
