"""Template helpers for photos: their URLs, srcset and Markdown, and a note's photo list."""

from django import template
from django.template.defaultfilters import filesizeformat

from notes.models import Photo, Visibility
from notes.photos import links, processing

register = template.Library()


@register.simple_tag(takes_context=True)
def session_photos(context, session):
    """The signed-in user's photos of a session, in their order (one query)."""
    return list(Photo.objects.owned_by(context["request"].user).filter(session=session))


@register.simple_tag
def photo_src(photo):
    return links.display_url(photo)


@register.simple_tag
def photo_srcset(photo):
    return links.srcset(photo)


@register.simple_tag
def photo_thumbnail(photo):
    return links.thumbnail_url(photo)


@register.simple_tag
def photo_original(photo):
    return links.photo_url(photo)


@register.simple_tag
def photo_markdown(photo):
    return links.photo_markdown(photo)


@register.simple_tag
def photo_max_bytes():
    return processing.max_bytes()


@register.simple_tag
def photo_max_size():
    return filesizeformat(processing.max_bytes())


@register.simple_tag
def visibility_choices():
    return Visibility.choices
