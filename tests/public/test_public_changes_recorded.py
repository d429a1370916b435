"""The changes as the importer records them (sessions/recording.py), read by the public pages and
My hugi: DebConf 23's real schedule imported, edited the way a programme committee does, and
imported again."""

from io import StringIO

import pytest
from django.core.management import call_command

from notes.models import Star
from sessions.models import Session
from tests.public.test_public_changes import items
from tests.sessions.frab_edits import FrabFile
from tests.support.paths import SCHEDULES
from tests.support.public_programme import by_class, page, texts

pytestmark = pytest.mark.django_db
DEBCONF = SCHEDULES / "debconf23.xml"


def import_file(path):
    call_command("import_schedule", str(path), stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def edited(tmp_path, owner):
    import_file(DEBCONF)
    why = Session.objects.get(title="Why Debian")
    Star.objects.create(user=owner, session=why)
    Star.objects.filter(user=owner).update(created_at=why.conference.versions.get().created_at)
    schedule = FrabFile(DEBCONF)
    schedule.move("Why Debian", minutes=60)
    schedule.retitle("Map Kerala Iniative", "Map Kerala Initiative")
    schedule.drop("Opening Ceremony")
    path = tmp_path / "debconf23.xml"
    path.write_bytes(schedule.bytes())
    import_file(path)
    return why.conference


def test_the_recorded_version_reads_on_the_changes_page(client, edited):
    response = client.get(f"/{edited.slug}/changes/")
    assert texts(response, "//section[contains(@class, 'version')]/header/h2") == [
        "Version 2",
        "Version 1",
    ]
    assert texts(response, by_class("version-counts")) == ["1 cancelled · 1 moved · 1 retitled"]
    assert texts(response, by_class("change-day")) == ["September 10 (Sun)"]
    assert items(response) == [
        ("10:30", "Opening Ceremony", ["Cancelled"], []),
        ("12:30", "Why Debian", ["Moved"], ["Time: 11:30–12:15 → 12:30–13:15"]),
        ("17:00", "Map Kerala Initiative", ["Retitled"], ["Title: Map Kerala Iniative → Map Kerala Initiative"]),
    ]  # fmt: skip


def test_the_timeline_and_the_session_page_mark_it(client, edited):
    why = Session.objects.get(title="Why Debian")
    day = client.get(f"/{edited.slug}/schedule/2023-09-10/")
    box = page(day).xpath(f"//article[@id='s{why.pk}']")[0]
    assert [tag.text_content() for tag in box.xpath(f".{by_class('tag-change')}")] == ["Moved"]
    session = client.get(why.get_absolute_url())
    assert texts(session, by_class("was")) == ["Was 11:30–12:15."]


def test_my_hugi_tells_me_my_starred_talk_moved(owner_client, edited):
    response = owner_client.get("/me/")
    change = page(response).xpath(f"{by_class('changed-stars')}{by_class('change')}")
    assert [" ".join(c.text_content().split()) for c in change] == [
        "Why Debian Moved September 10 (Sun) 12:30–13:15 · Kuthiran "
        "Time was 11:30–12:15 → now 12:30–13:15"
    ]
