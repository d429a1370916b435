from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def signup_enabled():
    """Whether this site lets people create their own accounts (settings.SIGNUP_ENABLED)."""
    return settings.SIGNUP_ENABLED
