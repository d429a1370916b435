from django.core.management.base import BaseCommand, CommandError

from sessions.importers import ScheduleError, parse_schedule, plan_import, read_source

SIGNS = {"created": "+", "changed": "~", "removed": "-"}
NAMES_SHOWN = 10


class Command(BaseCommand):
    help = (
        "Import a conference schedule: frab/Pentabarf XML or C3VOC/pretalx JSON, from a file or "
        "an http(s) URL; the format is detected from the content. Re-importing updates the "
        "conference in place: sessions are matched by their guid, and a session that is no "
        "longer in the file is marked cancelled (never deleted), so people's notes, photos and "
        "stars stay attached to it. Everything is written in one transaction."
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
            schedule = parse_schedule(loaded.data, loaded.name)
            plan = plan_import(schedule, slug=conference)
            self.stdout.write(
                f"{loaded.name}: {schedule.format}, {len(schedule.days)} days, "
                f"{len(schedule.rooms)} rooms, {len(schedule.speakers)} speakers, "
                f"{len(schedule.sessions)} sessions."
            )
            for warning in schedule.warnings:
                self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
            what = "new conference" if plan.is_new else "conference"
            self.stdout.write(
                f"{what.capitalize()} “{plan.conference.name}” ({plan.conference.slug})."
            )
            self._print_names(plan, verbosity)
            for line in plan.summary():
                self.stdout.write(line)
            if dry_run:
                self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
            elif not plan.is_empty:
                plan.apply()
                self.stdout.write(self.style.SUCCESS("Imported."))
        except ScheduleError as exc:
            raise CommandError(str(exc)) from None

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
                    f"  … and {count - NAMES_SHOWN} more {kind}s {action} (-v 2 lists all)"
                )
