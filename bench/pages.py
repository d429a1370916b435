"""Server time and query count of the public pages for a 36C3-sized conference.

    uv run python bench/pages.py [--requests N]

A script, not a test. It uses its own throwaway SQLite database, fills it with the 36th Chaos
Communication Congress (read straight from ../shared/data/schedules/36c3_merged.xml when it is
there: 4 days, up to 78 rooms and 445 sessions a day, 1351 sessions; generated to the same
shape otherwise), tops the speakers up to about a thousand, then requests each page N times
with django.test.Client and prints the median and 95th percentile server time and the number of
queries. The conference and day pages share a cached rendering of the timeline among anonymous
visitors; their "not cached" rows empty the cache before every request. Results also go to
bench/results/pages.json.
"""

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET  # our own trusted data file
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "schedules" / "36c3_merged.xml"
RESULTS = ROOT / "bench" / "results" / "pages.json"
SPEAKER_TARGET = 1000


def configure(database=None):
    """Production-like settings on a throwaway database, before Django starts."""
    database = database or Path(tempfile.mkdtemp(prefix="hugi-bench-pages-")) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # No collectstatic here: serve {% static %} names without the manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return database


def duration(text):
    parts = [int(p) for p in text.split(":")]
    hours, minutes = parts[0], parts[1]
    return timedelta(hours=hours, minutes=minutes)


def read_36c3():
    """[(day date, [(room, start, end, title, subtitle, track, kind, language, abstract,
    [person names])])] from the real file, or generated in its shape."""
    if not DATA.exists():
        return generate_36c3()
    days = []
    for day in ET.parse(DATA).getroot().iter("day"):
        events = []
        for room in day.iter("room"):
            for event in room.iter("event"):
                start = datetime.fromisoformat(event.findtext("date"))
                events.append(
                    (
                        room.get("name"),
                        start,
                        start + max(duration(event.findtext("duration")), timedelta(minutes=5)),
                        event.findtext("title") or "Untitled",
                        event.findtext("subtitle") or "",
                        event.findtext("track") or "",
                        event.findtext("type") or "",
                        event.findtext("language") or "",
                        event.findtext("abstract") or "",
                        [p.text for p in event.iter("person") if p.text],
                    )
                )
        days.append((date.fromisoformat(day.get("date")), events))
    return days


def generate_36c3():
    rng = random.Random(36)
    days = []
    for index, (rooms, count) in enumerate([(56, 297), (70, 432), (78, 445), (54, 177)]):
        day = date(2019, 12, 27) + timedelta(days=index)
        events = []
        for number in range(count):
            room = f"Room {number % rooms + 1}"
            start = datetime.fromisoformat(f"{day}T11:00:00+01:00") + timedelta(
                minutes=rng.randrange(0, 16 * 60, 5)
            )
            length = timedelta(minutes=rng.choice([5, 15, 30, 40, 60, 60, 90, 120]))
            events.append(
                (room, start, start + length, f"Talk {index}-{number}", "", f"Track {number % 25}",
                 "lecture", rng.choice(["en", "de"]), "An abstract.", [f"Person {number}"])
            )  # fmt: skip
        days.append((day, events))
    return days


def fill():
    from django.utils.text import slugify

    from notes.markdown import render_markdown
    from sessions.models import Conference, Day, Room, Session, SessionSpeaker, Speaker, Track

    schedule = read_36c3()
    conference = Conference.objects.create(
        name="36th Chaos Communication Congress", slug="36c3", acronym="36c3",
        timezone="Europe/Berlin", start_date=schedule[0][0], end_date=schedule[-1][0],
        venue="CCH", city="Leipzig",
    )  # fmt: skip
    days = {
        on: Day.objects.create(conference=conference, date=on, index=number, label="")
        for number, (on, _events) in enumerate(schedule, start=1)
    }
    # Rooms in the order the file lists them: the big halls first.
    room_names = list(dict.fromkeys(event[0] for _on, events in schedule for event in events))
    rooms = {
        name: Room.objects.create(conference=conference, name=name, slug=f"r{n}", order=n)
        for n, name in enumerate(room_names)
    }
    palette = ["#7c3aed", "#0284c7", "#059669", "#d97706", "#db2777", "#4b5563", "#b91c1c"]
    track_names = sorted({event[5] for _on, events in schedule for event in events} - {""})
    tracks = {
        name: Track.objects.create(
            conference=conference, name=name, slug=f"t{n}", color=palette[n % len(palette)], order=n
        )
        for n, name in enumerate(track_names)
    }
    people = sorted({p for _on, events in schedule for event in events for p in event[9]})
    people += [f"Guest Speaker {n}" for n in range(max(0, SPEAKER_TARGET - len(people)))]
    speakers = Speaker.objects.bulk_create(
        Speaker(
            conference=conference,
            name=name,
            slug=f"{slugify(name)[:80] or 'p'}-{n}",
            bio_html=render_markdown(f"About **{name}**."),
        )
        for n, name in enumerate(people)
    )
    by_name = {speaker.name: speaker for speaker in speakers}
    guests = iter(speaker for speaker in speakers if speaker.name.startswith("Guest Speaker"))
    kinds = {"lecture": Session.Kind.TALK, "workshop": Session.Kind.WORKSHOP,
             "lightning_talk": Session.Kind.LIGHTNING}  # fmt: skip
    sessions, names = [], []
    for number, (on, events) in enumerate(schedule):
        for index, event in enumerate(events):
            room, start, end, title, subtitle, track, kind, language, abstract, persons = event
            sessions.append(
                Session(
                    conference=conference,
                    day=days[on],
                    room=rooms[room],
                    track=tracks.get(track),
                    kind=kinds.get(kind, Session.Kind.OTHER),
                    title=title[:300],
                    subtitle=subtitle[:300],
                    slug=f"e{number}-{index}",
                    language=language[:20],
                    starts_at=start,
                    ends_at=end,
                    abstract=abstract,
                    abstract_html=render_markdown(abstract),
                )
            )
            if not persons:
                guest = next(guests, None)
                persons = [guest.name] if guest else []
            names.append(persons)
    sessions = Session.objects.bulk_create(sessions)
    SessionSpeaker.objects.bulk_create(
        SessionSpeaker(session=session, speaker=by_name[name], order=order)
        for session, persons in zip(sessions, names, strict=True)
        for order, name in enumerate(dict.fromkeys(persons))
    )
    return conference


def measure(client, path, requests, cold=False, **headers):
    """cold: empty the cache before each request, so every one renders the page afresh."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm up: template loading, URL resolver
        response = client.get(path, **headers)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    query_count = len(queries)  # now: the next request clears the log it reads from
    assert response.status_code in (200, 304), (path, response.status_code)
    wall, cpu = [], []
    for _ in range(requests):
        if cold:
            cache.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(path, **headers)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "path": path,
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": query_count,
        # Wall time is what a visitor waits for; CPU time is the same work without the waits
        # for a core on a busy machine (this process runs on one core either way).
        "median_ms": round(statistics.median(wall), 2),
        "p95_ms": round(percentile(wall, 0.95), 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "cpu_p95_ms": round(percentile(cpu, 0.95), 2),
    }


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--database", type=Path, help="reuse this SQLite file from an earlier run (kept)"
    )
    args = parser.parse_args()
    reuse = args.database is not None and args.database.exists()
    database = configure(args.database)
    started = time.perf_counter()
    if reuse:
        from sessions.models import Conference

        conference = Conference.objects.get(slug="36c3")
    else:
        conference = fill()

    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from notes.models import Star
    from sessions.models import Day, Session, Speaker

    built = time.perf_counter() - started
    busiest = Day.objects.annotate(n=Count("sessions")).order_by("-n").first()
    print(
        f"36C3: {Session.objects.count()} sessions, {Speaker.objects.count()} speakers, "
        f"{conference.rooms.count()} rooms; busiest day {busiest.date} with {busiest.n} sessions "
        f"in {busiest.sessions.values('room').distinct().count()} rooms (built in {built:.1f} s)"
    )
    session = Session.objects.filter(day=busiest).order_by("starts_at")[200]
    speaker = Speaker.objects.annotate(n=Count("sessions")).order_by("-n", "pk").first()
    anonymous = Client()
    pages = [
        ("home", "/"),
        ("conference", conference.get_absolute_url()),
        ("busiest day", busiest.get_absolute_url()),
        *[(f"day {day.index}", day.get_absolute_url()) for day in conference.days.exclude(pk=busiest.pk)],
        ("session", session.get_absolute_url()),
        ("speakers", f"/{conference.slug}/speakers/"),
        ("speaker", speaker.get_absolute_url()),
        ("sitemap", "/sitemap.xml"),
    ]  # fmt: skip
    results = []
    for name, path in pages:
        results.append({"page": name, **measure(anonymous, path, args.requests)})
        if name in ("conference", "busiest day"):
            cold = measure(anonymous, path, args.requests, cold=True)
            results.append({"page": f"{name}, not cached", **cold})
    etag = anonymous.get(busiest.get_absolute_url())["ETag"]
    results.append(
        {
            "page": "busiest day, 304",
            **measure(
                anonymous, busiest.get_absolute_url(), args.requests, HTTP_IF_NONE_MATCH=etag
            ),
        }
    )
    user, _created = get_user_model().objects.get_or_create(username="bench")
    Star.objects.bulk_create(
        (Star(user=user, session=s) for s in Session.objects.filter(day=busiest)[:40]),
        ignore_conflicts=True,
    )
    signed_in = Client()
    signed_in.force_login(user)
    results.append(
        {
            "page": "busiest day, signed in",
            **measure(signed_in, busiest.get_absolute_url(), args.requests),
        }
    )

    print(f"\n{'':<24} {'wall time ms':>16} {'CPU time ms':>16}")
    print(f"{'page':<24} {'median':>8}{'p95':>8} {'median':>8}{'p95':>8} {'queries':>8} {'KB':>6}")
    for row in results:
        print(
            f"{row['page']:<24} {row['median_ms']:>8.1f}{row['p95_ms']:>8.1f} "
            f"{row['cpu_median_ms']:>8.1f}{row['cpu_p95_ms']:>8.1f} "
            f"{row['queries']:>8} {row['bytes'] / 1024:>6.0f}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "data": "36c3_merged.xml" if DATA.exists() else "generated in its shape",
                "sessions": Session.objects.count(),
                "speakers": Speaker.objects.count(),
                "busiest_day": {"date": busiest.date.isoformat(), "sessions": busiest.n},
                "requests_per_page": args.requests,
                "load_average": os.getloadavg(),
                "python": sys.version.split()[0],
                "pages": results,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}; database {database} (throwaway)")


if __name__ == "__main__":
    main()
