"""Search latency on a 36C3-sized programme, a Korean conference and 5,000 notes.

    uv run python bench/search.py                                  # SQLite, a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1/hugi_x uv run python bench/search.py

On PostgreSQL it works in a throw-away test_<name> database, never in the one named. Not a test:
it prints the median time of a few representative searches, both the queries alone (counts and
first pages of the three groups, as public/search.py runs them) and the whole /search/ page,
and writes them to bench/results/search.json under the database's name.
"""

import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEDULE = ROOT.parent / "shared" / "data" / "schedules" / "36c3_merged.xml"
RESULTS = ROOT / "bench" / "results" / "search.json"
NOTES = 5000
NOTE_AUTHORS = 5
RUNS = 9

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_scratch = tempfile.TemporaryDirectory(prefix="hugi-bench-search-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_scratch.name}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils.html import escape  # noqa: E402

from notes.models import Note  # noqa: E402
from public.views.search import PAGE_SIZE  # noqa: E402
from sessions import search  # noqa: E402
from sessions.models import (  # noqa: E402
    Conference,
    Day,
    Room,
    Session,
    SessionSpeaker,
    Speaker,
    Track,
)

# (label, query, conference slug or "")
QUERIES = [
    ("English word", "security", ""),
    ("English words", "open source", ""),
    ("English word, one conference", "security", "36c3"),
    ("Korean word", "파이썬", ""),
    ("Korean name", "박해선", ""),
    ("typo", "securty", ""),
    ("speaker name", "Mario Behling", ""),
    ("nothing found", "qwxzv", ""),
]

KOREAN_TOPICS = [
    "파이썬", "쿠버네티스", "Kubeflow", "Django", "FastAPI", "데이터 파이프라인", "머신러닝",
    "타입 힌트", "비동기 프로그래밍", "테스트 자동화", "LLM", "추천 시스템", "오픈소스",
]  # fmt: skip
KOREAN_PATTERNS = [
    "{0}로 만드는 {1}", "{0}와 {1}: 실전 경험", "{0} 입문", "{0}에서 {1}까지", "우리 팀의 {0} 도입기",
    "{0} 성능 최적화", "{0}을 이용한 {1} 구축",
]  # fmt: skip
KOREAN_SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
KOREAN_GIVEN = ["해선", "민준", "서연", "지호", "하은", "도윤", "수아", "예준", "지우", "현우"]
NOTE_SENTENCES = [
    "발표자가 {0} 예제를 라이브로 보여줌.", "{0} 관련 질문이 많았다.", "Slides mention {0} twice.",
    "다음에 {0} 문서 다시 읽어보기.", "Good demo of {0} in production.", "{0} 버전 차이에 주의.",
]  # fmt: skip
NOTE_WORDS = [*KOREAN_TOPICS, "security", "privacy", "hardware", "climate", "open source"]


def prepare_database():
    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
    else:
        connection.creation.create_test_db(verbosity=0, autoclobber=True)


def drop_database():
    if connection.vendor != "sqlite":
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def import_36c3():
    # Quietly: 36C3 reuses three guids, which the importer warns about.
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("import_schedule", str(SCHEDULE), "--conference", "36c3", **quiet)
    return Conference.objects.get(slug="36c3")


def make_korean_conference(rng, sessions=150, speakers=100):
    conference = Conference.objects.create(
        name="PyCon Korea 2025", slug="pycon-kr-2025", timezone="Asia/Seoul",
        start_date=date(2025, 8, 15), end_date=date(2025, 8, 16),
    )  # fmt: skip
    days = [
        Day.objects.create(conference=conference, date=date(2025, 8, 15 + i), index=i + 1)
        for i in range(2)
    ]
    rooms = [
        Room.objects.create(conference=conference, name=f"{n}01호", slug=f"room-{n}", order=n)
        for n in range(1, 5)
    ]
    tracks = [
        Track.objects.create(conference=conference, name=name, slug=f"track-{i}")
        for i, name in enumerate(["웹", "데이터", "커뮤니티"])
    ]
    people = Speaker.objects.bulk_create(
        Speaker(
            conference=conference,
            name="박해선" if i == 0 else rng.choice(KOREAN_SURNAMES) + rng.choice(KOREAN_GIVEN),
            slug=f"speaker-{i}",
            affiliation=rng.choice(["", "카카오", "네이버", "당근", "Microsoft MVP"]),
            bio=f"{rng.choice(KOREAN_TOPICS)}를 좋아하는 개발자입니다.",
        )
        for i in range(speakers)
    )
    rows = []
    for i in range(sessions):
        first, second = rng.sample(KOREAN_TOPICS, 2)
        day = days[i % 2]
        starts = datetime.combine(day.date, datetime.min.time(), tzinfo=UTC) + timedelta(
            hours=1 + (i // 8) % 8
        )
        abstract = (
            f"이 발표에서는 {first}와 {second}를 실제 서비스에 적용한 경험을 나눕니다. "
            f"{rng.choice(KOREAN_TOPICS)}에 관심 있는 분들께 추천합니다."
        )
        rows.append(
            Session(
                conference=conference, day=day, room=rooms[i % 4], track=rng.choice(tracks),
                title=rng.choice(KOREAN_PATTERNS).format(first, second), slug=f"session-{i}",
                abstract=abstract, abstract_html=f"<p>{escape(abstract)}</p>",
                starts_at=starts, ends_at=starts + timedelta(minutes=40),
            )
        )  # fmt: skip
    created = Session.objects.bulk_create(rows)
    SessionSpeaker.objects.bulk_create(
        SessionSpeaker(session=session, speaker=people[i % speakers])
        for i, session in enumerate(created)
    )
    return conference


def make_notes(rng):
    """NOTES notes by NOTE_AUTHORS people, each on different sessions; returns the first author."""
    session_ids = list(Session.objects.values_list("pk", flat=True))
    per_author = NOTES // NOTE_AUTHORS
    authors = [
        get_user_model().objects.create_user(f"bench{n}", password="bench-password-not-secret")
        for n in range(NOTE_AUTHORS)
    ]
    notes = []
    for author in authors:
        for session_id in rng.sample(session_ids, per_author):
            body = " ".join(
                rng.choice(NOTE_SENTENCES).format(rng.choice(NOTE_WORDS))
                for _ in range(rng.randint(3, 12))
            )
            notes.append(
                Note(
                    author=author, session_id=session_id, body=body,
                    body_html=f"<p>{escape(body)}</p>",
                    visibility=rng.choice(["private", "private", "public"]),
                )
            )  # fmt: skip
    Note.objects.bulk_create(notes, batch_size=1000)
    return authors[0]


def timed(action, runs=RUNS):
    """Median and best time of action in ms. The best shows the cost without the noise of a
    busy machine; the median is what a visitor would typically wait."""
    action()  # warm up: connection, caches, the query plan
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1), round(min(timings), 1)


def pair(timing):
    median, best = timing
    return f"{median:.1f} / {best:.1f}"


def run_queries(query, conference, user):
    """What the results page asks of the database: per group a count and a first page."""
    groups = [
        search.search_sessions(query, conference=conference),
        search.search_speakers(query, conference=conference),
        search.search_notes(query, user=user, conference=conference),
    ]
    counts = [group.count() for group in groups]
    for group in groups:
        list(group[:PAGE_SIZE])
    return counts


def main():
    rng = random.Random(36)
    prepare_database()
    try:
        started = time.perf_counter()
        import_36c3()
        make_korean_conference(rng)
        user = make_notes(rng)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would soon after an import
        setup_seconds = time.perf_counter() - started
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)

        sizes = {
            "conferences": Conference.objects.count(),
            "sessions": Session.objects.count(),
            "speakers": Speaker.objects.count(),
            "notes": Note.objects.count(),
            "notes of the searching user": Note.objects.filter(author=user).count(),
        }
        load = os.getloadavg()[0]
        print(f"{connection.vendor}: {sizes} (set up in {setup_seconds:.1f} s, load {load:.1f})")
        print(f"{'median / best ms':30} {'query':>14} {'queries':>13} {'page':>13}  found")
        rows = []
        for label, query, slug in QUERIES:
            conference = Conference.objects.get(slug=slug) if slug else None
            counts = run_queries(query, conference, user)
            queries_ms = timed(lambda q=query, c=conference: run_queries(q, c, user))
            params = {"q": query, **({"conference": slug} if slug else {})}
            page_ms = timed(lambda p=params: client.get("/search/", p))
            found = dict(zip(["sessions", "speakers", "notes"], counts, strict=True))
            print(f"{label:30} {query:>14} {pair(queries_ms):>13} {pair(page_ms):>13}  {found}")
            rows.append(
                {
                    "label": label, "query": query, "conference": slug,
                    "queries_median_ms": queries_ms[0], "queries_best_ms": queries_ms[1],
                    "page_median_ms": page_ms[0], "page_best_ms": page_ms[1], "found": found,
                }
            )  # fmt: skip

        results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        with connection.cursor() as cursor:
            cursor.execute(
                "select sqlite_version()"
                if connection.vendor == "sqlite"
                else "show server_version"
            )
            version = cursor.fetchone()[0]
        results[connection.vendor] = {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database_version": version,
            "runs": RUNS,
            "load_average": round(load, 2),
            "data": sizes,
            "queries": rows,
        }
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        print(f"Written to {RESULTS.relative_to(ROOT)}")
    finally:
        drop_database()


if __name__ == "__main__":
    # The page is rendered as in development: no collectstatic manifest needed.
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        main()
