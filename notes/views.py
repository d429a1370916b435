"""The personal pages: my hugi, stars and the note editor."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from sessions.models import Session

from . import services


@require_POST
@login_required
def star(request, session_id):
    """Star or unstar a session: a plain form POST, or fetch() which gets the button back."""
    session = get_object_or_404(Session.objects.select_related("conference"), pk=session_id)
    starred = services.set_star(
        user=request.user, session=session, starred=request.POST.get("starred") == "1"
    )
    if request.headers.get("X-Requested-With") == "fetch":
        return render(request, "notes/_star_button.html", {"session": session, "starred": starred})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = session.get_absolute_url()
    return redirect(next_url)


@login_required
def me(request):
    return render(request, "notes/me.html", {})
