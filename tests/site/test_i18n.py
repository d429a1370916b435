"""The Korean catalogue: complete, up to date with the source, compiled, and used by the pages.

The catalogue is read with a small standard-library parser (no polib), so these tests need
gettext's tools only for the one that regenerates the catalogue from the source.
"""

import ast
import gettext
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.public_programme import build_programme, page

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
KO_PO = LOCALE / "ko" / "LC_MESSAGES" / "django.po"
KO_MO = LOCALE / "ko" / "LC_MESSAGES" / "django.mo"

# What `makemessages` skips, besides hidden folders (the command the catalogue is made with).
NOT_SOURCE = {"locale", "var", "bench", "tests", "docs", "static", "node_modules"}


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file, header first; obsolete (#~) entries are left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        field = None
        lines = block.splitlines()
        if all(line.startswith("#~") or not line.strip() for line in lines):
            continue
        for line in lines:
            if line.startswith("#,"):
                entry["flags"] = {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                value = ast.literal_eval(line)
                if field[0] == "msgstr":
                    entry["msgstr"][field[1]] += value
                else:
                    entry[field[0]] += value
            else:
                keyword, _, literal = line.partition(" ")
                value = ast.literal_eval(literal)
                if keyword.startswith("msgstr"):
                    index = int(keyword[7:-1]) if "[" in keyword else None
                    field = ("msgstr", index)
                    entry["msgstr"][index] = value
                else:
                    field = (keyword, None)
                    entry[keyword] = value
        entries.append(entry)
    return entries


def messages(entries: list[dict]) -> list[dict]:
    return [entry for entry in entries if entry["msgid"]]


def header(entries: list[dict]) -> dict:
    text = next(entry for entry in entries if entry["msgid"] == "")["msgstr"][None]
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


def untranslated(entries: list[dict]) -> list[str]:
    return [
        entry["msgid"]
        for entry in messages(entries)
        if "fuzzy" in entry["flags"] or not all(entry["msgstr"].values())
    ]


PLACEHOLDER = re.compile(
    r"%%|%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%[sdifr]|\{[A-Za-z_]\w*\}|</?[A-Za-z][^>]*>"
)


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def test_korean_catalogue_header_names_the_language_and_its_one_plural_form():
    fields = header(read_po(KO_PO))
    assert fields["Language"] == "ko"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == "nplurals=1; plural=0;"


def test_every_korean_message_is_translated_and_none_is_fuzzy():
    entries = read_po(KO_PO)
    assert len(messages(entries)) > 400
    assert untranslated(entries) == []


def test_korean_translations_keep_every_placeholder_and_tag():
    wrong = []
    for entry in messages(read_po(KO_PO)):
        # Korean has one plural form: msgstr[0] is used for every count, so it carries the
        # placeholders of the plural (the singular may leave the count out).
        source = entry["msgid_plural"] if entry["msgid_plural"] is not None else entry["msgid"]
        for translation in entry["msgstr"].values():
            if placeholders(translation) != placeholders(source):
                wrong.append((entry["msgid"], translation))
    assert wrong == []


def test_compiled_korean_catalogue_holds_exactly_what_the_po_says():
    """The committed .mo (a new machine may lack gettext) is compiled from the current .po."""
    with KO_MO.open("rb") as file:
        compiled = gettext.GNUTranslations(file)._catalog
    compiled.pop("")  # the header: msgfmt leaves some of its fields out
    expected = {}
    for entry in messages(read_po(KO_PO)):
        msgid = entry["msgid"]
        if entry["msgctxt"] is not None:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if entry["msgid_plural"] is None:
            expected[msgid] = entry["msgstr"][None]
        else:
            for index, text in entry["msgstr"].items():
                expected[(msgid, index)] = text
    assert compiled == expected


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_korean_catalogue_has_every_string_marked_in_the_source(tmp_path):
    """makemessages over a copy of the source finds nothing the catalogue lacks.

    A copy, so that the real locale/ is never rewritten by a test run. When this fails:
    `manage.py makemessages -l ko --ignore=.venv --ignore=var --ignore=bench --ignore=tests`,
    translate the new entries, `manage.py compilemessages --ignore=.venv`, commit locale/.
    """
    base = Path(settings.BASE_DIR)
    for item in base.iterdir():
        if item.name.startswith(".") or item.name in NOT_SOURCE:
            continue
        if item.is_dir():
            shutil.copytree(
                item, tmp_path / item.name, ignore=shutil.ignore_patterns("__pycache__")
            )
        elif item.suffix == ".py":
            shutil.copy(item, tmp_path / item.name)
    copy = tmp_path / "locale" / "ko" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(KO_PO, copy)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ko", "--ignore=.venv"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert untranslated(read_po(copy)) == []


def test_home_page_in_korean_for_a_korean_browser(client):
    build_programme(1)
    doc = page(client.get("/", HTTP_ACCEPT_LANGUAGE="ko"))
    assert doc.xpath("/html/@lang") == ["ko"]
    assert doc.xpath("//nav//a[starts-with(@href, '/accounts/login/')]/text()") == ["로그인"]
    assert doc.xpath("//a[@class='skip-link']/text()") == ["본문으로 건너뛰기"]
    assert doc.xpath("//input[@type='search']/@placeholder") == ["검색"]
    assert [" ".join(h.text_content().split()) for h in doc.xpath("//main//h1")] == ["컨퍼런스"]


def test_conference_page_in_korean_names_its_days_and_timeline(client):
    build_programme(1)
    doc = page(client.get("/pycon-kr/", HTTP_ACCEPT_LANGUAGE="ko"))
    assert doc.xpath("//h2[@id='timeline-title']/text()") == ["시간표"]
    assert doc.xpath("//*[@role='region']/@aria-label") == ["시간표: 가로는 발표장, 세로는 시간"]


def test_signed_in_navigation_in_korean(owner_client):
    doc = page(owner_client.get("/", HTTP_ACCEPT_LANGUAGE="ko"))
    assert doc.xpath("//nav//a[@href='/me/']/text()") == ["내 hugi"]
    assert doc.xpath("//nav//form[@action='/accounts/logout/']//button/text()") == ["로그아웃"]


def test_english_stays_the_source_language(client):
    build_programme(1)
    doc = page(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert doc.xpath("/html/@lang") == ["en"]
    assert doc.xpath("//nav//a[starts-with(@href, '/accounts/login/')]/text()") == ["Sign in"]
