import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from tests.support.factories import UserFactory

# Property tests explore new examples on every local run; CI runs the same examples each time, so
# that a run lands or fails on the code and not on luck (what a local run finds becomes a test).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes uploads to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a test that activated Korean in this
    thread must not turn the next test's command output Korean."""
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing cached: no page or fragment from an earlier test."""
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests serve static files from the finders; there is no collectstatic output to scan.
    settings.WHITENOISE_AUTOREFRESH = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def owner(db):
    return UserFactory(username="owner")


@pytest.fixture
def other_user(db):
    return UserFactory(username="other")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def other_client(other_user):
    client = Client()
    client.force_login(other_user)
    return client


def pytest_configure(config):
    # WhiteNoise warns when STATIC_ROOT is missing (a fresh clone has no collectstatic output);
    # the live server of the browser tests builds its middleware before any settings fixture.
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
