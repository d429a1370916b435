"""Bulk actions on the session list: shift by N minutes, move to a room, set the track, cancel,
restore. Each first shows a confirmation page (Django's intermediate action page: the form posts
back to the list with the action, the selected ids and "apply"), works on the sessions of one
conference, and writes all of them or none: inside recording(), so it is one schedule version
(origin admin) like any other admin edit.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import F
from django.template.response import TemplateResponse
from django.utils import timezone as dj_timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sessions.admin_clashes import time_span
from sessions.models import Room, Session, Track
from sessions.recording import recording
from sessions.versions import ScheduleVersion

TEMPLATE = "admin/program/session/bulk_confirm.html"
MAX_SHIFT_MINUTES = 24 * 60


class BulkError(Exception):
    """The one-line reason a bulk action changed nothing."""


# --- the forms on the confirmation pages ----------------------------------------------------


class ConferenceForm(forms.Form):
    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference


class ShiftForm(ConferenceForm):
    minutes = forms.IntegerField(
        label=gettext_lazy("Shift by (minutes)"),
        min_value=-MAX_SHIFT_MINUTES,
        max_value=MAX_SHIFT_MINUTES,
        help_text=gettext_lazy("Negative: earlier. A session cannot leave its day."),
    )

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        if minutes == 0:
            raise forms.ValidationError(_("Shift by a number of minutes other than 0."))
        return minutes


class RoomForm(ConferenceForm):
    room = forms.ModelChoiceField(label=gettext_lazy("Room"), queryset=Room.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        room = self.fields["room"]
        room.queryset = Room.objects.filter(conference=self.conference)
        room.error_messages["invalid_choice"] = _("That room is not one of %(name)s's rooms.") % {
            "name": self.conference.name
        }


class TrackForm(ConferenceForm):
    track = forms.ModelChoiceField(
        label=gettext_lazy("Track"),
        queryset=Track.objects.none(),
        required=False,
        empty_label=gettext_lazy("(no track)"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        track = self.fields["track"]
        track.queryset = Track.objects.filter(conference=self.conference)
        track.error_messages["invalid_choice"] = _(
            "That track is not one of %(name)s's tracks."
        ) % {"name": self.conference.name}


# --- what each action writes ----------------------------------------------------------------


def shift(sessions, data):
    delta = timedelta(minutes=data["minutes"])
    for session in sessions:
        zone = session.conference.tz
        before = dj_timezone.localtime(session.starts_at, zone).date()
        after = dj_timezone.localtime(session.starts_at + delta, zone).date()
        if before != after:
            raise BulkError(
                _(
                    "“%(title)s” would move from %(before)s to %(after)s: change its day in its form."
                )
                % {
                    "title": session.title,
                    "before": date_format(before, _("D j M")),
                    "after": date_format(after, _("D j M")),
                }
            )
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(
        starts_at=F("starts_at") + delta, ends_at=F("ends_at") + delta
    )
    return _("Shifted by %(minutes)+d minutes") % {"minutes": data["minutes"]}


def move_to_room(sessions, data):
    room = data["room"]
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(room=room)
    return _("Moved to %(room)s") % {"room": room.name}


def set_track(sessions, data):
    track = data["track"]
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(track=track)
    return _("Track set to %(track)s") % {"track": track.name if track else _("(no track)")}


def set_cancelled(value):
    def write(sessions, data):
        Session.objects.filter(pk__in=[s.pk for s in sessions]).update(cancelled=value)
        return _("Cancelled") if value else _("Restored")

    return write


# --- the action page ------------------------------------------------------------------------


def run_bulk(model_admin, request, queryset, *, action, title, write, form_class=None):
    """The confirmation page, or (on "apply" with a valid form) the write and back to the list;
    nothing is written when any session cannot take the change."""
    sessions = list(
        queryset.select_related("conference", "day", "room", "track").order_by("starts_at", "pk")
    )
    if not sessions:
        return None  # "select all" over an empty list: nothing to do
    conferences = {session.conference for session in sessions}
    if len(conferences) != 1:
        names = ", ".join(sorted(conference.name for conference in conferences))
        model_admin.message_user(
            request,
            _("Choose sessions of one conference at a time (these are of %(names)s).")
            % {"names": names},
            messages.ERROR,
        )
        return None
    conference = conferences.pop()
    applying = "apply" in request.POST
    form = None
    if form_class is not None:
        form = form_class(request.POST if applying else None, conference=conference)
    error, status = "", 200
    if applying and (form is None or form.is_valid()):
        try:
            what = _write(conference, sessions, write, form.cleaned_data if form else {})
        except BulkError as exc:
            error, status = str(exc), 400
        else:
            for session in sessions:
                model_admin.log_change(request, session, what)
            model_admin.message_user(
                request,
                ngettext(
                    "%(what)s: %(count)d session.", "%(what)s: %(count)d sessions.", len(sessions)
                )
                % {"what": what, "count": len(sessions)},
                messages.SUCCESS,
            )
            return None
    elif applying:
        status = 400
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        "conference": conference,
        "sessions": [
            (session, time_span(session.starts_at, session.ends_at, conference.tz))
            for session in sessions
        ],
        "form": form,
        "error": error,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, TEMPLATE, context, status=status)


def _write(conference, sessions, write, data):
    with recording(conference, origin=ScheduleVersion.Origin.ADMIN):
        # Read again under the programme's lock: the checks see what is about to be written.
        sessions = list(
            Session.objects.filter(pk__in=[s.pk for s in sessions], conference=conference)
            .select_related("conference")
            .order_by("starts_at", "pk")
        )
        what = write(sessions, data)
        conference.touch()  # a track is not a schedule change, but the pages show it
    return what


def bulk_action(name, description, write, form_class=None):
    @admin.action(description=description, permissions=["change"])
    def action(model_admin, request, queryset):
        return run_bulk(
            model_admin,
            request,
            queryset,
            action=name,
            title=str(description),
            write=write,
            form_class=form_class,
        )

    action.__name__ = name
    return action


BULK_ACTIONS = [
    bulk_action("shift_sessions", gettext_lazy("Shift the selected sessions in time"), shift, ShiftForm),
    bulk_action("move_sessions_to_room", gettext_lazy("Move the selected sessions to a room"), move_to_room, RoomForm),
    bulk_action("set_sessions_track", gettext_lazy("Set the track of the selected sessions"), set_track, TrackForm),
    bulk_action("cancel_sessions", gettext_lazy("Cancel the selected sessions"), set_cancelled(True)),
    bulk_action("restore_sessions", gettext_lazy("Restore the selected cancelled sessions"), set_cancelled(False)),
]  # fmt: skip
