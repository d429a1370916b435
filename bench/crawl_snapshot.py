"""Snapshot every page a crawl reaches, to compare a refactor's output before and after.

    uv run python bench/crawl_snapshot.py build var/snapshot.sqlite3
    uv run python bench/crawl_snapshot.py crawl var/snapshot.sqlite3 var/before
    … change the code …
    uv run python bench/crawl_snapshot.py crawl var/snapshot.sqlite3 var/after
    diff -r var/before var/after

`build` makes one database (the demo and 36C3); `crawl` copies it and crawls the copy, so both
crawls read the same rows and stamps. Each document is written with its headers; what differs
on every request (CSP nonces, CSRF tokens, Date, ETags that carry the release fingerprint) is
masked, and the lengths that follow from them. The crawl runs twice: anonymous, and signed in as the demo account.
"""

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEDULE = ROOT.parent / "shared" / "data" / "schedules" / "36c3_merged.xml"
MASKS = [
    (re.compile(r"nonce-[A-Za-z0-9+/=_-]+"), "nonce-*"),
    (re.compile(r'nonce="[^"]*"'), 'nonce="*"'),
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1*"),
    (re.compile(r'(name="csrf-token" content=")[^"]*'), r"\1*"),
    (re.compile(r"^(Date|Expires|ETag|Set-Cookie|Content-Length): .*$", re.M), r"\1: *"),
    # "changed 3 minutes ago" on /me/ depends on when the crawl runs.
    (re.compile(r"changed [^<\n]* ago"), "changed * ago"),
    (re.compile(r'W/"[0-9a-f]{6,}[^"]*"'), 'W/"*"'),
]


def setup(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        SECRET_KEY="crawl-snapshot-" + "x" * 50,
    )
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    # Static files from the finders, as in the tests: there is no collectstatic output here.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def build(database: Path) -> None:
    database.unlink(missing_ok=True)
    setup(database)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ops.demo import build_demo

    build_demo()
    call_command("import_schedule", str(SCHEDULE), verbosity=0)


def crawl(database: Path, out: Path) -> None:
    copy = Path(tempfile.mkdtemp()) / "crawl.sqlite3"
    shutil.copy(database, copy)
    setup(copy)
    from django.test import Client

    from tests.support.crawl import crawl as run_crawl

    shutil.rmtree(out, ignore_errors=True)
    seeds = ["/", "/36c3/", "/me/", "/me/writeups/", "/search/?q=rust", "/sitemap.xml"]
    from django.contrib.auth import get_user_model

    signed_in = Client()
    signed_in.force_login(get_user_model().objects.get(username="demo"))
    for persona, client in (("anonymous", Client()), ("demo", signed_in)):
        found = run_crawl(client, seeds, limit=20000)
        for url, document in found.documents.items():
            name = re.sub(r"[^\w.-]+", "_", url.strip("/")) or "index"
            target = out / persona / name[:200]
            target.parent.mkdir(parents=True, exist_ok=True)
            text = f"{document.status} {document.content_type}\n"
            for where, body in document.texts:
                text += f"--- {where}\n{body}\n"
            for pattern, replacement in MASKS:
                text = pattern.sub(replacement, text)
            target.write_text(text)
        print(f"{persona}: {len(found.documents)} documents")


if __name__ == "__main__":
    command, database, *rest = sys.argv[1:]
    if command == "build":
        build(Path(database).resolve())
    else:
        crawl(Path(database).resolve(), Path(rest[0]).resolve())
