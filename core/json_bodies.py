"""The JSON bodies the editor and the write-up compose page send: one way to read them, and one
exception for a body that is not a save at all."""

import json

from django.utils.translation import gettext as _


class BadSave(Exception):
    """A request that is not a save at all: a one-line reason and the status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def json_object(raw: bytes) -> dict:
    """A request body that must hold a JSON object, or BadSave with a one-line reason."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadSave(_("The request is not valid JSON.")) from None
    except RecursionError:
        # json's decoder recurses once per level: 100,000 "[" reach Python's limit.
        raise BadSave(_("The request is not valid JSON: it is nested too deeply.")) from None
    if not isinstance(data, dict):
        raise BadSave(_("The request must be a JSON object."))
    return data
