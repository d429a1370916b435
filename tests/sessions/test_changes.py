"""A version's counts in words."""

from sessions.changes import changes_phrase


def test_changes_phrase():
    assert changes_phrase({"new": 2, "cancelled": 1, "time": 3}) == "3 moved, 1 cancelled, 2 new"
    assert changes_phrase({"day": 1, "room": 2, "title": 1, "speakers": 1, "restored": 1}) == (
        "1 moved to another day, 2 room changes, 1 retitled, 1 speaker change, 1 back on"
    )
    assert changes_phrase({}) == ""
