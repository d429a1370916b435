"""Addresses under /accounts/: sign-up, and Django's own sign-in, sign-out and password pages,
except that the password reset exists only where hugi can send mail (settings.EMAIL_ENABLED)."""

from functools import wraps

from django.conf import settings
from django.contrib.auth import urls as auth_urls
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _

from accounts import views
from accounts.forms import PasswordResetForm

PASSWORD_RESET = {
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def needs_email(view):
    """A 404 while no mail can be sent: a reset link that never arrives helps no one."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.EMAIL_ENABLED:
            raise Http404(_("This site sends no email, so passwords are reset by its admins."))
        return view(request, *args, **kwargs)

    return wrapper


def with_email(pattern):
    view = pattern.callback
    if pattern.name == "password_reset":
        view = auth_views.PasswordResetView.as_view(form_class=PasswordResetForm)
    return path(str(pattern.pattern), needs_email(view), name=pattern.name)


urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signed-in/", views.signed_in, name="signed_in"),
] + [
    with_email(pattern) if pattern.name in PASSWORD_RESET else pattern
    for pattern in auth_urls.urlpatterns
]
