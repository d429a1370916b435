import re

# What may not reach a message: line breaks and other control characters (the message is one
# line), and lone surrogates (JSON can carry them; no page or terminal can encode them).
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]+")
LONGEST_MESSAGE = 1000
LONGEST_QUOTE = 40


class ScheduleError(Exception):
    """A schedule could not be read: the message is one line naming the file, the place and the
    problem, fit to show to whoever gave us the file."""

    def __init__(self, message):
        super().__init__(one_line(str(message), LONGEST_MESSAGE))


def one_line(text: str, limit: int) -> str:
    """text without line breaks, control characters or lone surrogates, cut to limit."""
    text = UNPRINTABLE.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short(value, limit: int = LONGEST_QUOTE) -> str:
    """A value from the file as a message shows it: short (a whole abstract, or a thousand-digit
    number, would drown the message)."""
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(value) -> str:
    return repr(short(value))
