"""Track colours: the one notation hugi stores and writes ("#rrggbb"), and the palette an import
chooses from for a track its file gives no colour."""

import zlib

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# The admin's check. What is stored may come from elsewhere too (an import, a restored backup),
# so imports, pages and exports ask is_colour() before they use a colour.
validate_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use #rrggbb."))
DEFAULT_COLOUR = "#6b7280"

# Stable per name: the same track gets the same colour on every import.
PALETTE = [
    "#2563eb",
    "#db2777",
    "#059669",
    "#d97706",
    "#7c3aed",
    "#0891b2",
    "#dc2626",
    "#65a30d",
    "#c026d3",
    "#0d9488",
    "#ea580c",
    "#4f46e5",
]


def is_colour(value) -> bool:
    """Whether value is "#rrggbb", and nothing more (not even the line break "$" lets through)."""
    return validate_colour.regex.fullmatch(value or "") is not None


def palette_colour(name: str) -> str:
    return PALETTE[zlib.crc32(name.encode()) % len(PALETTE)]
