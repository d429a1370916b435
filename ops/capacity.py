"""The capacity benchmark's world (bench/capacity/): a conference, its attendees, and the check
that nothing an attendee was told was saved got lost.

prepare() imports the schedule once and makes N attendees the way a conference day has them:
each with their own account, already signed in (a session in the database, as after signing in
that morning: sign-in is not what the benchmark measures), a few starred sessions, two or three
notes from earlier talks, a calendar address, and a talk they sit in now. It writes a roster
(JSON) that the Locust scenario reads. Running it again with the same N adds nobody.

check_acknowledged() and check_photos() are the after-run checks.
"""

import io
import random
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from notes import services
from notes.models import CalendarFeed, Note, Photo, Star, Visibility
from ops import capacity_text
from sessions.models import Conference

PREFIX = "capacity-"
STAFF = "capacity-staff"
# Every benchmark attendee has this password, for looking around as one of them afterwards;
# the benchmark runs on a throwaway database (never give these accounts to a real site).
PASSWORD = "capacity-bench-only"
STARS_EACH = 5
EARLIER_NOTES = 3
SAMPLE_PAGES = 200  # session and speaker pages the readers spread over


def prepare(*, users: int, schedule: Path, slug: str, seed: int = 0) -> dict:
    """The conference (imported once), `users` attendees and a staff member; the roster."""
    rng = random.Random(seed)
    conference = Conference.objects.filter(slug=slug).first()
    if conference is None:
        quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
        call_command("import_schedule", str(schedule), "--conference", slug, **quiet)
        conference = Conference.objects.get(slug=slug)
    day = conference.days.annotate(n=Count("sessions")).order_by("-n", "date").first()
    sessions = list(day.sessions.filter(cancelled=False).order_by("starts_at", "pk"))
    now = busiest_moment(sessions)
    in_progress = [s for s in sessions if s.starts_at <= now < s.ends_at]
    earlier = [s for s in sessions if s.ends_at <= now]
    attendees = ensure_attendees(users, rng, in_progress, sessions, earlier)
    staff = ensure_staff()
    return {**roster(conference, day, sessions, attendees, staff, rng), "schedule": str(schedule)}


def busiest_moment(sessions):
    """The start time at which most sessions run at once: the middle of the conference day."""
    return max(
        (s.starts_at for s in sessions),
        key=lambda t: sum(1 for s in sessions if s.starts_at <= t < s.ends_at),
    )


def ensure_attendees(count, rng, in_progress, day_sessions, earlier):
    """capacity-0001 … capacity-<count>, each made once; returns [(user, its talk now)]."""
    User = get_user_model()
    names = [f"{PREFIX}{n:04d}" for n in range(1, count + 1)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    password = make_password(PASSWORD)  # hashed once: the same for all
    with transaction.atomic():
        User.objects.bulk_create(
            User(username=name, password=password) for name in names if name not in existing
        )
    users = User.objects.filter(username__in=names).order_by("username")
    # Half the hall is in the keynote room, the rest spread over the other talks.
    weights = [len(in_progress)] + [1] * (len(in_progress) - 1)
    attendees = []
    for number, user in enumerate(users, start=1):
        talk = random.Random(user.username).choices(in_progress, weights)[0]  # the same each run
        attendees.append((user, talk))
        if user.username not in existing:
            fill_day(user, number, talk, rng, day_sessions, earlier)
    return attendees


def fill_day(user, number, talk, rng, day_sessions, earlier):
    """Stars, notes on earlier talks and a calendar address for a new attendee."""
    language = capacity_text.language_of(number)
    others = [s for s in day_sessions if s != talk]
    starred = rng.sample(others, min(STARS_EACH, len(others)))
    Star.objects.bulk_create(
        [Star(user=user, session=s) for s in {talk, *starred}], ignore_conflicts=True
    )
    pool = [s for s in earlier if s != talk]
    noted = rng.sample(pool if len(pool) >= EARLIER_NOTES else others, EARLIER_NOTES)
    for position, session in enumerate(noted):
        services.save_note(
            author=user,
            session=session,
            body=capacity_text.note(rng, language, session.title, rng.randint(800, 3000)),
            visibility=Visibility.PUBLIC if position == 0 else Visibility.PRIVATE,
            base_version=0,
        )
    CalendarFeed.objects.get_or_create(user=user)


def ensure_staff():
    User = get_user_model()
    staff, created = User.objects.get_or_create(
        username=STAFF, defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        staff.set_password(PASSWORD)
        staff.save(update_fields=["password"])
    return staff


def signed_in(user) -> str:
    """A new session key of the user, as signing in makes it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def roster(conference, day, sessions, attendees, staff, rng) -> dict:
    notes = {
        (n.author_id, n.session_id): n
        for n in Note.objects.filter(author__in=[u for u, _ in attendees])
    }
    feeds = dict(CalendarFeed.objects.values_list("user_id", "token"))
    speakers = list(conference.speakers.order_by("pk")[:SAMPLE_PAGES])
    pages = rng.sample(sessions, min(SAMPLE_PAGES, len(sessions)))
    return {
        "conference": conference.slug,
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "pages": {
            "conference": conference.get_absolute_url(),
            "day": day.get_absolute_url(),
            "sessions": [s.get_absolute_url() for s in pages],
            "speakers_list": f"/{conference.slug}/speakers/",
            "speakers": [s.get_absolute_url() for s in speakers],
            "ics": f"/{conference.slug}/schedule.ics",
        },
        "star_ids": [s.pk for s in pages],
        "staff": {"cookie": signed_in(staff), "import_url": import_url(conference)},
        "note_takers": [note_taker(user, talk, notes, feeds, number, rng)
                        for number, (user, talk) in enumerate(attendees, start=1)],
    }  # fmt: skip


def import_url(conference) -> str:
    return f"/admin/program/conference/{conference.pk}/import/"


def note_taker(user, talk, notes, feeds, number, rng) -> dict:
    note = notes.get((user.pk, talk.pk))
    return {
        "username": user.username,
        "cookie": signed_in(user),
        "session_id": talk.pk,
        "title": talk.title,
        "page": talk.get_absolute_url(),
        "language": capacity_text.language_of(number),
        "version": note.version if note else 0,
        "body": note.body if note else "",
        "visibility": note.visibility if note else Visibility.PRIVATE,
        "calendar": f"/calendar/{feeds[user.pk]}.ics",
        "seed": rng.randrange(1 << 30),
    }


# --- after the run ------------------------------------------------------------------------------


def check_acknowledged(acks: list[dict]) -> list[str]:
    """Each note-taker's note as the server last acknowledged it must be in the database.

    An ack: {"username", "session_id", "version", "body", "pending"}; pending is the text of a
    save still on its way when the run stopped (or whose answer was lost): that one may have
    landed, one version later. Returns one line per note that differs; [] when none does.
    """
    stored = {
        (n.author.username, n.session_id): n
        for n in Note.objects.filter(
            author__username__in=[a["username"] for a in acks]
        ).select_related("author")
    }
    problems = []
    for ack in acks:
        note = stored.get((ack["username"], ack["session_id"]))
        version, body = (note.version, note.body) if note else (0, "")
        if (version, body) == (ack["version"], ack["body"]):
            continue
        pending = ack.get("pending")
        if pending is not None and (version, body) == (ack["version"] + 1, pending):
            continue
        problems.append(
            f"{ack['username']} on session {ack['session_id']}: acknowledged version "
            f"{ack['version']} ({len(ack['body'])} characters), stored version {version} "
            f"({len(body)} characters)"
        )
    return problems


def check_photos() -> list[str]:
    """Every photo row has all its files, and no photo file is without its row."""
    problems = []
    known = set()
    for photo in Photo.objects.only("pk", "image", "renditions"):
        names = [photo.image.name, *(r["name"] for r in photo.renditions)]
        known.update(names)
        problems += [f"photo {photo.pk}: {name} is missing"
                     for name in names if not default_storage.exists(name)]  # fmt: skip
    try:
        _folders, files = default_storage.listdir("photos")
    except FileNotFoundError:
        files = []
    problems += [f"photos/{name} has no row" for name in files if f"photos/{name}" not in known]
    return problems
