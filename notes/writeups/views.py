"""Composing a write-up (signed in): my write-ups, the compose page, preview, publish.

Every query names its owner: a write-up is found by its author and conference together, so
someone else's draft is a 404, never a "forbidden" that says it exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.http import from_script
from notes.models import Visibility, WriteUp
from notes.writeups import services
from notes.writeups.assembly import (
    default_title,
    with_post_relations,
)
from notes.writeups.forms import WriteUpForm
from notes.writeups.post import post_context
from notes.writeups.saving import (
    BadSave,
    conflict_rows,
    form_data_from_json,
    form_errors,
    posted_form,
    save_form,
    stored_texts,
)
from sessions.models import Conference, Session

# --- finding write-ups, always by owner or by status in the query --------------------------------


def my_writeup_or_new(user, conference) -> WriteUp:
    """My write-up of the conference; an unsaved draft (nothing written) when I have none."""
    writeup = with_post_relations(
        WriteUp.objects.filter(author=user, conference=conference)
    ).first()
    if writeup is None:
        writeup = WriteUp(
            author=user,
            conference=conference,
            title=default_title(conference),
            layout={},
            language=services.current_language(),
        )
    return writeup


def my_saved_writeup(user, conference) -> WriteUp:
    return get_object_or_404(WriteUp.objects.filter(author=user, conference=conference))


# --- composing ---------------------------------------------------------------------------------


@login_required
@never_cache
@require_safe
def mine(request):
    """My write-ups, and the conferences I could write one about (where I have public notes)."""
    conferences = (
        Conference.objects.filter(
            Q(writeups__author=request.user)
            | Q(sessions__notes__author=request.user, sessions__notes__visibility=Visibility.PUBLIC)
        )
        .annotate(
            public_notes=Count(
                "sessions__notes",
                filter=Q(
                    sessions__notes__author=request.user,
                    sessions__notes__visibility=Visibility.PUBLIC,
                ),
                distinct=True,
            )
        )
        .order_by("-start_date", "name")
    )
    writeups = {
        writeup.conference_id: writeup
        for writeup in WriteUp.objects.filter(author=request.user).only(
            "conference", "title", "status", "published_at", "updated_at"
        )
    }
    rows = [(conference, writeups.get(conference.pk)) for conference in conferences]
    return render(request, "writeups/mine.html", {"rows": rows})


def compose_context(request, conference, writeup, form, conflict=None) -> dict:
    """The compose page; conflict is the stored write-up a posted form was refused against."""
    context = post_context(writeup)
    context.update(
        {
            "form": form,
            "saved": writeup.pk is not None,
            "draft_key": f"hugi:writeup:{request.user.pk}:{conference.pk}",
            "saved_at": writeup.updated_at.isoformat() if writeup.updated_at else "",
            "public_url": reverse(
                "public:writeup",
                kwargs={"conf": conference.slug, "username": request.user.get_username()},
            ),
            "script_words": script_words(),
            "conflict_rows": conflict_rows(form, form.initial, conflict),
            "conflict": stored_texts(conflict) if conflict else None,
        }
    )
    return context


def script_words() -> dict[str, str]:
    """writeup.js's words, translated here so the script needs no catalogue."""
    return {
        "saved": _("Saved %(time)s"),
        "saving": _("Saving…"),
        "unsaved": _("Not saved yet — kept on this device"),
        "failed": _("Not saved — kept on this device. %(reason)s"),
        "offline": _(
            "Offline. Not saved — kept on this device; it will be sent when you are back online."
        ),
        "restored": _("Restored text from this device that had not reached the server yet."),
        "previewOffline": _("The preview needs a connection. Your text is safe."),
        "conflict": _(
            "Not saved — changed on another device meanwhile. Choose which text to keep."
        ),
        "signedOut": _(
            "Not saved — kept on this device. Your sign-in has expired: sign in again in "
            "another tab."
        ),
    }


def render_compose(request, conference, writeup, form, *, conflict=None, status=200):
    context = compose_context(request, conference, writeup, form, conflict)
    return render(request, "writeups/compose.html", context, status=status)


def refused_page(request, conference, writeup, form):
    """The compose page again after an invalid form, holding what was posted."""
    messages.error(request, _("Not saved: %(errors)s") % {"errors": form_errors(form)})
    return render_compose(request, conference, writeup, form, status=400)


def conflict_page(request, conference, stored, refused_form):
    """The compose page after a stale form: the posted texts in the form, based on the stored
    version (saving again keeps them), and the stored texts beside them in the conflict view."""
    messages.error(
        request,
        _(
            "This write-up was changed on another device. The form keeps your texts; the saved "
            "ones are shown above it. Save again to keep yours."
        ),
    )
    mine = {**refused_form.cleaned_data, "base_version": stored.version}
    form = WriteUpForm(
        instance=stored,
        initial=mine,
        cover_choices=services.cover_choices(request.user, conference),
    )
    return render_compose(request, conference, stored, form, conflict=stored, status=409)


def save_from_script(request, conference, writeup):
    """writeup.js's autosave: JSON in, JSON out (a 409 carries the stored texts). A script that
    posts the form's fields instead gets the same answers."""
    form = None
    try:
        sent_json = request.content_type == "application/json"
        data = form_data_from_json(request) if sent_json else None  # None: request.POST
        form = posted_form(request, conference, writeup, data=data)
        writeup = save_form(request, conference, form)
    except BadSave as error:
        return JsonResponse({"error": error.message}, status=error.status)
    except ValidationError:
        return JsonResponse({"error": form_errors(form)}, status=400)
    except services.StaleWriteUp as stale:
        stored = stored_texts(stale.current)
        error = _("This write-up was changed on another device.")
        return JsonResponse({"error": error, **stored}, status=409)
    return JsonResponse(
        {
            "version": writeup.version,
            "saved_at": writeup.updated_at.isoformat(),
            "status": writeup.status,
            "preview": reverse("writeups:preview", kwargs={"conf": conference.slug}),
        }
    )


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def compose(request, conf):
    """My write-up of a conference: its texts, cover and the sessions it keeps, in order.

    A POST saves the form; writeup.js autosaves the same fields as JSON. A layout button (leave
    out, put back, up, down) submits the whole form, so text typed without JavaScript is saved
    along with the change rather than lost.
    """
    conference = get_object_or_404(Conference, slug=conf)
    writeup = my_writeup_or_new(request.user, conference)
    if request.method != "POST":
        form = WriteUpForm(
            instance=writeup,
            cover_choices=services.cover_choices(request.user, conference),
        )
        return render_compose(request, conference, writeup, form)
    if from_script(request):
        return save_from_script(request, conference, writeup)

    form = posted_form(request, conference, writeup)
    try:
        writeup = save_form(request, conference, form)
    except ValidationError:
        return refused_page(request, conference, writeup, form)
    except services.StaleWriteUp as stale:
        return conflict_page(request, conference, stale.current, form)
    anchor = ""
    if action := request.POST.get("layout"):
        try:
            anchor = apply_layout(request, conference, writeup, action)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("writeups:compose", conf=conference.slug)
    else:
        messages.success(request, _("Saved."))
    return redirect(reverse("writeups:compose", kwargs={"conf": conference.slug}) + anchor)


def apply_layout(request, conference, writeup, action: str) -> str:
    """Run a layout button ("leave:12", "back:12", "up:12", "down:12"); returns its anchor."""
    verb, _sep, raw_id = action.partition(":")
    if verb not in ("leave", "back", "up", "down") or not raw_id.isdigit():
        raise ValidationError(_("Unknown change to the list of sessions."))
    session = Session.objects.filter(conference=conference, pk=int(raw_id)).first()
    if session is None:
        raise ValidationError(_("That session is not part of this conference."))
    if verb in ("leave", "back"):
        services.set_left_out(writeup=writeup, session=session, left_out=verb == "leave")
    else:
        services.move_session(writeup=writeup, session=session, direction=verb)
    return f"#entry-{session.pk}"


@login_required
@never_cache
@require_safe
def preview(request, conf):
    """The post exactly as it will be published, for the compose page to refresh."""
    conference = get_object_or_404(Conference, slug=conf)
    writeup = my_writeup_or_new(request.user, conference)
    return render(request, "writeups/detail.html#post", post_context(writeup))


def change_status(request, conf, change, done_message):
    """Save what the compose form posted with the button (if anything), then change status."""
    conference = get_object_or_404(Conference, slug=conf)
    writeup = my_saved_writeup(request.user, conference)
    if "title" in request.POST:
        form = posted_form(request, conference, writeup)
        try:
            writeup = save_form(request, conference, form)
        except ValidationError:
            return refused_page(request, conference, writeup, form)  # what was typed stays
        except services.StaleWriteUp as stale:
            return conflict_page(request, conference, stale.current, form)
    change(writeup=writeup)
    messages.success(request, done_message)
    return redirect("writeups:compose", conf=conference.slug)


@require_POST
@login_required
def publish(request, conf):
    return change_status(
        request, conf, services.publish, _("Published. Anyone with the link can read it now.")
    )


@require_POST
@login_required
def unpublish(request, conf):
    return change_status(
        request, conf, services.unpublish, _("Back to a draft: only you can see it now.")
    )
