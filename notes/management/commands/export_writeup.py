from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notes.models import WriteUp
from notes.writeups.assembly import assemble, with_post_relations
from notes.writeups.export import export_files, write_folder


class Command(BaseCommand):
    help = (
        "Write a write-up as a Jekyll/Hugo blog post (Markdown with front matter, its images "
        "beside it) into a new folder: the same files as its export.zip."
    )

    def add_arguments(self, parser):
        parser.add_argument("conference", help="the conference's slug")
        parser.add_argument("username", help="the write-up's author")
        parser.add_argument("folder", type=Path, help="a folder to create (or an empty one)")
        parser.add_argument(
            "--base-url",
            default="http://localhost:8000",
            help="this site's address, for the links to session pages (http://localhost:8000)",
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the README and of these messages (the post is in its own)",
        )

    def handle(self, *args, conference, username, folder, base_url, language, **options):
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise CommandError(
                _("--base-url must be an http(s) address, not %(value)r") % {"value": base_url}
            )
        writeup = (
            with_post_relations(WriteUp.objects.all())
            .filter(conference__slug=conference, author__username=username)
            .first()
        )
        if writeup is None:
            raise CommandError(
                _("%(username)s has no write-up of the conference %(conference)r.")
                % {"username": username, "conference": conference}
            )
        with translation.override(language):
            bundle = export_files(writeup, assemble(writeup), base_url=base_url)
            try:
                written = write_folder(bundle, folder)
            except FileExistsError as error:
                raise CommandError(str(error)) from None
        if writeup.status != WriteUp.Status.PUBLISHED:
            self.stderr.write(self.style.WARNING(_("Note: this write-up is a draft.")))
        self.stdout.write(
            ngettext(
                "Wrote %(count)d file to %(folder)s:",
                "Wrote %(count)d files to %(folder)s:",
                len(written),
            )
            % {"count": len(written), "folder": folder}
        )
        for path in written:
            self.stdout.write(f"  {path.relative_to(folder).as_posix()}")
