"""A write-up as a blog post: Markdown with YAML front matter, its images beside it.

The post is written from the notes' Markdown source (not their HTML) in the order `assemble`
gives, so it says what the public page says: raw HTML in the source comes out as the page shows
it (writeup_markdown). Its images are the author's public photos at their largest rendition, in
images/ beside the post, linked relatively. Private notes and photos never enter: the body holds
none, and a link in a note, the introduction or the closing to any photo that is not part of the
export is dropped from the Markdown.

`export_files` is the one builder; `write_zip` (the download) and `write_folder` (the
export_writeup command) only decide where the same files go.
"""

import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from posixpath import splitext

from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notes.models import Photo, WriteUp
from notes.writeups.assembly import NOTE_HEADING_SHIFT, Body, Entry, public_cover
from notes.writeups.export_markdown import sanitized_markdown
from notes.writeups.markdown_syntax import code_end, link_target, opening_fence

# A photo in a note's Markdown as the note editor writes it: ![caption](/photos/12/960/),
# possibly with the site's address in front; or a link to one: [words](/photos/12/960/).
MARKDOWN_PHOTO = re.compile(
    r"(?P<image>!?)\[(?P<alt>(?:\\.|[^\]\\])*)\]"
    r"\((?:https?://[^/\s)]+)?/photos/(?P<id>[0-9]+)/(?:original|[0-9]+)/\)"
)
# Links to this site without its address ("](/…)"), which a blog elsewhere must not keep relative.
SITE_RELATIVE_LINK = re.compile(r"\]\(/(?!/)")
HEADING = re.compile(r"^(#{1,6})(?=\s|$)")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


@dataclass(frozen=True)
class ExportFile:
    name: str  # a relative path inside the export, "/"-separated
    text: str | None = None
    storage_name: str | None = None  # the bytes come from the default storage

    def open(self):
        return default_storage.open(self.storage_name, "rb")


@dataclass(frozen=True)
class Export:
    post_name: str  # "2025-08-18-pyconkr-2025-hugi.md"
    files: list[ExportFile]

    @property
    def folder_name(self) -> str:
        return self.post_name.removesuffix(".md")


def post_date(writeup: WriteUp) -> datetime:
    """The post's date in the conference's zone: publication, or now for a draft."""
    return timezone.localtime(writeup.published_at or timezone.now(), writeup.conference.tz)


def export_files(writeup: WriteUp, body: Body, *, base_url: str) -> Export:
    """Every file of the export. base_url ("https://example.org") makes session links absolute.

    The post speaks the write-up's language (“Day 1” / “1일차”, “Image source:”), whoever
    downloads it; the README, which is for them, speaks theirs.
    """
    base_url = base_url.rstrip("/")
    date = post_date(writeup)
    post_name = f"{date:%Y-%m-%d}-{writeup.slug or 'writeup'}.md"
    images = ImageNames()
    with translation.override(writeup.language):
        post = post_text(writeup, body, date, images, base_url)
    files = [
        ExportFile(post_name, text=post),
        *(ExportFile(name, storage_name=storage) for name, storage in images.files()),
        ExportFile("README.txt", text=readme(post_name, date, writeup.slug or "writeup")),
    ]
    return Export(post_name=post_name, files=files)


def post_text(writeup: WriteUp, body: Body, date: datetime, images, base_url: str) -> str:
    cover = public_cover(writeup)
    sections = [site_markdown(writeup.intro, body.text_photos, images, base_url)]
    for day in body.shown_days:
        sections.append(f"## {day.heading}")
        for entry in day.shown:
            sections.append(entry_markdown(entry, images, base_url))
    if closing := site_markdown(writeup.closing, body.text_photos, images, base_url):
        sections.extend(["* * *", closing])
    front = front_matter(writeup, body, date, cover=images.name(cover) if cover else "")
    return front + "\n\n".join(section for section in sections if section) + "\n"


class ImageNames:
    """The export's name for each photo, and the stored file it is copied from."""

    def __init__(self):
        self.names: dict[int, tuple[str, str]] = {}

    def name(self, photo: Photo) -> str:
        if photo.pk not in self.names:
            storage = largest_file(photo)
            extension = splitext(storage)[1].lower() or ".jpg"
            self.names[photo.pk] = (f"images/photo-{photo.pk}{extension}", storage)
        return self.names[photo.pk][0]

    def files(self):
        return list(self.names.values())


def largest_file(photo: Photo) -> str:
    """The stored name of the photo's largest rendition (the original when it has none)."""
    if photo.renditions:
        return max(photo.renditions, key=lambda rendition: rendition["width"])["name"]
    return photo.image.name


def entry_markdown(entry: Entry, images: ImageNames, base_url: str) -> str:
    link = base_url + entry.url
    parts = [f"### [{escape(entry.heading)}]({link_target(link)})"]
    parts.append(note_markdown(entry, images, base_url))
    for photo in entry.photos:
        parts.append(figure_markdown(photo, images))
    return "\n\n".join(part for part in parts if part)


def note_markdown(entry: Entry, images: ImageNames, base_url: str) -> str:
    """The note's Markdown, its headings moved below the post's (see site_markdown)."""
    shown = {photo.pk: photo for photo in entry.all_photos}
    return shift_headings(site_markdown(entry.note.body, shown, images, base_url))


def site_markdown(text: str, shown: dict[int, Photo], images: ImageNames, base_url: str) -> str:
    """Markdown written on the site, ready to stand in a post elsewhere: its raw HTML as the
    site shows it, the photos in shown (by id) local and any other photo left out, its links to
    the site absolute."""

    def local_photo(match):
        photo = shown.get(int(match["id"]))
        if photo is None:
            # Not one of the author's public photos that this text may show: an image goes, a
            # link keeps its words, as on the page.
            return "" if match["image"] else match["alt"]
        return f"{match['image']}[{match['alt']}]({images.name(photo)})"

    text = MARKDOWN_PHOTO.sub(local_photo, sanitized_markdown(markdown_text(text)))
    return SITE_RELATIVE_LINK.sub(f"]({base_url}/", text)


def figure_markdown(photo: Photo, images: ImageNames) -> str:
    caption = " ".join(photo.caption.split())
    lines = [f"![{escape(caption)}]({images.name(photo)})"]
    credit = ""
    if photo.credit or photo.credit_url:
        credit = escape(photo.credit or photo.credit_url)
        if photo.credit_url:
            credit = f"[{credit}]({link_target(photo.credit_url)})"
        credit = f"{_('Image source:')} {credit}"
    below = " — ".join(part for part in (f"*{escape(caption)}*" if caption else "", credit) if part)
    if below:
        lines.append(below)
    # Two lines of one paragraph: a hard line break (two spaces) keeps them apart.
    return "  \n".join(lines)


def shift_headings(text: str) -> str:
    """The note's headings moved below the post's; code blocks as they are (a fence closes
    only on a run of its own character at least as long, as in CommonMark)."""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        fence = opening_fence(lines[index])
        if fence is not None:
            index = code_end(lines, index, fence)[0]
            continue
        lines[index] = HEADING.sub(
            lambda m: "#" * min(6, len(m[1]) + NOTE_HEADING_SHIFT), lines[index], count=1
        )
        index += 1
    return "\n".join(lines)


def markdown_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def escape(text: str) -> str:
    """Plain text that Markdown shows as it is (in link text, alt text, emphasis)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


# --- front matter ------------------------------------------------------------------------------


def yaml_string(value: str) -> str:
    """A double-quoted YAML scalar. JSON strings are valid YAML; Korean stays readable.

    U+2028/2029 are escaped as well: some YAML parsers take them for line breaks.
    """
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def yaml_list(values: list[str]) -> str:
    return "[" + ", ".join(yaml_string(value) for value in values) + "]"


def front_matter(writeup: WriteUp, body: Body, date: datetime, *, cover: str) -> str:
    """YAML front matter that Jekyll and Hugo both read as it is.

    date is an unquoted RFC 3339 timestamp with the conference's offset (both parse it);
    permalink pins the Jekyll address so that the relative image links resolve (see README).
    """
    conference = writeup.conference
    tags = [conference.acronym or conference.name]
    for entry in body.shown_entries:
        track = entry.session.track
        if track is not None and track.name not in tags:
            tags.append(track.name)
    lines = [
        "---",
        f"title: {yaml_string(writeup.title)}",
        f"date: {date.isoformat(timespec='seconds')}",
        f"description: {yaml_string(writeup.summary)}",
        f"lang: {yaml_string(writeup.language)}",
    ]
    if cover:
        lines.append(f"image: {yaml_string(cover)}")
    lines += [
        f"categories: {yaml_list([conference.name])}",
        f"tags: {yaml_list(tags)}",
        f"permalink: {yaml_string(jekyll_permalink(date, writeup.slug or 'writeup'))}",
        "---",
        "",
    ]
    return "\n".join(lines) + "\n"


def jekyll_permalink(date: datetime, slug: str) -> str:
    return f"/{date:%Y/%m/%d}/{slug}/"


def readme(post_name: str, date: datetime, slug: str) -> str:
    folder = jekyll_permalink(date, slug).strip("/")
    lines = [
        _("A write-up exported from hugi: %(post)s and its images in images/.")
        % {"post": post_name},
        "",
        _(
            "Jekyll: copy %(post)s into _posts/ and the images/ folder to %(folder)s/images/ "
            "at the root of your site (the post's permalink), so that its relative image "
            "links resolve."
        )
        % {"post": post_name, "folder": folder},
        _(
            "Hugo: make a page bundle: create content/posts/%(slug)s/, copy %(post)s into it "
            "as index.md and the images/ folder beside it."
        )
        % {"post": post_name, "slug": slug},
        "",
    ]
    return "\n".join(lines)


# --- where the files go ------------------------------------------------------------------------

SPOOL_BYTES = 8 * 1024 * 1024  # a zip larger than this goes to a temporary file


def write_zip(export: Export):
    """The export as a zip in a temporary file (in memory while small), rewound for reading."""
    # Handed to the response, which closes it once sent.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for item in export.files:
                if item.text is not None:
                    archive.writestr(item.name, item.text.encode("utf-8"))
                    continue
                # Photos are compressed already: stored as they are, copied in chunks.
                info = zipfile.ZipInfo(item.name, date_time=timezone.now().timetuple()[:6])
                info.compress_type = zipfile.ZIP_STORED
                with item.open() as source, archive.open(info, "w") as target:
                    shutil.copyfileobj(source, target)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


def write_folder(export: Export, folder: Path) -> list[Path]:
    """Write the export into folder (created; it must not hold anything yet).

    Written to a temporary folder beside it first and renamed, so a failure leaves nothing.
    """
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FileExistsError(_("%(folder)s exists and is not empty.") % {"folder": folder})
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".hugi-export-", dir=folder.parent))
    try:
        for item in export.files:
            target = staging.joinpath(*item.name.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            if item.text is not None:
                target.write_text(item.text, encoding="utf-8")
            else:
                with item.open() as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
        if folder.exists():
            folder.rmdir()
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder.joinpath(*item.name.split("/")) for item in export.files]
