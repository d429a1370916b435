"""/sitemap.xml and /robots.txt."""

import re

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from core import page_cache
from core.fast_lane import fast_lane
from public.sitemaps import SITEMAPS
from public.views.rendering import site_validators

# The sitemap's own further pages (?p=2); ?p=02 or ?p=2&x are drawn, not kept.
SITEMAP_PAGE = re.compile(r"p=[1-9][0-9]{0,5}")


@require_safe
@fast_lane
def sitemap(request):
    validators = site_validators(request)
    return page_cache.cached_page(
        request,
        validators,
        lambda: sitemap_views.sitemap(request, sitemaps=SITEMAPS).render(),
        canonical_query=bool(SITEMAP_PAGE.fullmatch(request.META.get("QUERY_STRING", ""))),
    )


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("public:sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /me/",
        "Disallow: /notes/",
        "Disallow: /search/",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
