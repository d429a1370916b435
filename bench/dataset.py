"""The data the page benchmarks work on, built the way people build it.

Two real schedules imported with `import_schedule` (DebConf 23: 117 sessions; 36C3: 1351), then
on each conference generated attendees who star sessions, write public and private notes through
the same service the editor uses, upload photos through the real photo pipeline, and one of them
publishes a write-up. Production-like settings (DEBUG off), on a throwaway SQLite file, or on
PostgreSQL when DATABASE_URL names one: then in a throwaway `test_<name>` database beside it.
"""

import io
import os
import random
import secrets
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SCHEDULES = ROOT.parent / "shared" / "data" / "schedules"
RESULTS = ROOT / "bench" / "results"

# (label, file, slug)
SIZES = [("DebConf 23", "debconf23.xml", "debconf23"), ("36C3", "36c3_merged.xml", "36c3")]
ATTENDEES = 12
NOTES_EACH = 10  # public notes per attendee, on the busiest day's sessions
PHOTOS = 4  # public photos on the session page that is measured


def configure(host="testserver"):
    """Django with production-like settings on a throwaway database; returns its DATABASE_URL."""
    scratch = Path(tempfile.mkdtemp(prefix="hugi-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["ALLOWED_HOSTS"] = host
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("collectstatic", interactive=False, verbosity=0)  # to var/static, as deployed
    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
        return os.environ["DATABASE_URL"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    return f"{base}/{name}"


def drop_database():
    from django.db import connection

    if connection.vendor != "sqlite":
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


@dataclass
class Conference:
    label: str
    slug: str
    sessions: int
    pages: list  # [(name, path)]
    featured_session: int  # the pk of the session with the most public notes and photos


def build(label, filename, slug, rng=None) -> Conference:
    """Import one schedule and add people's notes, photos, stars and a write-up to it."""
    from django.core.management import call_command

    from sessions.models import Conference as ConferenceModel

    rng = rng or random.Random(slug)
    # Quietly: 36C3 reuses three guids, which the importer warns about.
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("import_schedule", str(SCHEDULES / filename), "--conference", slug, **quiet)
    conference = ConferenceModel.objects.get(slug=slug)
    session, writer = add_attendees(conference, rng)
    return Conference(
        label=label,
        slug=slug,
        sessions=conference.sessions.count(),
        pages=public_pages(conference, session, writer),
        featured_session=session.pk,
    )


def busiest_day(conference):
    from django.db.models import Count

    return conference.days.annotate(n=Count("sessions")).order_by("-n", "date").first()


def add_attendees(conference, rng):
    """Attendees with stars and notes on the busiest day; returns (the session with the most
    public notes and photos, the author of the published write-up)."""
    from django.contrib.auth import get_user_model

    from notes import services
    from notes.models import Visibility
    from notes.writeups import services as writeup_services

    day = busiest_day(conference)
    sessions = list(day.sessions.filter(cancelled=False).order_by("starts_at", "pk"))
    featured = sessions[len(sessions) // 2]
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{conference.slug}-attendee-{n}") for n in range(ATTENDEES)
    )
    for user in users:
        picked = [featured, *rng.sample(sessions, min(NOTES_EACH, len(sessions)))]
        for number, session in enumerate(dict.fromkeys(picked)):
            services.set_star(user=user, session=session, starred=True)
            services.save_note(
                author=user,
                session=session,
                body=note_body(rng, session.title),
                visibility=Visibility.PRIVATE if number % 4 == 3 else Visibility.PUBLIC,
                base_version=0,
            )
    add_photos(users[0], featured)
    writeup = writeup_services.save_writeup(
        author=users[0], conference=conference, title=f"{conference.name}: what I saw",
        summary="The talks I went to.", intro="Three days of talks, notes below.",
        closing="See you next year.", cover_photo=None,
    )  # fmt: skip
    writeup_services.publish(writeup=writeup)
    return featured, users[0]


def note_body(rng, title):
    points = rng.sample(
        ["Slides will be online.", "Good demo, worked the first time.", "Q&A ran over.",
         "Mentioned **three** tools I want to try.", "Read the paper again later.",
         "The hall was full; people on the stairs.", "Speaker recommended `strace -f`."],
        4,
    )  # fmt: skip
    return f"## {title}\n\n" + "\n".join(f"- {point}" for point in points) + "\n"


def add_photos(owner, session):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from notes.models import Visibility
    from notes.photos.services import add_photo

    for number in range(PHOTOS):
        buffer = io.BytesIO()
        Image.new("RGB", (1600, 1200), (40 * number, 90, 160)).save(buffer, "JPEG", quality=80)
        upload = SimpleUploadedFile(f"slide-{number}.jpg", buffer.getvalue(), "image/jpeg")
        add_photo(
            owner=owner, session=session, upload=upload, caption=f"Slide {number + 1}",
            visibility=Visibility.PUBLIC,
        )  # fmt: skip


def public_pages(conference, session, writer):
    """(name, path) of each kind of public page of the conference."""
    from django.db.models import Count
    from django.urls import reverse

    speaker = conference.speakers.annotate(n=Count("sessions")).order_by("-n", "pk").first()
    word = next((w for w in session.title.split() if len(w) > 3), session.title.split()[0])
    slug = conference.slug
    return [
        ("home", "/"),
        ("conference", conference.get_absolute_url()),
        ("busiest day", busiest_day(conference).get_absolute_url()),
        ("session", session.get_absolute_url()),
        ("speakers", reverse("public:speakers", args=[slug])),
        ("speaker", speaker.get_absolute_url()),
        ("write-up", reverse("public:writeup", args=[slug, writer.username])),
        ("schedule.xml", reverse("public:schedule_xml", args=[slug])),
        ("schedule.json", reverse("public:schedule_json", args=[slug])),
        ("schedule.ics", reverse("public:schedule_ics", args=[slug])),
        ("search", reverse("public:search") + "?" + urlencode({"q": word, "conference": slug})),
        ("sitemap", "/sitemap.xml"),
    ]
