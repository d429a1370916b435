"""The home page: every conference by whether it is on, coming or past, and the latest write-ups."""

from datetime import timedelta

from django.utils import timezone
from django.views.decorators.http import require_safe

from core import page_cache
from core.fast_lane import fast_lane
from notes.models import WriteUp
from public.views.rendering import EPOCH, local_today, midnight, public_page
from sessions.models import Conference
from sessions.stamp import all_stamps

RECENT_WRITEUPS = 12


@require_safe
@fast_lane
def home(request):
    now = timezone.now()
    validators = home_validators(request, now)
    return public_page(request, validators, "program/home.html", lambda: home_context(now))


def period_of(conference, now) -> str:
    """Whether the conference is upcoming, ongoing or past, by its own local date."""
    today = local_today(conference, now)
    if today < conference.start_date:
        return "upcoming"
    return "past" if today > conference.end_date else "ongoing"


def home_validators(request, now):
    """The home page lists every conference by when it is, and the recent write-ups (whose
    publication changes their conference's stamp): it changes with any stamp, and when a
    conference begins or ends."""
    if request.user.is_authenticated:
        return None
    stamps = all_stamps()
    changed = [EPOCH]
    for stamp in stamps:
        changed.append(stamp.changed_at)
        changed.extend(
            moment
            for moment in (
                midnight(stamp, stamp.start_date),
                midnight(stamp, stamp.end_date + timedelta(days=1)),
            )
            if moment <= now
        )
    # Every stamp, not only the latest (two changes may commit out of order), and where each
    # conference is listed; a deleted conference changes no stamp, only the list.
    listed = sorted((stamp.pk, stamp.changed_at, period_of(stamp, now)) for stamp in stamps)
    return page_cache.validators_for(request, max(changed), extra=listed)


def home_context(now):
    sections = {"ongoing": [], "upcoming": [], "past": []}
    for conference in Conference.objects.order_by("start_date", "name"):
        sections[period_of(conference, now)].append(conference)
    sections["past"].reverse()
    writeups = list(
        WriteUp.objects.published()
        .select_related("author", "conference")
        .order_by("-published_at", "-pk")[:RECENT_WRITEUPS]
    )
    return {**sections, "writeups": writeups}
