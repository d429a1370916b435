"""Schedule import in the admin: upload a file or give a URL, see what will change, confirm.

Between the preview and the confirmation the uploaded bytes wait in the media storage under
imports/ with a random name that the confirmation form carries, so any app server can finish
the import (nothing is kept in process memory).
"""

import secrets
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions.importers import ScheduleError, Source, checked_source, parse_schedule, plan_import
from sessions.importers.sources import fetch_url, max_bytes, too_big
from sessions.importers.spreadsheet_columns import COLUMNS, header_names
from sessions.importers.spreadsheet_template import template_csv, template_xlsx, zone_note
from sessions.models import Conference
from sessions.sync import is_address, remember_source

UPLOADS = "imports"
UPLOAD_NAME = r"^[A-Za-z0-9_-]{32}$"
UPLOADS_KEPT_FOR = timedelta(days=1)
TEMPLATE = "admin/program/conference/import_schedule.html"
# ?template=csv or ?template=xlsx on the import page: the programme spreadsheet template.
SPREADSHEET_TEMPLATES = {
    "csv": (template_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        template_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Schedule file"),
        required=False,
        help_text=gettext_lazy("frab XML, C3VOC / pretalx JSON, or a spreadsheet (CSV or XLSX)."),
    )
    url = forms.URLField(
        label=gettext_lazy("or its address"),
        required=False,
        max_length=500,  # it travels to the confirmation as source_name
        assume_scheme="https",
        help_text=gettext_lazy("An http(s) address of the schedule, e.g. …/schedule.json"),
    )
    slug = forms.SlugField(
        label=gettext_lazy("Conference slug"),
        required=False,
        allow_unicode=True,
        max_length=100,
        help_text=gettext_lazy("Optional: by default it is made from the file's acronym."),
    )

    def __init__(self, *args, new_conference, **kwargs):
        super().__init__(*args, **kwargs)
        if not new_conference:
            del self.fields["slug"]

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Upload a file or give an address (one of the two)."))
        return data


class ConfirmForm(forms.Form):
    upload = forms.RegexField(regex=UPLOAD_NAME, widget=forms.HiddenInput)
    source_name = forms.CharField(max_length=500, widget=forms.HiddenInput)
    slug = forms.CharField(max_length=100, required=False, widget=forms.HiddenInput)


def import_schedule_view(model_admin, request, conference=None):
    """The preview (POST with a file or URL) and the confirmation (POST "confirm")."""
    new = conference is None
    allowed = (
        model_admin.has_add_permission(request)
        if new
        else model_admin.has_change_permission(request, conference)
    )
    if not allowed:
        raise PermissionDenied
    if request.method == "GET" and request.GET.get("template") in SPREADSHEET_TEMPLATES:
        return _spreadsheet_template(request.GET["template"], conference)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "conference": conference,
        "title": _("Import a conference schedule")
        if new
        else _("Import the schedule of %(name)s") % {"name": conference.name},
        "columns": list(zip(header_names(_language(request)), COLUMNS, strict=True)),
        "zone_note": zone_note(conference),
    }
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(model_admin, request, conference, context)
    if request.method != "POST":
        form = ImportForm(new_conference=new)
        return TemplateResponse(request, TEMPLATE, {**context, "form": form})
    form = ImportForm(request.POST, request.FILES, new_conference=new)
    if not form.is_valid():
        return TemplateResponse(request, TEMPLATE, {**context, "form": form}, status=400)
    try:
        source = _read(form.cleaned_data)
        slug = conference.slug if conference else form.cleaned_data.get("slug", "")
        schedule = parse_schedule(source.data, source.name, conference=_target(conference, slug))
        plan = plan_import(schedule, slug=slug)
    except ScheduleError as exc:
        form.add_error(None, str(exc))
        return TemplateResponse(request, TEMPLATE, {**context, "form": form}, status=400)
    _check_may_change(model_admin, request, plan)
    upload = _keep(source.data)
    confirm = ConfirmForm(
        initial={"upload": upload, "source_name": source.name, "slug": plan.conference.slug}
    )
    return TemplateResponse(
        request, TEMPLATE, {**context, "plan": plan, "schedule": schedule, "confirm": confirm}
    )


def _target(conference, slug):
    """The stored conference an import goes into, if any: a spreadsheet is read for it."""
    if conference is not None or not slug:
        return conference
    return Conference.objects.filter(slug=slug).first()


def _language(request) -> str:
    return (getattr(request, "LANGUAGE_CODE", "") or "en").split("-")[0]


def _spreadsheet_template(kind, conference):
    """The template as a download (GET: nothing changes)."""
    build, content_type = SPREADSHEET_TEMPLATES[kind]
    name = f"{conference.slug if conference else 'programme'}-template.{kind}"
    response = HttpResponse(build(conference), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _read(data):
    uploaded = data.get("file")
    if uploaded:
        if uploaded.size > max_bytes():
            raise too_big(uploaded.name)
        return checked_source(uploaded.name, uploaded.read(max_bytes() + 1))
    return fetch_url(data["url"])


def _keep(data: bytes) -> str:
    """Store the bytes until the confirmation; returns their random name."""
    _forget_old_uploads()
    name = secrets.token_urlsafe(24)
    default_storage.save(f"{UPLOADS}/{name}", ContentFile(data))
    return name


def _forget_old_uploads():
    """Previews nobody confirmed are deleted after a day."""
    try:
        _folders, files = default_storage.listdir(UPLOADS)
    except (FileNotFoundError, NotImplementedError):
        return
    limit = timezone.now() - UPLOADS_KEPT_FOR
    for file in files:
        path = f"{UPLOADS}/{file}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue


def _check_may_change(model_admin, request, plan):
    """Importing a conference (a new one, by its slug or acronym) that already exists changes
    it: that needs the permission to change it, not only to add conferences."""
    if not plan.is_new and not model_admin.has_change_permission(request, plan.conference):
        raise PermissionDenied


def _confirm(model_admin, request, conference, context):
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _start_again(request, conference, context, _("The import form was incomplete."))
    path = f"{UPLOADS}/{form.cleaned_data['upload']}"
    if not default_storage.exists(path):
        return _start_again(
            request,
            conference,
            context,
            _("The uploaded schedule is no longer here (it was imported, or it expired)."),
        )
    with default_storage.open(path, "rb") as file:
        data = file.read()
    try:
        slug = conference.slug if conference else form.cleaned_data["slug"]
        target = _target(conference, slug)
        schedule = parse_schedule(data, form.cleaned_data["source_name"], conference=target)
        plan = plan_import(schedule, slug=slug)
        _check_may_change(model_admin, request, plan)
        plan.apply()
    except ScheduleError as exc:
        return _start_again(request, conference, context, str(exc))
    default_storage.delete(path)
    if is_address(schedule.source):
        # Synced from now on (sync_schedules), unless staff untick it on the conference.
        remember_source(plan.conference, Source(name=schedule.source, data=data))
    summary = " ".join(plan.summary())
    messages.success(
        request,
        _("Imported %(source)s into “%(name)s”. %(summary)s")
        % {"source": schedule.source, "name": plan.conference.name, "summary": summary},
    )
    return redirect(reverse("admin:program_conference_change", args=[plan.conference.pk]))


def _start_again(request, conference, context, error):
    form = ImportForm(new_conference=conference is None)
    return TemplateResponse(
        request, TEMPLATE, {**context, "form": form, "error": error}, status=400
    )
