"""Concurrent autosaves on PostgreSQL: the last accepted version is stored, every stale save is
refused, nothing is lost — from threads with their own connections, and across two app server
processes that share only the database (no state in process memory).

Each device follows the editor's protocol: it saves based on the version it last saw; on a 409
it takes the stored version and tries again with its own text (as "Keep mine" does).
"""

import http.cookiejar
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from notes.models import Note, Photo, WriteUp
from notes.photos.services import add_photo
from notes.services import StaleNote, save_note
from notes.writeups.services import StaleWriteUp, save_writeup
from sessions.models import Conference, Session
from tests.support.factories import SessionFactory, UserFactory
from tests.support.paths import SCHEDULES
from tests.support.photo_corpus import phone_jpeg, upload

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency is tested on PostgreSQL: SQLite serialises every writer, and two "
        "app server processes need a database server",
    ),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct horse battery staple"
SAVES_PER_DEVICE = 20


@dataclass
class Log:
    """What the devices saw: accepted saves as (base, new version, body) and refusals."""

    accepted: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def run_devices(devices, work):
    """Start every device at once on its own thread (and database connection); wait for all."""
    start = threading.Barrier(len(devices))
    log = Log()

    def device(name):
        try:
            start.wait(timeout=30)
            work(name, log)
        except Exception as error:  # reported by the test, not lost in the thread
            with log.lock:
                log.errors.append(f"{name}: {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=device, args=(name,)) for name in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a device hung"
    return log


def assert_no_lost_update(note_filter, log, *, first_version):
    """The stored note is the last accepted save; each version was accepted exactly once."""
    assert log.errors == []
    note = Note.objects.get(**note_filter)
    versions = sorted(new for _base, new, _body in log.accepted)
    # Every accepted save moved the version on by one from the version it was based on, and no
    # two saves were accepted from the same base: none overwrote another unseen.
    assert versions == list(range(first_version + 1, first_version + 1 + len(versions)))
    assert all(new == base + 1 for base, new, _body in log.accepted)
    assert note.version == first_version + len(log.accepted)
    last = max(log.accepted, key=lambda save: save[1])
    assert note.body == last[2]
    # Every refused save was based on a version older than the one stored when it was refused.
    assert all(base < stored for base, stored in log.refused)
    assert len(log.accepted) >= SAVES_PER_DEVICE  # each device got through eventually


@pytest.fixture
def owner():
    return UserFactory(username="owner")


@pytest.fixture
def talk():
    return SessionFactory(title="Concurrency talk")


def autosaving_device(first_version, save, stale_error):
    """A device's work for run_devices: save through save(body, base_version) based on the
    version it last saw, on a refusal (stale_error) take the stored version and try again, until
    it got SAVES_PER_DEVICE // 2 saves through."""

    def work(name, log):
        known, done, attempt = first_version, 0, 0
        while done < SAVES_PER_DEVICE // 2:
            attempt += 1
            body = f"{name} save {attempt}"
            try:
                saved = save(body, known)
            except stale_error as stale:
                with log.lock:
                    log.refused.append((known, stale.current.version))
                known = stale.current.version
                continue
            with log.lock:
                log.accepted.append((known, saved.version, body))
            known, done = saved.version, done + 1

    return work


def test_concurrent_service_saves_of_one_note_lose_nothing(owner, talk):
    def save(body, base_version):
        return save_note(
            author=owner, session=talk, body=body, visibility="private", base_version=base_version
        )

    note = save("start", 0)
    log = run_devices(["phone", "laptop"], autosaving_device(note.version, save, StaleNote))
    assert_no_lost_update({"pk": note.pk}, log, first_version=1)


def test_concurrent_saves_of_one_write_up_lose_nothing(owner, talk):
    """Two devices autosaving one write-up at once: the conditional UPDATE lets exactly one
    save through from each version, as for notes."""
    conference = talk.conference

    def save(body, base_version):
        return save_writeup(
            author=owner, conference=conference, title="Days", summary="", intro=body,
            closing="", cover_photo=None, base_version=base_version,
        )  # fmt: skip

    first = save("start", 0)
    log = run_devices(["phone", "laptop"], autosaving_device(first.version, save, StaleWriteUp))
    assert log.errors == []
    stored = WriteUp.objects.get(pk=first.pk)
    assert sorted(new for _base, new, _body in log.accepted) == list(
        range(first.version + 1, first.version + 1 + len(log.accepted))
    )
    assert all(new == base + 1 for base, new, _body in log.accepted)
    assert stored.version == first.version + len(log.accepted) == first.version + SAVES_PER_DEVICE
    assert stored.intro == max(log.accepted, key=lambda save: save[1])[2]
    assert all(base < current for base, current in log.refused)


def test_concurrent_saves_through_the_endpoint_lose_nothing_and_refuse_stale_ones(owner, talk):
    url = reverse("notes:save", args=[talk.pk])
    note = save_note(author=owner, session=talk, body="start", visibility="private", base_version=0)

    def work(name, log):
        client = Client()
        client.force_login(owner)
        known = note.version
        done = 0
        attempt = 0
        while done < SAVES_PER_DEVICE // 2:
            attempt += 1
            body = f"{name} save {attempt}"
            response = client.post(
                url,
                {"body": body, "visibility": "private", "base_version": known},
                content_type="application/json",
            )
            answer = response.json()
            if response.status_code == 409:
                assert answer["error"] == "This note was changed on another device."
                with log.lock:
                    log.refused.append((known, answer["version"]))
                known = answer["version"]
                continue
            assert response.status_code == 200, answer
            with log.lock:
                log.accepted.append((known, answer["version"], body))
            known = answer["version"]
            done += 1

    log = run_devices(["phone", "laptop"], work)
    assert_no_lost_update({"pk": note.pk}, log, first_version=1)
    assert log.refused, "the devices never raced: no stale save was tried"


def test_two_devices_creating_the_same_note_at_once_one_wins_the_other_is_told(owner, talk):
    url = reverse("notes:save", args=[talk.pk])
    answers = {}

    def work(name, log):
        client = Client()
        client.force_login(owner)
        response = client.post(
            url,
            {"body": f"first words from the {name}", "visibility": "private", "base_version": 0},
            content_type="application/json",
        )
        with log.lock:
            answers[name] = (response.status_code, response.json())

    log = run_devices(["phone", "laptop"], work)
    assert log.errors == []
    statuses = sorted(status for status, _answer in answers.values())
    assert statuses == [200, 409]
    winner = next(name for name, (status, _a) in answers.items() if status == 200)
    loser = next(answer for status, answer in answers.values() if status == 409)
    stored = Note.objects.get(author=owner, session=talk)
    assert (stored.version, stored.body) == (1, f"first words from the {winner}")
    assert (loser["version"], loser["body"]) == (1, stored.body)


# --- two app server processes against one database ---


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database (test_…) as a URL the app servers can use."""
    db = connection.settings_dict
    auth = db["USER"] or "postgres"
    if db["PASSWORD"]:
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def app_servers(tmp_path):
    """Two gunicorn processes on free loopback ports, sharing only the test database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "true",
        "SECRET_KEY": "two-app-servers-share-this-secret-key-" + "x" * 30,
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CONN_MAX_AGE": "0",
        "CACHE_URL": "locmem://",  # each process its own memory: nothing may rely on it
    }
    servers = []
    try:
        for _ in range(2):
            port = free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
                 "--workers", "1", "--threads", "2", "--timeout", "30"],
                cwd=Path(settings.BASE_DIR), env=env, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE, start_new_session=True,
            )  # fmt: skip
            servers.append((f"http://127.0.0.1:{port}", process))
        for base, process in servers:
            wait_until_up(base, process)
        yield [base for base, _process in servers]
    finally:
        for _base, process in servers:
            stop(process)


def wait_until_up(base, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/robots.txt", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"{base} did not answer within {timeout} s")


def stop(process):
    """The whole process group (gunicorn's master and its worker), politely then firmly."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    process.stderr.close()


class Browser:
    """One cookie jar (one signed-in device) that can talk to either app server."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirects
        )

    def cookie(self, name):
        return next((cookie.value for cookie in self.jar if cookie.name == name), "")

    def request(self, url, data=None, headers=None):
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read()

    def sign_in(self, base, username):
        status, page = self.request(f"{base}/accounts/login/")
        assert status == 200
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
        form = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        status, _body = self.request(f"{base}/accounts/login/", form)
        assert status == 302, "sign-in failed"
        assert self.cookie("sessionid")

    def save(self, base, session_id, body, base_version):
        payload = json.dumps({"body": body, "visibility": "private", "base_version": base_version})
        status, answer = self.request(
            f"{base}/notes/{session_id}/save/",
            payload.encode(),
            {"Content-Type": "application/json", "X-CSRFToken": self.cookie("csrftoken")},
        )
        return status, json.loads(answer)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_same_photo_sent_twice_at_once_is_stored_once(owner, talk, settings, tmp_path):
    """A retried upload can reach the server while the first try is still being stored."""
    settings.MEDIA_ROOT = tmp_path
    data = phone_jpeg((1200, 900), orientation=1)
    stored = {}

    def work(name, log):
        photo = add_photo(
            owner=owner, session=talk, upload=upload(data, "photo.jpg"),
            upload_key="3f2a9c0d1e7b44aa9c01f2e3",
        )  # fmt: skip
        with log.lock:
            stored[name] = photo.pk

    log = run_devices(["phone", "retry", "again"], work)
    assert log.errors == []
    assert Photo.objects.count() == 1
    assert set(stored.values()) == {Photo.objects.get().pk}
    files = sorted(path.name for path in tmp_path.rglob("*") if path.is_file())
    assert len(files) == 1 + len(Photo.objects.get().renditions)  # no copy's files left behind


def test_a_re_import_while_people_save_public_notes_never_deadlocks(owner):
    """A re-import locks the conference's sessions, then the conference; so does every public
    note save (its session, then the conference): the other order deadlocked."""
    schedule = str(SCHEDULES / "debconf23.xml")
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("import_schedule", schedule, "--conference", "dc23", **quiet)
    talk = Session.objects.filter(conference__slug="dc23").order_by("starts_at", "pk").first()
    for round_ in range(3):
        # What the next import puts back: the conference's name and every session's title.
        Conference.objects.filter(slug="dc23").update(name=f"Renamed {round_}")
        Session.objects.filter(conference__slug="dc23").update(title="Edited")
        imported = threading.Event()

        def work(name, log, imported=imported):
            if name == "import":
                try:
                    call_command("import_schedule", schedule, "--conference", "dc23", **quiet)
                finally:
                    imported.set()
                return
            note = Note.objects.filter(author=owner, session=talk).first()
            known = note.version if note else 0
            while not imported.is_set():
                known = save_note(
                    author=owner, session=talk, body=f"live {known}", visibility="public",
                    base_version=known,
                ).version  # fmt: skip

        log = run_devices(["import", "phone"], work)
        assert log.errors == []
        assert Conference.objects.get(slug="dc23").name != f"Renamed {round_}"
        assert not Session.objects.filter(conference__slug="dc23", title="Edited").exists()


def test_two_app_servers_share_the_sign_in_and_detect_conflicts_across_processes(
    owner, talk, app_servers
):
    # The tests' fast hasher is not one the app servers know: give the owner a PBKDF2 password
    # (few iterations; the first sign-in upgrades it, as it would any old hash).
    owner.password = PBKDF2PasswordHasher().encode(PASSWORD, "concurrency-salt", iterations=1000)
    owner.save(update_fields=["password"])
    first, second = app_servers
    phone = Browser()
    phone.sign_in(first, "owner")
    # Signed in on one process, saving on the other with the same cookie.
    assert phone.save(second, talk.pk, "from the second server", 0)[0] == 200
    status, answer = phone.save(first, talk.pk, "stale, from the first server", 0)
    assert (status, answer["version"], answer["body"]) == (409, 1, "from the second server")
    assert phone.save(first, talk.pk, "based on version 1", 1)[0] == 200
    status, answer = phone.save(second, talk.pk, "also based on version 1", 1)
    assert (status, answer["version"], answer["body"]) == (409, 2, "based on version 1")

    # Two devices, each on its own server, racing: the same rules hold across processes.
    laptop = Browser()
    laptop.sign_in(second, "owner")
    devices = {"phone": (phone, first), "laptop": (laptop, second)}

    def work(name, log):
        browser, base = devices[name]
        known = 2
        done = 0
        attempt = 0
        while done < SAVES_PER_DEVICE // 2:
            attempt += 1
            body = f"{name} save {attempt}"
            status, answer = browser.save(base, talk.pk, body, known)
            if status == 409:
                with log.lock:
                    log.refused.append((known, answer["version"]))
                known = answer["version"]
                continue
            assert status == 200, answer
            with log.lock:
                log.accepted.append((known, answer["version"], body))
            known = answer["version"]
            done += 1

    log = run_devices(list(devices), work)
    assert_no_lost_update({"author": owner, "session": talk}, log, first_version=2)
    assert log.refused, "the servers never raced: no stale save was tried"
