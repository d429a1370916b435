"""Round trip: import a real file, export it, import the export into a new conference: the same
days, rooms, tracks, sessions, times and speakers."""

import pytest

from sessions.importers import parse_schedule, plan_import
from sessions.models import Conference
from tests.support.paths import SCHEDULES

pytestmark = pytest.mark.django_db

FIXTURES = SCHEDULES


def programme(conference, *, bios=True):
    """What a round trip must keep, without database ids (frab XML has no biographies)."""
    return {
        "timezone": conference.timezone,
        "dates": (conference.start_date, conference.end_date),
        "days": list(conference.days.order_by("date").values_list("date", "index")),
        "rooms": list(conference.rooms.order_by("order").values_list("name", flat=True)),
        "tracks": sorted(conference.tracks.values_list("name", "color")),
        "speakers": sorted(conference.speakers.values_list("name", "bio" if bios else "name")),
        "sessions": sorted(
            (
                s.title,
                s.subtitle,
                s.kind,
                s.language,
                s.starts_at,
                s.ends_at,
                s.day.date,
                s.room.name if s.room else "",
                s.track.name if s.track else "",
                tuple(speaker.name for speaker in s.ordered_speakers),
                s.abstract,
                s.description,
                s.do_not_record,
                s.website_url,
                s.slides_url,
                str(s.links),
            )
            for s in conference.sessions.with_related()
        ),
    }


@pytest.mark.parametrize("name", ["debconf23.xml", "pretalx-democon.json"])
@pytest.mark.parametrize("export", ["xml", "json"])
def test_export_imports_back_into_a_new_conference_unchanged(client, name, export):
    original = plan_import(parse_schedule((FIXTURES / name).read_bytes(), name)).apply().conference

    response = client.get(f"/{original.slug}/schedule.{export}")
    plan_import(parse_schedule(response.content, f"export.{export}"), slug="copy").apply()

    bios = export == "json"
    copy = Conference.objects.get(slug="copy")
    assert programme(copy, bios=bios) == programme(original, bios=bios)


def test_export_imported_again_into_its_copy_changes_nothing(client):
    plan_import(parse_schedule((FIXTURES / "debconf23.xml").read_bytes(), "debconf23.xml")).apply()
    exported = client.get("/debconf23/schedule.json").content
    plan_import(parse_schedule(exported, "export.json"), slug="copy").apply()

    assert plan_import(parse_schedule(exported, "export.json"), slug="copy").changes == []
