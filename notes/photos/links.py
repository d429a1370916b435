"""How pages and notes address a photo: always through the photos:file view.

The view checks who may see the photo, so these URLs stay the same whatever the photo's
visibility and wherever its files are stored (local disk or an S3 bucket).
"""

import re
from html import escape

from django.urls import reverse

# A photo's address as it stands in a note's sanitized HTML: /photos/12/960/.
PHOTO_ADDRESS = re.compile(r"/photos/([0-9]+)/(?:original|[0-9]+)/")
IMG_TAG = re.compile(r"<img\b[^>]*>")
A_TAG = re.compile(r"<a\b[^>]*>")
HREF = re.compile(r' href="[^"]*"')

ORIGINAL = "original"


def file_names(photo) -> dict[str, str]:
    """Storage names by rendition key: "original" and each rendition width as text."""
    names = {str(rendition["width"]): rendition["name"] for rendition in photo.renditions}
    if photo.image.name:
        names[ORIGINAL] = photo.image.name
    return names


def photo_url(photo, rendition: str | int = ORIGINAL) -> str:
    return reverse("photos:file", kwargs={"photo_id": photo.pk, "rendition": str(rendition)})


def display_url(photo) -> str:
    """The picture a note shows: the largest rendition (light enough for a phone)."""
    if photo.renditions:
        return photo_url(photo, photo.renditions[-1]["width"])
    return photo_url(photo)


def thumbnail_url(photo) -> str:
    if photo.renditions:
        return photo_url(photo, photo.renditions[0]["width"])
    return photo_url(photo)


def srcset(photo) -> str:
    """Every rendition with its width, and the original when it is wider than all of them."""
    candidates = [(rendition["width"], rendition["width"]) for rendition in photo.renditions]
    widest = candidates[-1][0] if candidates else 0
    if photo.width > widest:
        candidates.append((ORIGINAL, photo.width))
    return ", ".join(f"{photo_url(photo, key)} {width}w" for key, width in candidates)


def markdown_alt_text(text: str) -> str:
    """Text that can sit between ![ and ] without ending it early or spanning lines."""
    flat = " ".join(text.split())
    return flat.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def photo_markdown(photo) -> str:
    return f"![{markdown_alt_text(photo.caption)}]({display_url(photo)})"


# How wide a photo inside a note shows: the text column, or the screen on a phone.
INLINE_SIZES = "(min-width: 50rem) 46rem, 100vw"


def show_photos(html: str, shown: dict) -> str:
    """A note's sanitized HTML for readers who may see only the photos in shown (by id).

    Images of any other photo are removed and links to them unlinked: a private photo left in a
    public note would otherwise be a broken image whose address says that it exists. The shown
    ones get what a figure has: every rendition to choose from, their size (no jump while the
    page loads) and lazy loading.
    """
    if "/photos/" not in html:
        return html

    def hidden(tag: str) -> bool:
        return any(int(found) not in shown for found in PHOTO_ADDRESS.findall(tag))

    def image(match) -> str:
        tag = match[0]
        if hidden(tag):
            return ""
        found = PHOTO_ADDRESS.findall(tag)
        if not found or "srcset=" in tag:
            return tag
        photo = shown[int(found[0])]
        if not (photo.width and photo.height):
            return tag
        sized = (
            f'<img srcset="{escape(srcset(photo))}" sizes="{INLINE_SIZES}" width="{photo.width}"'
            f' height="{photo.height}" loading="lazy" decoding="async"'
        )
        return sized + tag[len("<img") :]

    html = IMG_TAG.sub(image, html)
    return A_TAG.sub(lambda match: HREF.sub("", match[0]) if hidden(match[0]) else match[0], html)
