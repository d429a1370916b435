from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def signup_enabled():
    """Whether this site lets people create their own accounts (settings.SIGNUP_ENABLED)."""
    return settings.SIGNUP_ENABLED


@register.simple_tag
def password_reset_enabled():
    """Whether this site can mail a password reset link (settings.EMAIL_ENABLED)."""
    return settings.EMAIL_ENABLED
