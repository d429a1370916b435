"""What keeping 36C3 offline costs a phone and the server: bytes, time, storage, refreshes.

    uv run python bench/offline_keep.py
    DATABASE_URL=postgres://postgres@127.0.0.1/hugi CACHE_URL=redis://127.0.0.1:6379/3 \
        uv run python bench/offline_keep.py

A script, not a test. It builds 36C3 with bench/dataset.py (1,351 sessions, attendees' notes and
photos), serves it with gunicorn as deploy.md runs it (3 sync workers), and drives Debian's
Chromium at phone size through Playwright: a signed-in attendee opens the conference page and
presses "Keep this conference offline". From gunicorn's access log it counts what the keeping
asked for and the bytes sent (compressed, as sent); the phone reports its storage. Then two
refreshes: one with nothing changed, one after a public note changed one session's page. Last, the
server's side of a thousand phones refreshing: the offline list answered from the page cache.
Results go to bench/results/offline_keep.json.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataset
from throughput import PRODUCTION_FLAGS, free_port

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "offline-bench-password"
LOG_FORMAT = "%(m)s %(U)s %(s)s %(B)s %(M)s"


class Gunicorn:
    def __init__(self, database_url, log):
        self.port = free_port()
        self.base = f"http://localhost:{self.port}"  # a secure context for the worker
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
             *PRODUCTION_FLAGS, "--access-logfile", str(log), "--access-logformat", LOG_FORMAT],
            cwd=dataset.ROOT, env={**os.environ, "DATABASE_URL": database_url},
        )  # fmt: skip
        for _ in range(150):
            try:
                urllib.request.urlopen(self.base + "/robots.txt", timeout=5).read()
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def lines(self):
        """Access log lines so far: (method, path, status, bytes, milliseconds)."""
        entries = []
        for line in Path(self.log).read_text().splitlines():
            method, path, status, size, ms = line.split()
            entries.append((method, path, int(status), 0 if size == "-" else int(size), int(ms)))
        return entries

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def summary(entries):
    pages = [e for e in entries if not e[1].startswith(("/static/", "/media/"))]
    return {
        "requests": len(entries),
        "page_requests": len(pages),
        "static_requests": sum(e[1].startswith("/static/") for e in entries),
        "bytes": sum(e[3] for e in entries),
        "statuses": sorted({e[2] for e in entries}),
    }


def keep(page, force_text="Saved for offline use"):
    started = time.perf_counter()
    page.get_by_role("button", name="Keep this conference offline").click()
    page.locator("[data-keep-offline][data-state=saved]").wait_for(timeout=300_000)
    seconds = time.perf_counter() - started
    assert force_text in page.locator("[data-keep-status]").inner_text()
    return seconds


def main():
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are plain code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    database_url = dataset.configure(host="127.0.0.1,localhost")
    from django.contrib.auth import get_user_model

    from notes.models import Visibility
    from notes.services import save_note
    from sessions.models import Conference

    dataset.build("36C3", "36c3_merged.xml", "36c3")
    conference = Conference.objects.get(slug="36c3")
    user = get_user_model().objects.create_user("keeper", password=PASSWORD)
    sessions = conference.sessions.count()
    speakers = conference.speakers.count()

    log = Path(tempfile.mkdtemp(prefix="hugi-offline-")) / "access.log"
    server = Gunicorn(database_url, log)
    results = {"sessions": sessions, "speakers": speakers, "days": conference.days.count()}
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            context = browser.new_context(
                base_url=server.base, viewport={"width": 390, "height": 844}
            )
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("input[name=username]", "keeper")
            page.fill("input[name=password]", PASSWORD)
            page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
            page.wait_for_load_state()
            page.goto("/36c3/")
            page.wait_for_function("async () => Boolean(await navigator.serviceWorker.ready)")

            before = len(server.lines())
            first = keep(page)
            kept = server.lines()[before:]
            storage = page.evaluate("async () => (await navigator.storage.estimate()).usage")
            results["first_keep"] = {"seconds": round(first, 1), **summary(kept),
                                     "storage_bytes": storage}  # fmt: skip

            before = len(server.lines())
            again = keep(page)
            results["refresh_unchanged"] = {"seconds": round(again, 2),
                                            **summary(server.lines()[before:])}  # fmt: skip

            changed = conference.sessions.order_by("pk")[10]
            save_note(author=user, session=changed, body="A public note.",
                      visibility=Visibility.PUBLIC, base_version=0)  # fmt: skip
            before = len(server.lines())
            after_change = keep(page)
            entries = server.lines()[before:]
            results["refresh_after_one_note"] = {
                "seconds": round(after_change, 2),
                **summary(entries),
                "pages_fetched": [e[1] for e in entries if e[1].startswith("/36c3/sessions/")],
            }
            # Another phone, now that the server has every page in its cache (as for all but
            # the first of a conference's attendees): anonymous, pages sent gzip-compressed.
            second = browser.new_context(
                base_url=server.base, viewport={"width": 390, "height": 844}
            )
            page = second.new_page()
            page.goto("/36c3/")
            page.wait_for_function("async () => Boolean(await navigator.serviceWorker.ready)")
            before = len(server.lines())
            warm = keep(page)
            storage = page.evaluate("async () => (await navigator.storage.estimate()).usage")
            results["second_phone_warm_cache"] = {"seconds": round(warm, 1),
                                                  **summary(server.lines()[before:]),
                                                  "storage_bytes": storage}  # fmt: skip
            browser.close()

        # A thousand phones after a change: each asks for the list (then the changed pages).
        list_url = server.base + "/36c3/offline.json"
        headers = {"Accept-Encoding": "gzip", "Accept-Language": "en"}
        timings = []
        for _ in range(200):
            started = time.perf_counter()
            with urllib.request.urlopen(urllib.request.Request(list_url, headers=headers)) as r:
                size = len(r.read())
            timings.append((time.perf_counter() - started) * 1000)
        results["offline_list_cached"] = {
            "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(sorted(timings)[int(len(timings) * 0.95)], 2),
            "gzip_bytes": size,
        }
    finally:
        server.stop()
        dataset.drop_database()
    print(json.dumps(results, indent=2))
    dataset.RESULTS.mkdir(exist_ok=True)
    (dataset.RESULTS / "offline_keep.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
