"""Photo uploads, the per-note photo manager, and the one view that serves photo files.

Every photo file is served by `photo_file`, which finds the photo with the visibility check in
the query: a private photo is a 404 for everyone but its owner (see docs/photos.md).
"""

import mimetypes
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from core.http import from_script
from core.redirects import safe_next_url
from notes.models import Photo, Visibility
from notes.photos import processing, services
from notes.photos.links import display_url, file_names, photo_markdown, srcset, thumbnail_url
from sessions.models import Session

# Room for the multipart envelope (boundaries, part headers, the CSRF token) around the image.
MULTIPART_SLACK = 64 * 1024
# How long a signed S3 URL works: long enough to load the page, short enough not to be shared.
SIGNED_URL_SECONDS = {Visibility.PRIVATE: 300, Visibility.PUBLIC: 3600}
CACHE_CONTROL = {Visibility.PRIVATE: "private, no-store", Visibility.PUBLIC: "public, max-age=3600"}
CONTENT_TYPES = {"jpg": "image/jpeg", "webp": "image/webp"}
# The editor's name for one upload (photos.js newKey), so that sending it again stores it once.
UPLOAD_KEY = re.compile(r"[0-9A-Za-z_-]{8,40}")


def error_response(request, message: str, session=None):
    if from_script(request):
        return JsonResponse({"error": message}, status=400)
    back = next_url(request, session) if session else ""
    return render(request, "notes/photo_error.html", {"message": message, "back": back}, status=400)


def next_url(request, session) -> str:
    """Where a form goes back to: the page it came from, if it is ours; else the session."""
    return safe_next_url(request, fallback=session.get_absolute_url())


def one_line(error: ValidationError) -> str:
    """The first problem, named by its field when there is one."""
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.message_dict.items()))
        label = Photo._meta.get_field(field).verbose_name
        return f"{capfirst(label)}: {errors[0]}"
    return error.messages[0]


def photo_json(photo) -> dict:
    return {
        "id": photo.pk,
        "markdown": photo_markdown(photo),
        "url": display_url(photo),
        "thumbnail_url": thumbnail_url(photo),
        "srcset": srcset(photo),
        "width": photo.width,
        "height": photo.height,
        "caption": photo.caption,
        "visibility": photo.visibility,
    }


# --- upload ---


@csrf_exempt  # only so the size check runs before CSRF reads (and spools) the body: see below
@require_POST
@login_required
def upload(request, session_id):
    """Add a photo to the signed-in user's note on a session: multipart field "image", one
    photo per request, and "upload_key" from our script, so that sending it again stores it once.

    Answers django-markdownx's drag-and-drop with {"image_code": "![](url)"}, our own script with
    that plus "photos", and a plain form with a redirect back; bad input is a 400 with one line.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > processing.max_bytes() + MULTIPART_SLACK:
        # Refused before the body is read: Django would otherwise spool it all to disk first.
        limit = filesizeformat(processing.max_bytes())
        return error_response(
            request, _("The upload is too large: at most %(size)s at a time.") % {"size": limit}
        )
    return store_upload(request, session_id)


@csrf_protect
def store_upload(request, session_id):
    session = get_object_or_404(Session.objects.select_related("conference"), pk=session_id)
    uploads = request.FILES.getlist("image")
    if not uploads:
        return error_response(request, _("Choose a photo to upload."), session)
    if len(uploads) > 1:
        # A photo can take a second or more to process: one per request keeps each one short.
        return error_response(
            request,
            _("Upload one photo at a time: this upload holds %(count)d.") % {"count": len(uploads)},
            session,
        )
    upload_key = request.POST.get("upload_key", "")
    if upload_key and not UPLOAD_KEY.fullmatch(upload_key):
        return error_response(request, _("The upload key is not valid."), session)
    try:
        photo = services.add_photo(
            owner=request.user, session=session, upload=uploads[0], upload_key=upload_key
        )
    except ValidationError as error:
        return error_response(request, one_line(error), session)
    if from_script(request):
        return JsonResponse({"image_code": photo_markdown(photo), "photos": [photo_json(photo)]})
    messages.success(request, _("Photo added."))
    return redirect(next_url(request, session))


# --- the photo manager of one note ---


def owned_photo(request, photo_id):
    return get_object_or_404(
        Photo.objects.owned_by(request.user).select_related("session__conference"), pk=photo_id
    )


def render_photo_list(request, session):
    photos = Photo.objects.owned_by(request.user).filter(session=session)
    context = {"photos": photos, "session": session, "photo_next": next_url(request, session)}
    return render(request, "notes/_photo_tools.html#photo-list", context)


def answer_after_change(request, session, message: str):
    """After a change: our script gets the refreshed list, a plain form goes back."""
    if from_script(request):
        return render_photo_list(request, session)
    messages.success(request, message)
    return redirect(next_url(request, session))


@require_safe
@login_required
def manager(request, session_id):
    """The list of my photos of a session: the same partial the editor page renders."""
    session = get_object_or_404(Session.objects.select_related("conference"), pk=session_id)
    return render_photo_list(request, session)


@require_POST
@login_required
def update(request, photo_id):
    photo = owned_photo(request, photo_id)
    post = request.POST
    try:
        services.update_photo(
            photo=photo,
            caption=post.get("caption", photo.caption),
            credit=post.get("credit", photo.credit),
            credit_url=post.get("credit_url", photo.credit_url),
            visibility=post.get("visibility", photo.visibility),
        )
    except ValidationError as error:
        return error_response(request, one_line(error), photo.session)
    return answer_after_change(request, photo.session, _("Photo saved."))


@require_POST
@login_required
def reorder(request, photo_id):
    photo = owned_photo(request, photo_id)
    try:
        services.move_photo(photo=photo, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        return error_response(request, one_line(error), photo.session)
    return answer_after_change(request, photo.session, _("Photo moved."))


@require_POST
@login_required
def delete(request, photo_id):
    photo = owned_photo(request, photo_id)
    services.delete_photo(photo=photo)
    return answer_after_change(request, photo.session, _("Photo deleted."))


# --- serving ---


@require_safe
def photo_file(request, photo_id, rendition):
    """One file of a photo, for anyone who may see the photo; a 404 for everyone else."""
    photo = get_object_or_404(Photo.objects.visible_to(request.user), pk=photo_id)
    name = file_names(photo).get(rendition)
    if name is None:
        raise Http404("No such rendition")
    storage = photo.image.storage
    extension = name.rsplit(".", 1)[-1]
    accel_prefix = getattr(settings, "PHOTO_ACCEL_REDIRECT_PREFIX", "")
    try:
        storage.path(name)
    except NotImplementedError:
        # An object store: send the browser to a short-lived signed URL for this one file.
        response = redirect(signed_url(storage, name, SIGNED_URL_SECONDS[photo.visibility]))
    else:
        if accel_prefix:
            # nginx serves the file from an internal location once this view has said yes.
            response = HttpResponse(content_type=CONTENT_TYPES.get(extension))
            response["X-Accel-Redirect"] = accel_prefix.rstrip("/") + "/" + name
        else:
            try:
                handle = storage.open(name, "rb")
            except FileNotFoundError:
                raise Http404("Photo file missing") from None
            response = FileResponse(
                handle,
                content_type=CONTENT_TYPES.get(extension) or mimetypes.guess_type(name)[0],
                filename=f"photo-{photo.pk}-{rendition}.{extension}",
            )
    response["Cache-Control"] = CACHE_CONTROL[photo.visibility]
    return response


def signed_url(storage, name: str, seconds: int) -> str:
    try:
        return storage.url(name, expire=seconds)  # django-storages' S3 backend
    except TypeError:
        return storage.url(name)  # a backend without expiring URLs
