"""Sign-up, and the page a "sign in again" tab lands on."""

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.forms import SignupForm


def signup(request):
    if not settings.SIGNUP_ENABLED:
        raise Http404(_("Sign-up is closed on this site."))
    if request.user.is_authenticated:
        return redirect("notes:me")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("notes:me")
    return render(request, "registration/signup.html", {"form": form})


@require_safe
@login_required
def signed_in(request):
    """Where the editor's "sign in again" tab lands: it says the note tab will carry on."""
    return render(request, "registration/signed_in.html")
