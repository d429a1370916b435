import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops.capacity import prepare

DEFAULT_SCHEDULE = settings.BASE_DIR.parent / "shared" / "data" / "schedules" / "36c3_merged.xml"


class Command(BaseCommand):
    help = (
        "Prepare the capacity benchmark (bench/capacity/): import a schedule once, make N "
        "signed-in attendees with stars and notes, and write the roster the Locust scenario reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=100, help="attendees (100)")
        parser.add_argument("--roster", type=Path, required=True, help="where to write the roster")
        parser.add_argument("--schedule", type=Path, default=DEFAULT_SCHEDULE)
        parser.add_argument("--conference", default="36c3", help="its slug (36c3)")

    def handle(self, *args, users, roster, schedule, conference, **options):
        if users < 1:
            raise CommandError(_("--users must be at least 1."))
        if not schedule.is_file():
            raise CommandError(_("No schedule file at %(path)s.") % {"path": schedule})
        data = prepare(users=users, schedule=schedule, slug=conference)
        roster.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self.stdout.write(
            _("%(count)d attendees on %(conference)s; roster in %(path)s")
            % {"count": len(data["note_takers"]), "conference": conference, "path": roster}
        )
