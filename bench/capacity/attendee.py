"""What the Locust scenario (locustfile.py) needs besides the users themselves: the roster, the
pace, a phone photo, the edited schedule a staff member uploads, and what is written after the
run (the acknowledged notes, every failure with its time)."""

import io
import json
import os
import random
import re
import secrets
import sys
import time
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository: ops.capacity_text
from ops.capacity_text import burst  # noqa: F401  (the locustfile types with it)

ROSTER = json.loads(Path(os.environ["CAPACITY_ROSTER"]).read_text(encoding="utf-8"))
# 1 is real time (the rates in locustfile.py); the smoke test runs ten times faster (0.1).
PACE = float(os.environ.get("CAPACITY_PACE", "1"))
# Seconds after the start at which the staff member uploads the edited schedule; < 0: never.
SYNC_AT = float(os.environ.get("CAPACITY_SYNC_AT", "-1"))
SCHEDULE = Path(ROSTER["schedule"])  # the file the conference was imported from
OUT = os.environ.get("CAPACITY_OUT", "")  # a folder: acks.json and failures.json go there
# How many note-takers (the runner says; readers and calendar apps follow): exact counts, where
# Locust's weights would only divide the users roughly. 0: by weight (a run by hand with -u).
NOTE_TAKERS = int(os.environ.get("CAPACITY_NOTE_TAKERS", "0"))
# The smoke test: every user does each of its tasks once as it arrives, then the usual mix.
TOUR = os.environ.get("CAPACITY_TOUR") == "1"
# The fault drill uploads more photos than a day does, so that some arrive while the disk is full.
PHOTO_WEIGHT = int(os.environ.get("CAPACITY_PHOTO_WEIGHT", "1"))
TIMEOUT = float(os.environ.get("CAPACITY_TIMEOUT", "20"))  # a phone gives up after about that
FIRST_RETRY, MAX_RETRY = 2.0, 60.0  # editor.js's back-off (autosave.js), in seconds
CSRF = secrets.token_hex(16)  # a well-formed csrftoken cookie; the header repeats it
VERSION = re.compile(r'data-version="(\d+)"')

acks: dict[str, dict] = {}  # username -> what the server last acknowledged of their note
failures: list[dict] = []  # every failed request: when, what, why
started = [time.time()]


def paced(low: float, high: float):
    """Locust's between(), scaled by PACE."""

    def wait(_user):
        return random.uniform(low, high) * PACE

    return wait


def headers_for(cookie: str | None, **more) -> dict:
    parts = [f"csrftoken={CSRF}"]
    if cookie:
        parts.append(f"{ROSTER['cookie_name']}={cookie}")
    return {"Cookie": "; ".join(parts), "X-CSRFToken": CSRF, **more}


def backoff(delay: float) -> float:
    return min(delay * 2 if delay else FIRST_RETRY, MAX_RETRY)


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """A multipart/form-data body and its Content-Type."""
    boundary = "----hugi" + secrets.token_hex(12)
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(str(value).encode() + b"\r\n")
    for name, (filename, data, kind) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


@cache
def phone_photo() -> bytes:
    """A 12 MP JPEG (4000 x 3000) of about 2 MB, as a phone takes of a slide: made once."""
    from PIL import Image

    noise = Image.effect_noise((500, 375), 60).convert("RGB").resize((4000, 3000))
    shade = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(noise, shade, 0.5).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@cache
def edited_schedule() -> bytes:
    """The schedule with five talks retitled, as a programme team publishes a correction."""
    tree = ET.parse(SCHEDULE)
    retitled = 0
    for event in tree.iter("event"):
        title = event.find("title")
        if title is not None and title.text and retitled < 5:
            title.text += " (updated)"
            retitled += 1
    return ET.tostring(tree.getroot(), encoding="utf-8", xml_declaration=True)


def record_failure(name: str, why: str) -> None:
    now = time.time()
    failures.append({"at": round(now - started[0], 2), "t": now, "name": name, "why": why[:200]})


def write_results() -> None:
    if not OUT:
        return
    folder = Path(OUT)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "acks.json").write_text(json.dumps(list(acks.values()), ensure_ascii=False))
    (folder / "failures.json").write_text(json.dumps(failures))
