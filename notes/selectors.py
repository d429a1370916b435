"""Reads of a person's own things that several pages need."""

from .models import Star


def starred_session_ids(user, conference) -> set[int]:
    """Ids of the sessions of one conference that the user starred (one query; none if anonymous)."""
    if not user.is_authenticated:
        return set()
    return set(
        Star.objects.filter(user=user, session__conference=conference).values_list(
            "session_id", flat=True
        )
    )
