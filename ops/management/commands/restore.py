from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive (from `manage.py backup`) into a fresh, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="path of the .tar.gz written by `manage.py backup`")

    def handle(self, *args, archive, **options):
        try:
            with open(archive, "rb") as f:
                objects, files = restore_backup(f)
        except FileNotFoundError:
            raise CommandError(_("%(archive)s: no such file.") % {"archive": archive}) from None
        except BackupError as exc:
            raise CommandError(f"{archive}: {exc}") from None
        self.stdout.write(
            _("Restored %(objects)d objects and %(files)d media files.")
            % {"objects": objects, "files": files}
        )
