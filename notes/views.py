"""The personal pages: my hugi, stars, the note editor and its save endpoint, the calendar
address, the service worker."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core.http import from_script
from core.json_bodies import BadSave, json_object
from core.markdown import render_markdown
from core.redirects import safe_next_url
from notes import selectors, services
from notes.forms import NoteForm
from notes.models import CalendarFeed, Visibility, new_calendar_token
from sessions.models import Conference, Session


def json_login_required(view):
    """Like login_required, but answers 401 JSON that the editor's script understands."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse(
                {
                    "error": _(
                        "You are signed out. Sign in again; your note is kept on this device."
                    )
                },
                status=401,
            )
        return view(request, *args, **kwargs)

    return wrapper


@require_POST
@login_required
def star(request, session_id):
    """Star or unstar a session: a plain form POST, or fetch() which gets the button back."""
    session = get_object_or_404(Session.objects.select_related("conference"), pk=session_id)
    choice = request.POST.get("starred")
    if choice not in ("0", "1"):
        # Anything else unstarred before: a request that says nothing must change nothing.
        return HttpResponseBadRequest(
            _("“starred” must be 1 (star) or 0 (unstar)."), content_type="text/plain; charset=utf-8"
        )
    starred = services.set_star(user=request.user, session=session, starred=choice == "1")
    next_url = safe_next_url(request, fallback=session.get_absolute_url())
    if from_script(request):
        context = {"session": session, "starred": starred, "next": next_url}
        return render(request, "notes/_star_button.html", context)
    return redirect(next_url)


@require_safe
@login_required
@never_cache
def me(request):
    notes = list(selectors.my_notes(request.user))
    boards = selectors.now_and_next(request.user, timezone.now())
    days = selectors.starred_days(request.user)
    changed = selectors.changed_stars(
        request.user, [session for day in days for session in day.sessions]
    )
    # Wherever a starred session shows, it says what changed that its owner has not seen yet.
    unseen = {entry.session_id: entry for group in changed for entry in group.sessions}
    for board in boards:
        for session in (*board.now, *board.next):
            session.unseen = unseen.get(session.pk)
    for day in days:
        for session in day.sessions:
            session.unseen = unseen.get(session.pk)
    context = {
        "boards": boards,
        "changed": changed,
        "days": days,
        "notes": notes,
        "noted_ids": {note.session_id for note in notes},
        "conferences": selectors.my_conferences(request.user),
        "reminders": CalendarFeed.Reminder.choices,
    }
    return render(request, "notes/me.html", context)


@require_POST
@login_required
def changes_seen(request, conf):
    """Dismiss the changes to one's starred sessions of a conference, up to the version the
    page showed (a version that came meanwhile stays unseen)."""
    conference = get_object_or_404(Conference, slug=conf)
    try:
        number = int(request.POST.get("version", ""))
    except ValueError:
        number = -1
    if number < 0:
        return HttpResponseBadRequest(
            _("“version” must be a version number."), content_type="text/plain; charset=utf-8"
        )
    services.mark_changes_seen(user=request.user, conference=conference, version_number=number)
    return redirect(safe_next_url(request, fallback=reverse("notes:me")))


# --- the editor --------------------------------------------------------------------------------


def editor_messages() -> dict[str, str]:
    """The editor script's words, translated here so the script needs no catalogue."""
    return {
        "saved": _("Saved %(time)s"),
        "saving": _("Saving…"),
        "unsaved": _("Not saved — kept on this device"),
        "offline": _(
            "Offline. Not saved — kept on this device; it will be sent when you are back online."
        ),
        "retrying": _("Not saved — kept on this device. Trying again in %(seconds)s s."),
        "signedOut": _("Not saved — kept on this device. Your sign-in has expired:"),
        "signIn": _("sign in again (opens a new tab)"),
        "restored": _("Restored text from this device that had not reached the server yet."),
        "deleted": _("Deleted meanwhile (nothing saved now)"),
        "conflict": _(
            "Not saved — changed on another device meanwhile. Choose which text to keep."
        ),
        "tooLong": _("The note is too long: at most %(kb)s KB. Not saved — kept on this device."),
        "storageFull": _(
            "This device's storage is full: the text is only on the screen until it is saved."
        ),
        "empty": _("Nothing written yet."),
        "previewOffline": _("The preview needs a connection. Your text is safe."),
    }


@login_required
@never_cache
def editor(request, session_id):
    session = get_object_or_404(Session.objects.with_related(), pk=session_id)
    return render_editor(request, session)


def render_editor(request, session, *, posted=None, conflict=None, status=200):
    """The editor page; after a failed plain-form save (no JavaScript) it shows what was posted."""
    note = selectors.my_note(request.user, session)
    upload_url = reverse("photos:upload", args=[session.pk])
    form = NoteForm(instance=note, initial=posted, upload_url=upload_url)
    context = {
        "session": session,
        "conference": session.conference,
        "note": note,
        "form": form,
        "conflict": conflict,
        "starred": session.pk in selectors.starred_session_ids(request.user, session.conference),
        "draft_key": f"hugi:note:{request.user.pk}:{session.pk}",
        "messages_for_script": editor_messages(),
        "max_bytes": settings.NOTE_MAX_BYTES,
    }
    return render(request, "notes/editor.html", context, status=status)


def parse_save_request(request) -> tuple[str, str, int]:
    """The body, visibility and base version of a save, or BadSave with a one-line reason.
    The body itself is checked where every save is: services.validate_note_body."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise BadSave(services.too_long_message(), status=413) from None
    data = json_object(raw)
    body = data.get("body")
    visibility = data.get("visibility", Visibility.PRIVATE)
    base_version = data.get("base_version")
    if not isinstance(body, str):
        raise BadSave(_("“body” must be text."))
    if visibility not in Visibility.values:
        raise BadSave(_("“visibility” must be private or public."))
    if isinstance(base_version, bool) or not isinstance(base_version, int) or base_version < 0:
        raise BadSave(_("“base_version” must be a whole number, 0 for a new note."))
    return body, visibility, base_version


@require_POST
@json_login_required
def save(request, session_id):
    """Save the signed-in user's note on a session (JSON in, JSON out; see editor.js)."""
    session = get_object_or_404(Session.objects.select_related("conference"), pk=session_id)
    if not from_script(request):
        return save_from_form(request, session)
    try:
        body, visibility, base_version = parse_save_request(request)
        note = services.save_note(
            author=request.user,
            session=session,
            body=body,
            visibility=visibility,
            base_version=base_version,
        )
    except BadSave as error:
        return JsonResponse({"error": error.message}, status=error.status)
    except services.NoteTooLong as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=413)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    except services.StaleNote as stale:
        current = stale.current
        return JsonResponse(
            {
                "error": _("This note was changed on another device."),
                "version": current.version if current else 0,
                "body": current.body if current else "",
                "visibility": current.visibility if current else Visibility.PRIVATE,
                "saved_at": current.updated_at.isoformat() if current else None,
                "deleted": current is None,
            },
            status=409,
        )
    return JsonResponse(
        {
            "version": note.version,
            "saved_at": note.updated_at.isoformat(),
            "visibility": note.visibility,
        }
    )


def save_from_form(request, session):
    """The editor's form posted without JavaScript: save, or show the page again with why not."""
    posted = {
        "body": request.POST.get("body", ""),
        "visibility": request.POST.get("visibility", Visibility.PRIVATE),
    }
    try:
        base_version = int(request.POST.get("base_version", ""))
    except ValueError:
        base_version = -1
    if base_version < 0:
        messages.error(request, _("“base_version” must be a whole number, 0 for a new note."))
        return render_editor(request, session, posted=posted, status=400)
    try:
        services.save_note(
            author=request.user, session=session, base_version=base_version, **posted
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render_editor(request, session, posted=posted, status=400)
    except services.StaleNote as stale:
        messages.error(
            request,
            _(
                "This note was changed on another device. Your text is in the editor; the saved "
                "text is shown above it. Save again to keep yours."
            ),
        )
        return render_editor(
            request, session, posted=posted, conflict=stale.current or {"body": ""}, status=409
        )
    messages.success(request, _("Saved."))
    return redirect("notes:editor", session_id=session.pk)


@require_POST
@json_login_required
def markdown_preview(request):
    """The live preview (ours and the admin's markdownx widget): the one sanitizing renderer."""
    content = request.POST.get("content")
    if content is None:
        return HttpResponse(_("Nothing to preview: the content field is missing."), status=400)
    if len(content.encode("utf-8")) > settings.NOTE_MAX_BYTES:
        return HttpResponse(services.too_long_message(), status=413)
    return HttpResponse(render_markdown(content))


@require_POST
@login_required
def reset_calendar(request):
    """Create the personal calendar address, or replace it (the old one stops working)."""
    CalendarFeed.objects.update_or_create(
        user=request.user, defaults={"token": new_calendar_token()}
    )
    messages.success(
        request,
        _("Your calendar has a new address. Calendars subscribed to the old one no longer update."),
    )
    return redirect(reverse("notes:me") + "#calendar")


@require_POST
@login_required
def calendar_reminder(request):
    """Choose how long before each starred session the calendar feed reminds its owner."""
    try:
        services.set_reminder(user=request.user, minutes=int(request.POST.get("minutes", "")))
    except (ValueError, ValidationError):
        return HttpResponseBadRequest(
            _("Choose one of the reminder times offered."), content_type="text/plain; charset=utf-8"
        )
    messages.success(request, _("Reminder saved. Calendar apps pick it up at their next update."))
    return redirect(reverse("notes:me") + "#calendar")
