"""core/http.py: a request from one of our scripts, told from a plain form."""

import pytest
from django.test import RequestFactory

from core.http import from_script

FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    ("headers", "content_type", "expected"),
    [
        # What the clients send: star.js, photo-manager.js and autosave.js say "fetch";
        ({"X-Requested-With": "fetch"}, FORM, True),
        # photo-upload.js and django-markdownx's drag-and-drop say "XMLHttpRequest";
        ({"X-Requested-With": "XMLHttpRequest"}, "multipart/form-data; boundary=x", True),
        # writeup.js's autosave sent JSON without the header;
        ({}, "application/json", True),
        ({"X-Requested-With": "fetch"}, "application/json", True),
        # a plain form sends neither.
        ({}, FORM, False),
        ({}, "multipart/form-data; boundary=x", False),
        ({"X-Requested-With": "something-else"}, FORM, False),
    ],
)
def test_a_script_is_told_by_its_header_or_a_json_body(headers, content_type, expected):
    request = RequestFactory().post("/", data=b"{}", content_type=content_type, headers=headers)

    assert from_script(request) is expected
