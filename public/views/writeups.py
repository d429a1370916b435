"""A published write-up (a draft too, for its author) and its zip export."""

from django.http import FileResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from core import page_cache
from core.fast_lane import fast_lane
from notes.models import WriteUp
from notes.photos.links import display_url
from notes.writeups.assembly import assemble
from notes.writeups.export import export_files, write_zip
from notes.writeups.post import post_context, readable_writeup
from public.views.rendering import social
from sessions.stamp import stamp_or_404


@require_safe
@fast_lane
def detail(request, conf, username):
    # Publishing or changing a published post changes the conference's stamp; the public notes
    # and photos it shows change its notes stamp.
    changed_at, extra = stamp_or_404(conf).with_notes
    validators = page_cache.validators_for(request, changed_at, extra=extra)

    def draw():
        writeup = readable_writeup(request, conf, username)
        context = post_context(writeup)
        cover = context["cover"]
        context["social"] = social(
            request,
            writeup.title,
            writeup.summary or writeup.conference.name,
            image_url=display_url(cover) if cover else "",
            kind="article",
        )
        context["is_author"] = (
            request.user.is_authenticated and writeup.author_id == request.user.pk
        )
        return render(request, "writeups/detail.html", context)

    return page_cache.cached_page(request, validators, draw)


@require_safe
def export(request, conf, username):
    """The post as a zip: public when published; a draft only for its author."""
    writeup = readable_writeup(request, conf, username)
    bundle = export_files(writeup, assemble(writeup), base_url=request.build_absolute_uri("/"))
    response = FileResponse(
        write_zip(bundle),
        as_attachment=True,
        filename=f"{bundle.folder_name}.zip",
        content_type="application/zip",
    )
    if writeup.status != WriteUp.Status.PUBLISHED:
        # Only its author may download a draft: no shared cache may keep a copy of it.
        patch_cache_control(response, private=True, no_store=True)
    return response
