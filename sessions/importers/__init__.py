"""Schedule import: read a source, parse it into a Schedule, plan the changes, apply them.

    source = read_source("36c3.xml")          # or an http(s) URL
    schedule = parse_schedule(source.data, source.name)
    plan = plan_import(schedule, slug="36c3")  # nothing written yet: plan.changes, plan.summary()
    plan.apply()                               # one transaction

Every problem with the input is a ScheduleError with a one-line message.
"""

from .apply import Change, ImportPlan, plan_import
from .detect import parse_schedule
from .errors import ScheduleError
from .schedule import Schedule
from .sources import Source, check_size, read_source

__all__ = [
    "Change",
    "ImportPlan",
    "Schedule",
    "ScheduleError",
    "Source",
    "check_size",
    "parse_schedule",
    "plan_import",
    "read_source",
]
