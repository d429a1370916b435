"""Slugs for what an import creates: the conference's (given, or made from the file), and
unique ones for its rooms, tracks, speakers and sessions."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sessions.importers.errors import ScheduleError
from sessions.importers.schedule import Schedule
from sessions.validators import validate_not_reserved


def conference_slug(schedule: Schedule, slug: str = "") -> str:
    """The slug given, or one made from the file's acronym (else its title); checked."""
    info = schedule.conference
    if not slug:
        slug = slugify(info.acronym or info.title, allow_unicode=True)[:100].strip("-")
        if not slug:
            raise ScheduleError(
                _("%(source)s: no conference slug can be made from the acronym; give one")
                % {"source": schedule.source}
            )
    try:
        validate_unicode_slug(slug)
        validate_not_reserved(slug)
    except ValidationError as exc:
        raise ScheduleError(
            _("Conference slug “%(slug)s”: %(problem)s Choose another one.")
            % {"slug": slug, "problem": " ".join(exc.messages)}
        ) from None
    return slug


class SlugMaker:
    """Slugs unique among one model's rows in a conference: the text's slug, else -2, -3…

    Each base goes on from the last number it took, so a thousand sessions with one title cost
    a thousand tries, not half a million."""

    def __init__(self, used, fallback: str, max_length: int):
        self.used = set(used)
        self.fallback = fallback
        self.max_length = max_length
        self.last_number = {}

    def make(self, text: str) -> str:
        base = slugify(text, allow_unicode=True)[: self.max_length - 6].strip("-_")
        base = base or self.fallback
        number = self.last_number.get(base, 1)
        slug = base if number == 1 else self._numbered(base, number)
        while slug in self.used:
            number += 1
            slug = self._numbered(base, number)
        self.last_number[base] = number
        self.used.add(slug)
        return slug

    def _numbered(self, base: str, number: int) -> str:
        suffix = f"-{number}"
        return base[: self.max_length - len(suffix)] + suffix
