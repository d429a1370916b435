"""A conference day at hugi, for Locust: note-takers, readers, calendar apps and one staff sync.

    CAPACITY_ROSTER=roster.json locust -f bench/capacity/locustfile.py --headless \
        -u 501 -r 50 -t 120s --host http://127.0.0.1:8000

(bench/capacity/run.py prepares the roster with `manage.py capacity_setup` and runs this.)
Users are split by weight: for N note-takers there are 3N readers and N calendar apps (5N
users), plus one staff member when CAPACITY_SYNC_AT is set. The rates, at CAPACITY_PACE=1:

NoteTaker (weight 1) — an attendee in a talk, signed in with their own account (the roster's
session), typing notes. Opens /me/ and the editor of the talk they sit in, then one action every
8-20 s (14 s on average), chosen by weight out of 100:
  86  types a burst (a sentence, a list item, a heading) and the editor autosaves it through the
      JSON endpoint as editor.js does: the body, the visibility and the base version; 200 moves
      the base; a 409 holding exactly this text is a save whose answer got lost (acknowledged);
      another 409 is a conflict (counted as a failure; "keep mine" sends it again on the new
      version); 5xx, timeouts and refused connections are retried with editor.js's back-off
      (2 s doubling to 60 s) until they succeed. So about 3.7 saves a minute per note-taker.
   2  opens /me/                 2  opens the editor again (it must show the acknowledged version)
   2  looks at the day timeline  2  looks at the session page of their talk
   2  stars or unstars a session (fetch, as stars.js)
   1  uploads a phone photo of a slide (12 MP JPEG, ~2 MB; once every ~23 minutes), retried
      with the same upload key on failure as photos.js does.
Reader (weight 3) — anonymous, reading the programme between talks: one page every 10-30 s:
   4 the day timeline, 4 a session, 2 the conference, 2 a speaker, 1 home, 1 the speakers list.
CalendarApp (weight 1) — a calendar app subscribed to an attendee's starred sessions and to the
   conference's .ics, polling both every 15 minutes (the first poll at a random moment).
Staff (1, when CAPACITY_SYNC_AT >= 0) — at that second uploads the programme again with five
   talks retitled, through the admin's import (preview, then confirm), as staff do mid-day.

Every failure is recorded with its time; at the end each note-taker's last acknowledged text
(and a save still on its way) goes to CAPACITY_OUT/acks.json for bench/capacity/check.py.
"""

import html
import random
import re
import secrets
import time
from urllib.parse import urlencode

import gevent
from attendee import (
    NOTE_TAKERS,
    PACE,
    PHOTO_WEIGHT,
    ROSTER,
    SYNC_AT,
    TIMEOUT,
    TOUR,
    VERSION,
    acks,
    backoff,
    burst,
    edited_schedule,
    headers_for,
    multipart,
    paced,
    phone_photo,
    record_failure,
    started,
    write_results,
)
from locust import FastHttpUser, constant, events, task

taken = iter(range(len(ROSTER["note_takers"])))
pages = ROSTER["pages"]


@events.init.add_listener
def _ready(**_kwargs):
    # Made before any user starts: a second of CPU inside the run would stall every request.
    phone_photo()
    if SYNC_AT >= 0:
        edited_schedule()


@events.test_start.add_listener
def _started(**_kwargs):
    started[0] = time.time()


@events.request.add_listener
def _failed(name, exception=None, **_kwargs):
    if exception is not None:
        record_failure(name, repr(exception))


@events.test_stop.add_listener
def _stopped(**_kwargs):
    write_results()


def json_of(response) -> dict:
    """The JSON answer, or {} (a refused connection has no headers, a proxy's 502 is HTML)."""
    kind = (response.headers or {}).get("Content-Type", "")
    try:
        return response.json() if kind.startswith("application/json") else {}
    except ValueError:
        return {}


class Attendee(FastHttpUser):
    abstract = True
    network_timeout = TIMEOUT
    connection_timeout = 10.0

    def tour(self):
        """Each task once (the smoke test), so that every endpoint is asked for."""
        if TOUR:
            for method in dict.fromkeys(self.tasks):
                method(self)


class NoteTaker(Attendee):
    weight = 1
    fixed_count = NOTE_TAKERS
    wait_time = paced(8, 20)

    def on_start(self):
        number = next(taken, None)
        if number is None:
            raise RuntimeError("more note-takers than attendees in the roster")
        self.me = ROSTER["note_takers"][number]
        self.rng = random.Random(self.me["seed"])
        self.text = self.me["body"] or f"# {self.me['title']}\n\n"
        self.base = self.me["version"]
        self.visibility = self.me["visibility"]
        self.ack = acks[self.me["username"]] = {
            "username": self.me["username"], "session_id": self.me["session_id"],
            "version": self.base, "body": self.me["body"], "pending": None, "retries": 0,
        }  # fmt: skip
        self.headers = headers_for(self.me["cookie"])
        self.my_hugi()
        self.open_editor()
        self.tour()

    def get(self, path, name):
        with self.client.get(path, headers=self.headers, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")
            return r.text or ""

    @task(86)
    def type_and_save(self):
        self.text += burst(self.rng, self.me["language"])
        self.send()

    def send(self):
        """Send self.text until the server has it (editor.js and autosave.js)."""
        url = f"/notes/{self.me['session_id']}/save/"
        delay = 0.0
        headers = {**self.headers, "X-Requested-With": "fetch"}
        while True:
            text = self.text
            payload = {"body": text, "visibility": self.visibility, "base_version": self.base}
            self.ack["pending"] = text
            with self.client.post(url, json=payload, headers=headers, name="note save",
                                  catch_response=True) as r:  # fmt: skip
                data = json_of(r)
                if r.status_code == 200 and isinstance(data.get("version"), int):
                    return self.acknowledged(data["version"], text)
                if r.status_code == 409 and isinstance(data.get("version"), int):
                    if data.get("body") == text and data.get("visibility") == self.visibility:
                        return self.acknowledged(data["version"], text)  # an answer got lost
                    r.failure(f"409: changed elsewhere (stored version {data['version']}, "
                              f"{len(data.get('body') or '')} characters; sent on {self.base}, "
                              f"{len(text)} characters)")  # fmt: skip
                    self.base = data["version"]  # "keep mine": send it again on that version
                    continue
                r.failure(f"{r.status_code} {str(data.get('error', ''))[:80]}")
                if r.status_code in (400, 413):
                    self.ack["pending"] = None
                    return
            delay = backoff(delay)
            self.ack["retries"] += 1
            gevent.sleep(delay)

    def acknowledged(self, version, text):
        self.base = version
        self.ack.update(version=version, body=text, pending=None)

    @task(2)
    def my_hugi(self):
        self.get("/me/", "/me/")

    @task(2)
    def open_editor(self):
        page = self.get(f"/notes/{self.me['session_id']}/", "editor")
        shown = VERSION.search(page)
        if shown and int(shown.group(1)) != self.base:
            record_failure("editor", f"shows version {shown.group(1)}, acknowledged {self.base}")

    @task(2)
    def day_timeline(self):
        self.get(pages["day"], "day timeline (signed in)")

    @task(2)
    def session_page(self):
        self.get(self.me["page"], "session page (signed in)")

    @task(2)
    def star(self):
        session = self.rng.choice(ROSTER["star_ids"])
        with self.client.post(
            f"/star/{session}/", data=f"starred={self.rng.choice('01')}", name="star",
            headers={**self.headers, "X-Requested-With": "fetch",
                     "Content-Type": "application/x-www-form-urlencoded"},
            catch_response=True,
        ) as r:  # fmt: skip
            if r.status_code != 200 or "<form" not in (r.text or ""):
                r.failure(f"{r.status_code}")

    @task(PHOTO_WEIGHT)
    def upload_photo(self):
        key = secrets.token_urlsafe(12)
        body, kind = multipart({"upload_key": key}, {"image": ("IMG_0001.jpg", phone_photo(), "image/jpeg")})  # fmt: skip
        headers = {**self.headers, "X-Requested-With": "fetch", "Content-Type": kind}
        delay = 0.0
        while True:
            with self.client.post(f"/photos/upload/{self.me['session_id']}/", data=body,
                                  headers=headers, name="photo upload", catch_response=True) as r:  # fmt: skip
                if r.status_code == 200 and '"photos"' in (r.text or ""):
                    return
                r.failure(f"{r.status_code} {(r.text or '')[:80]}")
                if r.status_code == 400:
                    return
            delay = backoff(delay)
            gevent.sleep(delay)


class Reader(Attendee):
    weight = 3
    fixed_count = 3 * NOTE_TAKERS
    wait_time = paced(10, 30)

    def on_start(self):
        self.tour()

    def read(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")

    @task(4)
    def day(self):
        self.read(pages["day"], "day timeline")

    @task(4)
    def session(self):
        self.read(random.choice(pages["sessions"]), "session page")

    @task(2)
    def conference(self):
        self.read(pages["conference"], "conference")

    @task(2)
    def speaker(self):
        self.read(random.choice(pages["speakers"]), "speaker page")

    @task(1)
    def home(self):
        self.read("/", "home")

    @task(1)
    def speakers(self):
        self.read(pages["speakers_list"], "speakers")


class CalendarApp(Attendee):
    weight = 1
    fixed_count = NOTE_TAKERS
    wait_time = constant(900 * PACE)

    def on_start(self):
        self.feed = random.choice(ROSTER["note_takers"])["calendar"]
        self.etag = ""
        if not TOUR:
            gevent.sleep(random.uniform(0, 900 * PACE))

    @task
    def poll(self):
        with self.client.get(self.feed, name="calendar feed (starred)", catch_response=True) as r:
            if r.status_code != 200 or "BEGIN:VCALENDAR" not in (r.text or ""):
                r.failure(f"{r.status_code}")
        headers = {"If-None-Match": self.etag} if self.etag else {}
        with self.client.get(pages["ics"], headers=headers, name="schedule.ics",
                             catch_response=True) as r:  # fmt: skip
            if r.status_code not in (200, 304):
                r.failure(f"{r.status_code}")
            self.etag = (r.headers or {}).get("ETag", self.etag)


class Staff(Attendee):
    fixed_count = 1 if SYNC_AT >= 0 else 0
    wait_time = constant(3600)
    network_timeout = max(120.0, TIMEOUT)

    @task
    def sync(self):
        gevent.sleep(max(0.0, started[0] + SYNC_AT - time.time()))
        headers = headers_for(ROSTER["staff"]["cookie"])
        url = ROSTER["staff"]["import_url"]
        body, kind = multipart({"csrfmiddlewaretoken": headers["X-CSRFToken"]},
                               {"file": ("schedule.xml", edited_schedule(), "application/xml")})  # fmt: skip
        with self.client.post(url, data=body, headers={**headers, "Content-Type": kind},
                              name="staff: import preview", catch_response=True) as r:  # fmt: skip
            found = re.search(r'name="upload" value="([^"]+)"', r.text or "")
            source = re.search(r'name="source_name" value="([^"]*)"', r.text or "")
            if r.status_code != 200 or not found:
                r.failure(f"{r.status_code}: no confirmation form")
                return
        form = urlencode({"confirm": "1", "upload": found.group(1), "slug": ROSTER["conference"],
                          "source_name": html.unescape(source.group(1)) if source else "schedule.xml",
                          "csrfmiddlewaretoken": headers["X-CSRFToken"]})  # fmt: skip
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        with self.client.post(url, data=form, headers=headers, name="staff: import confirm",
                              allow_redirects=False, catch_response=True) as r:  # fmt: skip
            if r.status_code != 302:
                r.failure(f"{r.status_code}")
