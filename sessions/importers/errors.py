class ScheduleError(Exception):
    """A schedule could not be read: the message is one line naming the file, the place and the
    problem, fit to show to whoever gave us the file."""
