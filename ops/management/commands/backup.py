import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops.backup import write_backup


class Command(BaseCommand):
    help = "Write the whole database (portable JSON) and all media files to one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="path of the .tar.gz to write, or - for stdout")

    def handle(self, *args, archive, **options):
        # The count goes to stdout, so that cron (`>/dev/null`) mails only errors; with `-` the
        # archive itself is on stdout, and the count on stderr.
        if archive == "-":
            objects, files = write_backup(sys.stdout.buffer)
            out = self.stderr
        else:
            objects, files = self.write_file(Path(archive))
            out = self.stdout
        out.write(f"Backed up {objects} objects and {files} media files.")

    def write_file(self, path: Path):
        """Written beside the target under a temporary name and renamed when complete, so a
        failed backup leaves no archive that looks whole, and an existing one is never replaced."""
        if path.exists():
            raise CommandError(_("%(path)s already exists: choose a new name.") % {"path": path})
        if not path.parent.is_dir():
            raise CommandError(_("There is no folder %(folder)s.") % {"folder": path.parent})
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".backup-", delete=False) as f:
            partial = Path(f.name)
            try:
                counts = write_backup(f)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
        try:
            path.hardlink_to(partial)  # unlike a rename, never replaces a file made meanwhile
        except FileExistsError:
            raise CommandError(
                _("%(path)s already exists: choose a new name.") % {"path": path}
            ) from None
        finally:
            partial.unlink(missing_ok=True)
        return counts
