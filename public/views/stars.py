"""Star buttons in a shared timeline: the cached grid holds a slot per session, filled with a signed-in visitor's own buttons."""

import re
from dataclasses import dataclass

from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from notes.selectors import starred_session_ids

# In a signed-in visitor's grid, a box's star button is first this stand-in, then their own.
STAR_SLOT = "<!--hugi-star-{}-->"


STAR_SLOTS = re.compile(r"<!--hugi-star-(\d+)-->")


def star_slot(session, starred=False):
    return STAR_SLOT.format(session.pk)


def fill_stars(request, conference, html: str, titles: dict):
    """The shared grid's HTML with this visitor's own star buttons put in (one query: their
    stars); titles: each session's title by id, for the buttons' labels."""
    starred = starred_session_ids(request.user, conference)
    button = star_buttons(request)

    def fill(match):
        pk = int(match.group(1))
        return button(StandIn(pk=pk, title=titles[pk]), pk in starred)

    # Safe: the shared section was rendered and escaped, and each button is the escaped partial.
    return mark_safe(STAR_SLOTS.sub(fill, html))


def star_buttons(request):
    """session, starred → the notes/_star_button.html partial, for a signed-in visitor.

    The partial is rendered twice (starred and not) for a stand-in session, and each of the
    hundreds of buttons on a busy day is one of those with the session's address and title put
    in: the same HTML as rendering it for every session, at a fraction of the cost.
    """
    if not request.user.is_authenticated:
        return None
    template = get_template("notes/_star_button.html").template
    shared = {"request": request, "user": request.user, "csrf_token": get_token(request)}
    stand_in = StandIn(pk=STAND_IN_PK, title=STAND_IN_TITLE)
    stand_in_url = reverse("notes:star", args=[STAND_IN_PK])
    variants = {
        starred: template.render(Context({**shared, "session": stand_in, "starred": starred}))
        for starred in (False, True)
    }

    def render(session, starred):
        # The address by substitution too: reverse() for each of hundreds of buttons shows.
        url = stand_in_url.replace(str(STAND_IN_PK), str(session.pk))
        return (
            variants[starred]
            .replace(stand_in_url, url)
            .replace(STAND_IN_TITLE, escape(session.title))
        )

    return render


@dataclass(frozen=True)
class StandIn:
    pk: int
    title: str


STAND_IN_PK = 987654321


STAND_IN_TITLE = "hugi-stand-in-title"
