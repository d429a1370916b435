"""The web app manifest, and the list of a conference's pages a phone keeps for offline use."""

import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import page_cache
from core.fast_lane import fast_lane
from public.offline_list import offline_list
from sessions.models import Conference
from sessions.stamp import stamp_or_404

# The light theme's page colour and the brand colour (static/css/hugi.css: --bg, --accent).
BACKGROUND = "#f6f5f1"
THEME = "#1e5bb8"
MANIFEST_MAX_AGE = 7 * 24 * 3600


@require_safe
def manifest(request):
    """What installs hugi as an app: opens on My hugi (which sends visitors to sign in first)."""
    data = {
        "id": "/",
        "name": "hugi",
        "short_name": "hugi",
        "description": _(
            "Conference notes and write-ups: the programme offline, notes in every talk."
        ),
        "lang": get_language(),
        "start_url": reverse("notes:me"),
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND,
        "theme_color": THEME,
        "icons": [
            *(
                {
                    "src": static(f"icons/hugi-{size}.png"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": "any",
                }
                for size in (192, 512)
            ),
            {
                "src": static("icons/hugi-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    patch_cache_control(response, public=True, max_age=MANIFEST_MAX_AGE)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@require_safe
@fast_lane
def conference_offline(request, conf):
    """Every page of the conference with its validator, for the service worker (sw-keep.js)."""
    stamp = stamp_or_404(conf)
    latest, extra = stamp.with_notes
    validators = page_cache.weak_validators(
        latest, ["offline", request.path, get_language(), *extra]
    )
    if request.user.is_authenticated:
        validators = None  # the same list for everyone, but only anonymous answers are kept

    def draw():
        conference = get_object_or_404(Conference, pk=stamp.pk)
        return JsonResponse(
            offline_list(conference, stamp), json_dumps_params={"ensure_ascii": False}
        )

    return page_cache.cached_page(request, validators, draw)
