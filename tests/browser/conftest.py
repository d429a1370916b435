"""Playwright against Debian's Chromium and a live Django server on a real database."""

import os
import shutil
import time

import pytest

# Playwright's sync API keeps an event loop running in the test thread; the ORM calls the tests
# make themselves (creating data, reading it back) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

CHROMIUM = shutil.which("chromium")
MISSING = "Chromium is missing: apt-get install -y chromium"
# On a developer's machine a missing browser skips the browser tests; CI must run them.
ON_CI = os.environ.get("CI", "").lower() == "true"
SKIPPED = pytest.StashKey[int]()


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser/" in str(item.fspath)]
    skip = CHROMIUM is None and not ON_CI
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
        if skip:
            item.add_marker(pytest.mark.skip(reason=MISSING))
        elif CHROMIUM is not None:
            # Real browsers on a busy 2-core CI machine: a timing miss gets a second chance;
            # a real bug fails every run.
            item.add_marker(pytest.mark.flaky(reruns=2, reruns_delay=1))
    config.stash[SKIPPED] = len(browser_items) if skip else 0


def pytest_terminal_summary(terminalreporter, config):
    if skipped := config.stash.get(SKIPPED, 0):
        terminalreporter.write_line(
            f"{skipped} browser tests skipped. {MISSING} (with CI=true they fail instead)",
            yellow=True,
        )


@pytest.fixture(scope="session", autouse=True)
def one_request_at_a_time_on_in_memory_sqlite(django_db_setup):
    """An in-memory SQLite database is one connection that the live server's threads share;
    two requests at once (a service worker keeping pages in parallel) break it ("bad parameter
    or other API misuse"). Then the live server answers one request at a time. Before
    live_server starts (autouse fixtures come first), after the test database is made."""
    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    class OneAtATime(WSGIServer):
        # Its requests run in the live server's own thread, which already uses the shared
        # connection; the threaded server's per-thread override has nothing to do here.
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        LiveServerThread.server_class = OneAtATime


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if CHROMIUM is None:
        pytest.fail(f"{MISSING} (CI=true: the browser tests must run)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_server, transactional_db):
    """Open browser contexts (separate cookie jars) on the live server; closed after the test.

    Depending on transactional_db makes the contexts close before the database is flushed, so
    no late request from a page (a retried upload, a service worker) races the flush.
    """
    contexts = []

    def make(viewport=PHONE, **kwargs):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, **kwargs)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    # A request the page sent just before closing (an upload being processed) may still be
    # running in the live server's thread; let it finish before the database is flushed.
    time.sleep(1)


@pytest.fixture
def phone_page(new_context):
    return new_context(PHONE).new_page()


@pytest.fixture
def desktop_page(new_context):
    return new_context(DESKTOP).new_page()


@pytest.fixture
def login(live_server):
    """Sign a browser context in as a user, through the real login form."""

    def sign_in(context, username, password="correct horse battery staple"):
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
        page.wait_for_load_state()
        page.close()

    return sign_in
