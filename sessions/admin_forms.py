"""One conference at a time in a session's admin form: its day, room, track and speaker choices
are that conference's, days are named with their date, and a new session starts from a
conference (chosen first, or passed as ?conference=<id> from the conference's page or grid,
with ?day=, ?room= and ?starts_at= from an empty slot of the grid).
"""

from datetime import datetime, timedelta

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sessions.models import Conference, Day

# How long a session added from an empty slot of the grid lasts until someone says otherwise.
SLOT_MINUTES = 30
SCOPED_FIELDS = ("day", "room", "track")


def day_label(day) -> str:
    """ "Day 1 · Sat 31 Jan", in the language of the page ("1일차 · 1월 31일 (토)")."""
    # Translators: a date format (Django's date filter): a day of the programme, briefly.
    return f"{day} · {date_format(day.date, _('D j M'))}"


def conference_of_request(request, object_id=None) -> Conference | None:
    """The conference a session form is about: the one posted, else ?conference=, else the
    session's own. Kept on the request, so the form's fields ask once."""
    if not hasattr(request, "_hugi_conference"):
        request._hugi_conference = _find_conference(request, object_id)
    return request._hugi_conference


def _find_conference(request, object_id):
    chosen = request.POST.get("conference") or request.GET.get("conference", "")
    if not chosen:
        # "Add session" on the session list filtered by a conference: the list's filters.
        filters = QueryDict(request.GET.get("_changelist_filters", ""))
        chosen = filters.get("conference__id__exact", "")
    if chosen.isdigit():
        return Conference.objects.filter(pk=chosen).first()
    if object_id is None and request.resolver_match:
        object_id = request.resolver_match.kwargs.get("object_id")
    if object_id and str(object_id).isdigit():
        return Conference.objects.filter(sessions__pk=object_id).first()
    return None


def scope_foreign_key(db_field, request, kwargs) -> None:
    """Limit a session's day, room or track to its conference's (none before one is chosen)."""
    if db_field.name not in SCOPED_FIELDS:
        return
    conference = conference_of_request(request)
    queryset = db_field.related_model.objects.filter(conference=conference)
    kwargs["queryset"] = queryset


def label_days(field) -> None:
    field.label_from_instance = day_label


class ConferenceAutocomplete(AutocompleteSelect):
    """The speaker autocomplete with the conference in its address: the search that answers it
    (SpeakerAdmin.get_search_results) then offers that conference's speakers only."""

    def __init__(self, field, admin_site, *, conference, **kwargs):
        super().__init__(field, admin_site, **kwargs)
        self.conference = conference

    def get_url(self):
        conference = self.conference.pk if self.conference else ""
        return f"{reverse(self.url_name % self.admin_site.name)}?conference={conference}"


def is_speaker_autocomplete(request) -> bool:
    """The admin's autocomplete asking for a session's speakers (app_label, model_name and
    field_name name the field the search fills, see django.contrib.admin.views.autocomplete)."""
    return (
        request.resolver_match is not None
        and request.resolver_match.url_name == "autocomplete"
        and request.GET.get("app_label") == "program"
        and request.GET.get("model_name") == "sessionspeaker"
        and request.GET.get("field_name") == "speaker"
    )


def autocomplete_conference_id(request) -> int | None:
    """The conference the session's speaker autocomplete was asked for; None: none (so no
    speakers: a session form always has its conference before it offers speakers)."""
    chosen = request.GET.get("conference", "")
    return int(chosen) if chosen.isdigit() else None


def initial_from_slot(request, conference, initial) -> dict:
    """?day=, ?room= and ?starts_at=YYYY-MM-DDTHH:MM (the conference's clock) from an empty slot
    of the grid: the day and room as given, the times as aware datetimes lasting SLOT_MINUTES,
    or until ?ends_at= when the slot is shorter. A value that does not fit is left out, not
    guessed at."""
    initial = dict(initial)
    for name in ("day", "room", "track"):
        value = initial.get(name)
        if value is not None and not str(value).isdigit():
            initial.pop(name)
    text, end_text = initial.pop("starts_at", None), initial.pop("ends_at", None)
    naive = local_moment(text)
    if conference is None or naive is None:
        return initial
    try:
        start = dj_timezone.make_aware(naive, conference.tz)
        end = start + timedelta(minutes=SLOT_MINUTES)
    except OverflowError:  # the last minutes of year 9999
        return initial
    naive_end = local_moment(end_text)
    if naive_end is not None and naive < naive_end < naive + timedelta(minutes=SLOT_MINUTES):
        end = dj_timezone.make_aware(naive_end, conference.tz)  # a shorter gap in the grid
    initial["starts_at"], initial["ends_at"] = start, end
    if "day" not in initial:
        day = Day.objects.filter(conference=conference, date=naive.date()).first()
        if day is not None:
            initial["day"] = day.pk
    return initial


def local_moment(text) -> datetime | None:
    """A naive YYYY-MM-DDTHH:MM, or None."""
    try:
        moment = datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is None else None


def add_session_url(conference, **values) -> str:
    """The admin's "add session" address pre-filled for this conference (and day, room, start)."""
    query = {"conference": conference.pk, **{k: v for k, v in values.items() if v is not None}}
    return f"{reverse('admin:program_session_add')}?{urlencode(query)}"


class ConferenceScopedFilter(admin.RelatedFieldListFilter):
    """The session list's day, room and track filters offer the chosen conference's only (days
    with their date), and show once a conference is chosen in its own filter."""

    def field_choices(self, field, request, model_admin):
        chosen = request.GET.get("conference__id__exact", "")
        if not chosen.isdigit():
            return []
        related = field.related_model.objects.filter(conference_id=chosen)
        label = day_label if field.related_model is Day else str
        return [(obj.pk, label(obj)) for obj in related]

    def has_output(self):
        return bool(self.lookup_choices)
