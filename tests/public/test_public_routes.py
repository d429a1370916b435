"""Routing: the conference pages catch every first path segment the site does not use, so the
segments the site uses must be exactly the slugs no conference may take."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import resolve

from sessions.validators import RESERVED_SLUGS, validate_not_reserved
from tests.site.test_url_access import all_patterns

# Reserved without a route here: served by the web server in front (static files, uploads, the
# icon browsers ask for at the root), or kept for addresses the site may grow.
HELD_FOR_THE_WEB_SERVER_OR_LATER = {"static", "media", "favicon.ico", "api", "offline", "healthz"}


def first_segments():
    segments = set()
    for route, _name in all_patterns():
        route = route.lstrip("^")
        first = re.split(r"/|\$", route, maxsplit=1)[0]
        if first and "<" not in first and "(" not in first:
            segments.add(first.replace("\\", ""))
    return segments


def test_reserved_slugs_are_the_first_segments_of_the_routes():
    assert first_segments() == RESERVED_SLUGS - HELD_FOR_THE_WEB_SERVER_OR_LATER
    assert HELD_FOR_THE_WEB_SERVER_OR_LATER <= RESERVED_SLUGS


@pytest.mark.parametrize("segment", sorted(RESERVED_SLUGS))
def test_no_conference_may_take_a_reserved_segment(segment):
    with pytest.raises(ValidationError, match="reserved"):
        validate_not_reserved(segment.upper())


@pytest.mark.parametrize(
    ("path", "view"),
    [
        ("/pyconkr/", "public:conference"),
        ("/pyconkr/schedule.xml", "public:schedule_xml"),
        ("/pyconkr/sessions/intro.ics", "public:session_ics"),
        ("/pyconkr/sessions/intro/", "public:session"),
        ("/pyconkr/writeups/kim/", "public:writeup"),
        ("/me/writeups/pyconkr/", "writeups:compose"),
        ("/me/", "notes:me"),
        ("/search/", "public:search"),
        ("/accounts/signup/", "signup"),
    ],
)
def test_each_address_reaches_its_page_whatever_the_include_order(path, view):
    assert resolve(path).view_name == view
