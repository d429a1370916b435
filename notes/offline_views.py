"""The service worker, and the note editor's offline shell: the editor page drawn for a stand-in
session.

The service worker keeps it for the signed-in user, and when a session's editor is asked for
offline and was never opened, answers with this page, the stand-in's id and words replaced by
the session's (from its conference's offline list, public/offline_list.py). Everything else is
the editor itself: the same draft, version and conflict logic.
"""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from notes import offline
from notes.forms import NoteForm
from notes.views import editor_messages
from sessions.models import Conference, Session

# The service worker replaces these (sw-keep.js: fillShell). Plain words and a number that no
# template filter changes and no real session carries.
STAND_IN_PK = 987654321
STAND_IN_WORDS = {
    "title": "hugi-stand-in-title",
    "conference": "hugi-stand-in-conference",
    "url": "/hugi-stand-in-url/",
    "when": "hugi-stand-in-when",
    "room": "hugi-stand-in-room",
    "speakers": "hugi-stand-in-speakers",
    "zone": "hugi-stand-in-zone",
}


@require_safe
@login_required
def editor_shell(request):
    conference = Conference(name=STAND_IN_WORDS["conference"], timezone="UTC")
    session = Session(pk=STAND_IN_PK, title=STAND_IN_WORDS["title"], conference=conference)
    upload_url = reverse("photos:upload", args=[STAND_IN_PK])
    context = {
        "shell": STAND_IN_WORDS,
        "session": session,
        "conference": conference,
        "note": None,
        "form": NoteForm(upload_url=upload_url),
        "conflict": None,
        "starred": False,
        "draft_key": f"hugi:note:{request.user.pk}:{STAND_IN_PK}",
        "messages_for_script": editor_messages(),
        "max_bytes": settings.NOTE_MAX_BYTES,
    }
    return render(request, "notes/editor.html", context)


@require_safe
def service_worker(request):
    """The service worker script, from the site root so it may control every page."""
    source_path = finders.find("js/sw.js")
    with open(source_path, encoding="utf-8") as source_file:
        source = source_file.read()
    config = {
        "static_prefix": settings.STATIC_URL,
        "media_prefix": settings.MEDIA_URL,
        "photo_prefix": reverse("photos:file", args=[0, "original"]).removesuffix("0/original/"),
        "keep_script": static("js/sw-keep.js"),
        "me": reverse("notes:me"),
        "editor_prefix": reverse("notes:editor", args=[0]).removesuffix("0/"),
        "shell": reverse("notes:editor_shell"),
        "stand_in": {"pk": STAND_IN_PK, "words": STAND_IN_WORDS},
        "logout": reverse("logout"),
        "owner_header": offline.OWNER_HEADER,
        "anonymous": offline.ANONYMOUS,
        "lang": get_language(),
        "texts": {
            "offline_title": _("You are offline"),
            "offline_text": _(
                "This page was not saved for offline use. Notes you opened before are still here."
            ),
            "offline_kept": _("Saved for offline use"),
            "offline_link": _("My hugi"),
        },
    }
    script = f"const HUGI_SW = {json.dumps(config)};\n{source}"
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker on each navigation; never let a cache answer for it.
    response["Cache-Control"] = "no-cache"
    return response
