"""Path converters for every URLconf: Unicode slugs (Korean slugs are common) and ISO dates."""

from datetime import date

from django.urls import register_converter


class UnicodeSlugConverter:
    """A slug that may hold any letters, not only ASCII: Korean slugs are common here."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class IsoDateConverter:
    """YYYY-MM-DD as a date; anything else, or an impossible date, does not match (404)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return date.fromisoformat(value)  # ValueError (2025-02-30) means "no match"

    def to_url(self, value):
        return value.isoformat() if isinstance(value, date) else value


# Registered on import: every URLconf that uses them imports this module first.
register_converter(UnicodeSlugConverter, "uslug")
register_converter(IsoDateConverter, "isodate")
