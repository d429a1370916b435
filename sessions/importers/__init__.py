"""Schedule import: read a source, parse it into a Schedule, plan the changes, apply them.

    source = read_source("36c3.xml")          # or an http(s) URL
    schedule = parse_schedule(source.data, source.name)
    plan = plan_import(schedule, slug="36c3")  # nothing written yet: plan.changes, plan.summary()
    plan.apply()                               # one transaction

Every problem with the input is a ScheduleError with a one-line message.
"""

from sessions.importers.apply import Change, ImportPlan
from sessions.importers.detect import parse_schedule
from sessions.importers.errors import ScheduleError
from sessions.importers.plan import plan_import
from sessions.importers.schedule import Schedule
from sessions.importers.sources import Source, checked_source, read_source

__all__ = [
    "Change",
    "ImportPlan",
    "Schedule",
    "ScheduleError",
    "Source",
    "checked_source",
    "parse_schedule",
    "plan_import",
    "read_source",
]
