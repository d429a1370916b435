from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sessions.sync import sources_to_sync, sync_source


class Command(BaseCommand):
    help = (
        "Fetch the programme of every conference whose schedule source is enabled (or of the "
        "one named) with a conditional GET, and apply what changed as a new schedule version. "
        "A file that would cancel too much of the programme, or empty a day, is held for staff "
        "in the admin. One line per conference; the exit status is non-zero when a fetch or a "
        "file failed. Run it every few minutes during a conference (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--conference", metavar="SLUG", default="", help="only this conference")

    def handle(self, *args, conference, **options):
        sources = list(sources_to_sync(conference))
        if conference and not sources:
            raise CommandError(
                _("%(slug)s: no schedule source (import it from an address first)")
                % {"slug": conference}
            )
        failed = 0
        for source in sources:
            result = sync_source(source)
            if result.failed:
                failed += 1
                self.stderr.write(self.style.ERROR(result.line))
            else:
                self.stdout.write(result.line)
        if failed:
            raise CommandError(
                _("%(failed)d of %(count)d sources failed")
                % {"failed": failed, "count": len(sources)}
            )
