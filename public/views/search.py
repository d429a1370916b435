"""/search/?q=…: sessions, speakers and the signed-in user's own notes, in groups."""

import re
from dataclasses import dataclass
from functools import partial

from django.core.paginator import Page, Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core import page_cache
from core.fast_lane import fast_lane
from public import search as finder
from public import search_hits
from public.views.rendering import site_validators
from sessions.models import Conference

# Results per group on the overview, and per page when one group is shown on its own.
PREVIEW_SIZE = 5
PAGE_SIZE = 20
# What a conference slug can be (as in the URLs); anything else is not looked up at all.
SLUG = re.compile(r"[-\w]{1,100}")


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    count: int
    page: Page | None  # None for a group that is only counted
    hits: list


@require_safe
@fast_lane
def search(request):
    validators = site_validators(request)
    # Results are drawn for each query, never kept: a query is the visitor's to make up, and
    # keeping a copy of each would let anyone fill the cache.
    return page_cache.cached_page(request, validators, lambda: results(request))


def results(request):
    query = finder.clean_query(request.GET.get("q", ""))
    terms = finder.search_terms(query)
    # An unknown conference (a stale link) widens the search to the whole site, not a 404.
    slug = request.GET.get("conference", "")
    conference = Conference.objects.filter(slug=slug).first() if SLUG.fullmatch(slug) else None

    kinds = [
        ("sessions", _("Sessions"), finder.search_sessions, search_hits.session_hits),
        ("speakers", _("Speakers"), finder.search_speakers, search_hits.speaker_hits),
    ]
    if request.user.is_authenticated:
        my_notes = partial(finder.search_notes, user=request.user)
        kinds.append(("notes", _("My notes"), my_notes, search_hits.note_hits))
    shown = request.GET.get("type", "")
    if shown not in {key for key, *_rest in kinds}:
        shown = ""

    groups = []
    if terms:
        for key, label, find, make_hits in kinds:
            results = find(query, conference=conference)
            if shown and key != shown:
                groups.append(Group(key, label, results.count(), None, []))
                continue
            page = Paginator(results, PAGE_SIZE if shown else PREVIEW_SIZE).get_page(
                request.GET.get("page") if shown else 1
            )
            groups.append(Group(key, label, page.paginator.count, page, make_hits(page, terms)))

    return render(
        request,
        "search/results.html",
        {
            "query": query,
            "searchable": bool(terms),
            "conference": conference,
            "groups": groups,
            "shown": shown,
            "total": sum(group.count for group in groups),
            "max_length": finder.MAX_QUERY_LENGTH,
        },
    )
