from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sessions.changes import changes_phrase
from sessions.importers import ScheduleError, parse_schedule, plan_import, read_source
from sessions.importers.apply import count_phrase
from sessions.models import Conference
from sessions.sync import is_address, remember_source

SIGNS = {"created": "+", "changed": "~", "removed": "-"}
NAMES_SHOWN = 10


class Command(BaseCommand):
    help = (
        "Import a conference schedule: frab/Pentabarf XML or C3VOC/pretalx JSON, or a programme "
        "spreadsheet (CSV or XLSX, into an existing conference named with --conference), from a "
        "file or an http(s) URL; the format is detected from the content. Re-importing updates the "
        "conference in place: sessions are matched by their guid, and a session that is no "
        "longer in the file is marked cancelled (never deleted), so people's notes, photos and "
        "stars stay attached to it. Everything is written in one transaction, as a new schedule "
        "version when sessions changed. An http(s) URL becomes the conference's schedule source, "
        "which sync_schedules keeps fetching."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="a file path or an http(s) URL")
        parser.add_argument(
            "--conference",
            metavar="SLUG",
            default="",
            help="the conference to create or update (default: made from the file's acronym)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change, and change nothing"
        )

    def handle(self, *args, source, conference, dry_run, verbosity, **options):
        try:
            loaded = read_source(source)
            # A spreadsheet is read for the conference it goes into (its zone); others ignore it.
            target = Conference.objects.filter(slug=conference).first() if conference else None
            schedule = parse_schedule(loaded.data, loaded.name, conference=target)
            plan = plan_import(schedule, slug=conference)
            sizes = ", ".join(
                count_phrase(kind, len(items))
                for kind, items in (
                    ("day", schedule.days),
                    ("room", schedule.rooms),
                    ("speaker", schedule.speakers),
                    ("session", schedule.sessions),
                )
            )
            self.stdout.write(f"{loaded.name}: {schedule.format}, {sizes}.")
            for warning in schedule.warnings:
                self.stderr.write(
                    self.style.WARNING(_("Warning: %(warning)s") % {"warning": warning})
                )
            names = {"name": plan.conference.name, "slug": plan.conference.slug}
            if plan.is_new:
                self.stdout.write(_("New conference “%(name)s” (%(slug)s).") % names)
            else:
                self.stdout.write(_("Conference “%(name)s” (%(slug)s).") % names)
            self._print_names(plan, verbosity)
            for line in plan.summary():
                self.stdout.write(line)
            if dry_run:
                self.stdout.write(self.style.WARNING(_("Dry run: nothing was written.")))
            else:
                self._apply(plan, loaded)
        except ScheduleError as exc:
            raise CommandError(str(exc)) from None

    def _apply(self, plan, loaded):
        """Write the plan; then the version it made and the source it remembered, and last
        "Imported." (what scripts look for)."""
        if not plan.is_empty:
            plan.apply(source=loaded.name)
            version = plan.recorded.version
            if version is not None:
                self.stdout.write(
                    _("Version %(number)d: %(changes)s")
                    % {
                        "number": version.number,
                        "changes": changes_phrase(version.counts) or _("published"),
                    }
                )
        if is_address(loaded.name):
            remember_source(plan.conference, loaded)
            self.stdout.write(
                _("Schedule source: %(url)s (sync_schedules keeps it up to date).")
                % {"url": loaded.name}
            )
        if not plan.is_empty:
            self.stdout.write(self.style.SUCCESS(_("Imported.")))

    def _print_names(self, plan, verbosity):
        """Each created, changed and removed thing by name: the first few, or all with -v 2."""
        if verbosity < 1:
            return
        shown = {}
        for change in plan.changes:
            group = (change.kind, change.action)
            shown[group] = shown.get(group, 0) + 1
            if verbosity < 2 and shown[group] > NAMES_SHOWN:
                continue
            fields = f" ({', '.join(change.fields)})" if change.fields else ""
            self.stdout.write(f"  {SIGNS[change.action]} {change.kind} “{change.name}”{fields}")
        for (kind, action), count in shown.items():
            if verbosity < 2 and count > NAMES_SHOWN:
                self.stdout.write(
                    "  "
                    + _("… and %(count)d more (%(kind)s, %(action)s); -v 2 lists all")
                    % {"count": count - NAMES_SHOWN, "kind": kind, "action": action}
                )
