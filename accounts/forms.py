"""Sign-up, and a password reset that cannot flood an inbox."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import UserCreationForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only for resetting your password."),
    )

    class Meta(UserCreationForm.Meta):
        fields = ["username", "email"]


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, sending an account at most one reset mail per RESET_MAIL_MINUTES: asking
    again and again would fill the person's inbox from hugi's address. The cache key is the
    account's, never what the visitor typed."""

    RESET_MAIL_MINUTES = 15

    def get_users(self, email):
        for user in super().get_users(email):
            if cache.add(f"hugi:password-reset:{user.pk}", True, self.RESET_MAIL_MINUTES * 60):
                yield user
