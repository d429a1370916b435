import sys

from django.core.management.base import BaseCommand

from sessions.backup import write_backup


class Command(BaseCommand):
    help = "Write the whole database (portable JSON) and all media files to one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="path of the .tar.gz to write, or - for stdout")

    def handle(self, *args, archive, **options):
        if archive == "-":
            objects, files = write_backup(sys.stdout.buffer)
        else:
            with open(archive, "xb") as f:
                objects, files = write_backup(f)
        self.stderr.write(f"Backed up {objects} objects and {files} media files.")
