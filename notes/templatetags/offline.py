"""The guard of pages kept for offline use (see notes/offline.py)."""

from django import template
from django.urls import reverse

from notes import offline

register = template.Library()


@register.inclusion_tag("notes/_offline_guard.html", takes_context=True)
def offline_guard(context):
    """A script that shows a kept copy of this page only to the person it was drawn for."""
    return {
        "owner": offline.owner_mark(context["request"].user),
        "cookie": offline.OWNER_COOKIE,
        "leave_url": reverse("login"),
        "csp_nonce": context.get("csp_nonce"),
    }
