"""Saving the compose form, from writeup.js (JSON) or posted without JavaScript.

Both arrive as WriteUpForm data, so one form checks them, and writeup_services.save_writeup
stores them: a save based on an older version than the stored one is refused, and the page shows
both texts (the conflict view) instead of overwriting the other device's.
"""

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.utils.translation import gettext as _

from core.json_bodies import BadSave, json_object
from notes.models import WriteUp
from notes.writeups import services
from notes.writeups.forms import WriteUpForm

TEXT_FIELDS = ("title", "summary", "intro", "closing")
LONG_FIELDS = ("summary", "intro", "closing")
BIGGEST_ID = 2**63 - 1  # a bigint: larger numbers cannot name a photo on any database


def posted_form(request, conference, writeup: WriteUp, data=None) -> WriteUpForm:
    return WriteUpForm(
        request.POST if data is None else data,
        instance=writeup,
        cover_choices=services.cover_choices(request.user, conference),
    )


def save_form(request, conference, form: WriteUpForm) -> WriteUp:
    """Store a bound form. Raises ValidationError (the form holds why) or StaleWriteUp."""
    if not form.is_valid():
        raise ValidationError(form.errors)
    data = form.cleaned_data
    try:
        return services.save_writeup(
            author=request.user,
            conference=conference,
            title=data["title"],
            summary=data["summary"],
            intro=data["intro"],
            closing=data["closing"],
            cover_photo=data["cover_photo"],
            language=data["language"],
            base_version=data["base_version"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        raise


def form_errors(form) -> str:
    """One line: "Title: This field is required." (errors of the whole form without a label)."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.extend(f"{label}: {error}" if label else error for error in errors)
    return " ".join(parts)


# --- writeup.js's JSON -------------------------------------------------------------------------


def form_data_from_json(request) -> dict[str, str]:
    """The JSON body of a save as the form's data, or BadSave with a one-line reason.

    {"title", "summary", "intro", "closing": text, "cover_photo": a photo id or null,
    "language": "en" or "ko", "base_version": the version the texts were based on}
    """
    try:
        raw = request.body
    except RequestDataTooBig:
        raise BadSave(_("The write-up is too long to be sent at once."), status=413) from None
    data = json_object(raw)
    fields = {name: text_field(data, name) for name in (*TEXT_FIELDS, "language")}
    cover = data.get("cover_photo")
    if cover is not None and not whole_number(cover, BIGGEST_ID):
        raise BadSave(_("“cover_photo” must be the number of a photo, or null."))
    fields["cover_photo"] = "" if cover is None else str(cover)
    version = data.get("base_version")
    if not whole_number(version, BIGGEST_ID):
        raise BadSave(_("“base_version” must be a whole number, 0 for a new write-up."))
    fields["base_version"] = str(version)
    return fields


def text_field(data: dict, name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise BadSave(_("“%(name)s” must be text.") % {"name": name})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: JSON allows "\ud800", UTF-8 does not
        raise BadSave(
            _("“%(name)s” holds characters that are not valid text.") % {"name": name}
        ) from None
    return value


def whole_number(value, biggest: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= biggest


# --- the conflict view -------------------------------------------------------------------------


def stored_texts(writeup: WriteUp) -> dict:
    """What the other device saved, as the conflict view shows it and writeup.js receives it."""
    return {
        "version": writeup.version,
        **{name: getattr(writeup, name) for name in TEXT_FIELDS},
        "cover_photo": writeup.cover_photo_id,
        "language": writeup.language,
        "saved_at": writeup.updated_at.isoformat(),
    }


def conflict_rows(form: WriteUpForm, mine: dict | None = None, theirs: WriteUp | None = None):
    """Each field of the compose form with this device's value and the stored one, as text.

    Without a conflict the rows are empty: writeup.js fills them when a save meets one.
    """
    rows = []
    for name in (*TEXT_FIELDS, "cover_photo", "language"):
        row = {"name": name, "label": form.fields[name].label, "long": name in LONG_FIELDS}
        if theirs is not None:
            ours, stored = mine[name], getattr(theirs, name)
            row.update(
                mine=shown_value(form, name, ours),
                theirs=shown_value(form, name, stored),
                # A cover by its photo: two photos may share a caption.
                differs=getattr(ours, "pk", ours) != getattr(stored, "pk", stored),
            )
        rows.append(row)
    return rows


def shown_value(form: WriteUpForm, name: str, value) -> str:
    """A field's value as the form shows it: a cover by its caption, a language by its name."""
    field = form.fields[name]
    if name == "cover_photo":
        return field.label_from_instance(value) if value else str(field.empty_label)
    if name == "language":
        return str(dict(field.choices).get(value, value))
    return value
