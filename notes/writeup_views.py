"""Write-up pages: composing (signed in), the public post, its export and the Atom feed.

Every query names its owner: a write-up is found by its author and conference together, so
someone else's draft is a 404, never a "forbidden" that says it exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sessions import conditional
from sessions.models import Conference, Session
from sessions.stamp import stamp_or_404

from . import writeup_services as services
from .models import Visibility, WriteUp
from .photo_links import display_url
from .writeup_export import export_files, write_zip
from .writeup_forms import WriteUpForm
from .writeups import assemble, default_title, public_cover, reading_minutes, with_post_relations

# --- finding write-ups, always by owner or by status in the query --------------------------------


def my_writeup_or_new(user, conference) -> WriteUp:
    """My write-up of the conference; an unsaved draft (nothing written) when I have none."""
    writeup = with_post_relations(
        WriteUp.objects.filter(author=user, conference=conference)
    ).first()
    if writeup is None:
        writeup = WriteUp(
            author=user, conference=conference, title=default_title(conference), layout={}
        )
    return writeup


def my_saved_writeup(user, conference) -> WriteUp:
    return get_object_or_404(WriteUp.objects.filter(author=user, conference=conference))


def readable_writeup(request, conf, username) -> WriteUp:
    """A published write-up; a draft only for its author."""
    return get_object_or_404(
        with_post_relations(WriteUp.objects.visible_to(request.user)),
        conference__slug=conf,
        author__username=username,
    )


# --- the post, shared by the public page and the compose page's preview --------------------------


def post_context(writeup: WriteUp) -> dict:
    body = assemble(writeup)
    cover = public_cover(writeup)
    conference = writeup.conference
    return {
        "writeup": writeup,
        "conference": conference,
        "author": writeup.author,
        "author_name": writeup.author.get_full_name() or writeup.author.get_username(),
        "body": body,
        "cover": cover,
        "minutes": reading_minutes(writeup, body),
        "is_draft": writeup.status != WriteUp.Status.PUBLISHED,
        "post_date": writeup.published_at or writeup.updated_at or timezone.now(),
        "conference_url": conference.get_absolute_url(),
    }


def social(request, writeup: WriteUp, cover) -> dict:
    """OpenGraph and Twitter card fields (program/_social_meta.html), addresses absolute."""
    return {
        "title": writeup.title,
        "description": writeup.summary or writeup.conference.name,
        "url": request.build_absolute_uri(request.path),
        "image": request.build_absolute_uri(display_url(cover)) if cover else "",
        "type": "article",
    }


@require_safe
def detail(request, conf, username):
    # Publishing or changing a published post changes the conference's stamp; the public notes
    # and photos it shows change its notes stamp.
    changed_at, extra = stamp_or_404(conf).with_notes
    validators = conditional.validators_for(request, changed_at, extra=extra)

    def draw():
        writeup = readable_writeup(request, conf, username)
        context = post_context(writeup)
        context["social"] = social(request, writeup, context["cover"])
        context["is_author"] = (
            request.user.is_authenticated and writeup.author_id == request.user.pk
        )
        return render(request, "writeups/detail.html", context)

    return conditional.cached_page(request, validators, draw)


@require_safe
def export(request, conf, username):
    """The post as a zip: public when published; a draft only for its author."""
    writeup = readable_writeup(request, conf, username)
    bundle = export_files(writeup, assemble(writeup), base_url=request.build_absolute_uri("/"))
    return FileResponse(
        write_zip(bundle),
        as_attachment=True,
        filename=f"{bundle.folder_name}.zip",
        content_type="application/zip",
    )


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


def compose_context(request, conference, writeup, form) -> dict:
    context = post_context(writeup)
    context.update(
        {
            "form": form,
            "saved": writeup.pk is not None,
            "draft_key": f"hugi:writeup:{request.user.pk}:{conference.pk}",
            "saved_at": writeup.updated_at.isoformat() if writeup.updated_at else "",
            "public_url": reverse(
                "writeups:detail",
                kwargs={"conf": conference.slug, "username": request.user.get_username()},
            ),
            "script_words": script_words(),
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
        "offline": _("Offline. Not saved — kept on this device; it will be sent when you are back online."),
        "restored": _("Restored text from this device that had not reached the server yet."),
        "previewOffline": _("The preview needs a connection. Your text is safe."),
    }  # fmt: skip


def wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def save_posted(request, conference, writeup):
    """Check and store the posted form. Returns (writeup, None) or (writeup, the invalid form)."""
    form = WriteUpForm(
        request.POST,
        instance=writeup,
        cover_choices=services.cover_choices(request.user, conference),
    )
    if not form.is_valid():
        return writeup, form
    data = form.cleaned_data
    try:
        writeup = services.save_writeup(
            author=request.user, conference=conference, title=data["title"],
            summary=data["summary"], intro=data["intro"], closing=data["closing"],
            cover_photo=data["cover_photo"],
        )  # fmt: skip
    except ValidationError as error:
        form.add_error(None, error)
        return writeup, form
    return writeup, None


def form_errors(form) -> str:
    """One line: "Title: This field is required." (errors of the whole form without a label)."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.extend(f"{label}: {error}" if label else error for error in errors)
    return " ".join(parts)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def compose(request, conf):
    """My write-up of a conference: its texts, cover and the sessions it keeps, in order.

    A POST saves the form (writeup.js autosaves it with fetch and gets JSON back). A layout
    button (leave out, put back, up, down) submits the same form, so text typed without
    JavaScript is saved along with the change rather than lost.
    """
    conference = get_object_or_404(Conference, slug=conf)
    writeup = my_writeup_or_new(request.user, conference)
    if request.method != "POST":
        form = WriteUpForm(
            instance=writeup,
            cover_choices=services.cover_choices(request.user, conference),
        )
        return render(
            request, "writeups/compose.html", compose_context(request, conference, writeup, form)
        )

    writeup, invalid = save_posted(request, conference, writeup)
    if invalid is not None:
        if wants_json(request):
            return JsonResponse({"error": form_errors(invalid)}, status=400)
        messages.error(request, _("Not saved: %(errors)s") % {"errors": form_errors(invalid)})
        context = compose_context(request, conference, writeup, invalid)
        return render(request, "writeups/compose.html", context, status=400)
    if wants_json(request):
        return JsonResponse(
            {
                "saved_at": writeup.updated_at.isoformat(),
                "status": writeup.status,
                "preview": reverse("writeups:preview", kwargs={"conf": conference.slug}),
            }
        )
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
        writeup, invalid = save_posted(request, conference, writeup)
        if invalid is not None:
            messages.error(request, _("Not saved: %(errors)s") % {"errors": form_errors(invalid)})
            return redirect("writeups:compose", conf=conference.slug)
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
