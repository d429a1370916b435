"""One conference at a time in the session admin, with two conferences loaded (the demo, and
DebConf 23 imported from its frab XML): each session form and the speaker autocomplete offer only
the session's conference's days, rooms, tracks and speakers."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from lxml import html as lxml_html

from ops.demo import build_demo
from sessions.models import Conference, Session, Speaker
from tests.support.paths import SCHEDULES

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(db):
    build_demo()
    call_command("import_schedule", str(SCHEDULES / "debconf23.xml"), stdout=StringIO())
    demo = Conference.objects.get(slug="pyconkr-2025")
    debconf = Conference.objects.get(slug="debconf23")
    return demo, debconf


def options(response, name):
    """{value: label} of the <select name=…> on the page, without the empty choice."""
    tree = lxml_html.fromstring(response.text)
    (select,) = tree.xpath(f"//select[@name='{name}']")
    return {o.get("value"): o.text_content() for o in select.xpath("option") if o.get("value")}


def ids(queryset):
    return {str(pk) for pk in queryset.values_list("pk", flat=True)}


@pytest.mark.parametrize("slug", ["pyconkr-2025", "debconf23"])
def test_a_session_form_offers_only_its_conference(two, staff, slug):
    conference = Conference.objects.get(slug=slug)
    session = conference.sessions.exclude(room=None).exclude(track=None).first()
    response = staff.get(f"/admin/program/session/{session.pk}/change/")
    assert response.status_code == 200
    assert set(options(response, "day")) == ids(conference.days)
    assert set(options(response, "room")) == ids(conference.rooms)
    assert set(options(response, "track")) == ids(conference.tracks)
    # The speaker rows' autocomplete asks for this conference's speakers only.
    assert f'data-ajax--url="/admin/autocomplete/?conference={conference.pk}"' in response.text


def test_day_labels_carry_their_date(two, staff):
    demo, debconf = two
    response = staff.get("/admin/program/session/add/", {"conference": demo.pk})
    assert sorted(options(response, "day").values()) == ["Day 1 · Fri 15 Aug", "Day 2 · Sat 16 Aug"]
    response = staff.get("/admin/program/session/add/", {"conference": debconf.pk})
    labels = list(options(response, "day").values())
    assert labels[0] == "Day 1 · Sun 10 Sep"
    assert len(labels) == debconf.days.count()


def test_adding_a_session_asks_for_the_conference_first(two, staff):
    response = staff.get("/admin/program/session/add/")
    assert response.status_code == 200
    tree = lxml_html.fromstring(response.text)
    links = {
        a.text_content(): a.get("href") for a in tree.xpath("//ul[@class='hugi-choose-list']//a")
    }
    assert links == {
        "PyCon Korea 2025": f"?conference={two[0].pk}",
        "DebConf 23": f"?conference={two[1].pk}",
    }
    assert 'name="title"' not in response.text


def test_an_empty_slot_fills_in_day_room_and_start_in_the_conference_zone(two, staff):
    demo, _ = two
    day = demo.days.get(index=2)
    room = demo.rooms.last()
    response = staff.get(
        "/admin/program/session/add/",
        {"conference": demo.pk, "day": day.pk, "room": room.pk, "starts_at": "2025-08-16T17:30"},
    )
    tree = lxml_html.fromstring(response.text)
    value = {
        name: tree.xpath(f"//input[@name='{name}']")[0].get("value")
        for name in ("starts_at_0", "starts_at_1", "ends_at_0", "ends_at_1")
    }
    assert value == {
        "starts_at_0": "2025-08-16",
        "starts_at_1": "17:30:00",
        "ends_at_0": "2025-08-16",
        "ends_at_1": "18:00:00",
    }
    selected = {
        name: tree.xpath(f"//select[@name='{name}']/option[@selected]/@value")
        for name in ("day", "room", "conference")
    }
    assert selected == {"day": [str(day.pk)], "room": [str(room.pk)], "conference": [str(demo.pk)]}
    assert "In the conference's time zone (Asia/Seoul)." in response.text


def test_a_slot_start_that_is_not_a_time_is_left_empty(two, staff):
    demo, _ = two
    response = staff.get(
        "/admin/program/session/add/", {"conference": demo.pk, "starts_at": "tomorrow"}
    )
    assert response.status_code == 200
    assert 'name="starts_at_0" value=' not in response.text


def autocomplete(staff, conference, term):
    response = staff.get(
        "/admin/autocomplete/",
        {
            "app_label": "program",
            "model_name": "sessionspeaker",
            "field_name": "speaker",
            "term": term,
            "conference": "" if conference is None else conference.pk,
        },
    )
    assert response.status_code == 200
    return {int(result["id"]) for result in json.loads(response.content)["results"]}


def test_the_speaker_autocomplete_offers_only_the_conference_speakers(two, staff):
    demo, debconf = two
    debconf_speaker = debconf.speakers.order_by("name").first()
    word = debconf_speaker.name.split()[0]
    assert autocomplete(staff, debconf, word) >= {debconf_speaker.pk}
    assert autocomplete(staff, demo, word) == set(
        demo.speakers.filter(name__icontains=word).values_list("pk", flat=True)
    )
    found = autocomplete(staff, demo, "")
    assert found and found <= set(demo.speakers.values_list("pk", flat=True))
    # No conference: no speakers (a session form always says which).
    assert autocomplete(staff, None, word) == set()


def test_the_speaker_list_admin_search_is_not_scoped(two, staff):
    debconf_speaker = Speaker.objects.filter(conference=two[1]).first()
    response = staff.get("/admin/program/speaker/", {"q": debconf_speaker.name})
    assert debconf_speaker.name in response.text


def form_data(session, **changes):
    local = session.starts_at.astimezone(session.conference.tz)
    end = session.ends_at.astimezone(session.conference.tz)
    data = {
        "conference": session.conference_id, "title": session.title, "subtitle": "",
        "slug": session.slug, "kind": session.kind, "day": session.day_id,
        "starts_at_0": f"{local:%Y-%m-%d}", "starts_at_1": f"{local:%H:%M}",
        "ends_at_0": f"{end:%Y-%m-%d}", "ends_at_1": f"{end:%H:%M}",
        "room": session.room_id or "", "track": session.track_id or "", "abstract": "",
        "description": "", "language": "", "level": "", "slides_url": "", "video_url": "",
        "website_url": "", "session_speakers-TOTAL_FORMS": "0",
        "session_speakers-INITIAL_FORMS": "0", "session_speakers-MIN_NUM_FORMS": "0",
        "session_speakers-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    return {**data, **changes}


@pytest.mark.parametrize("field", ["day", "room", "track"])
def test_a_choice_of_the_other_conference_is_refused_by_the_form(two, staff, field):
    demo, debconf = two
    session = demo.sessions.exclude(room=None).first()
    other = getattr(debconf, f"{field}s").first()
    response = staff.post(
        f"/admin/program/session/{session.pk}/change/", form_data(session, **{field: other.pk})
    )
    assert response.status_code == 200
    assert "Select a valid choice. That choice is not one of the available choices." in (
        response.text
    )
    assert getattr(Session.objects.get(pk=session.pk), f"{field}_id") == getattr(
        session, f"{field}_id"
    )


def test_a_speaker_of_the_other_conference_is_refused(two, staff):
    demo, debconf = two
    session = demo.sessions.exclude(room=None).first()
    stranger = debconf.speakers.first()
    data = form_data(
        session,
        **{
            "session_speakers-TOTAL_FORMS": "1",
            "session_speakers-0-speaker": stranger.pk,
            "session_speakers-0-order": "0",
        },
    )
    response = staff.post(f"/admin/program/session/{session.pk}/change/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not session.speakers.filter(pk=stranger.pk).exists()


def test_adding_a_session_from_a_slot_saves_it_in_the_conference_zone(two, staff):
    demo, _ = two
    day, room = demo.days.get(index=1), demo.rooms.first()
    data = form_data(
        Session(
            conference=demo, day=day, room=room, title="Added in the admin", slug="added",
            kind="talk", starts_at=demo.sessions.first().starts_at,
            ends_at=demo.sessions.first().ends_at,
        ),
        starts_at_0="2025-08-15", starts_at_1="19:00", ends_at_0="2025-08-15", ends_at_1="19:30",
    )  # fmt: skip
    response = staff.post(f"/admin/program/session/add/?conference={demo.pk}", data)
    assert response.status_code == 302, response.text[:3000]
    added = Session.objects.get(conference=demo, slug="added")
    assert added.starts_at.isoformat() == "2025-08-15T10:00:00+00:00"
    assert added.room == room


def test_add_from_the_session_list_filtered_by_a_conference_needs_no_choice(two, staff):
    _demo, debconf = two
    response = staff.get(
        "/admin/program/session/add/",
        {"_changelist_filters": f"conference__id__exact={debconf.pk}"},
    )
    assert set(options(response, "room")) == ids(debconf.rooms)
    assert "In the conference's time zone (Asia/Kolkata)." in response.text


def filter_choices(response, title):
    """The links of the session list's filter with that title (besides "All")."""
    tree = lxml_html.fromstring(response.text)
    found = tree.xpath(f"//details[@data-filter-title='{title}']//li/a/text()")
    return [" ".join(text.split()) for text in found if text.strip() not in {"All", "-"}]


def test_the_session_list_filters_offer_the_chosen_conference(two, staff):
    demo, _debconf = two
    response = staff.get("/admin/program/session/", {"conference__id__exact": demo.pk})
    assert filter_choices(response, "day") == ["Day 1 · Fri 15 Aug", "Day 2 · Sat 16 Aug"]
    assert filter_choices(response, "room") == list(demo.rooms.values_list("name", flat=True))
    # Before a conference is chosen there is nothing to pick a day of.
    response = staff.get("/admin/program/session/")
    assert filter_choices(response, "day") == []
    assert filter_choices(response, "conference") == ["PyCon Korea 2025", "DebConf 23"]


@pytest.mark.parametrize(
    "start", ["9999-12-31T23:59", "2025-08-15T10:30+09:00", "", "2025-08-15T25:00"]
)
def test_a_slot_start_out_of_range_leaves_the_times_empty(two, staff, start):
    demo, _ = two
    response = staff.get(
        "/admin/program/session/add/",
        {"conference": demo.pk, "starts_at": start, "day": "x", "room": "99999"},
    )
    assert response.status_code == 200
    tree = lxml_html.fromstring(response.text)
    assert tree.xpath("//input[@name='starts_at_0']")[0].get("value") is None


@pytest.mark.parametrize(
    ("end", "expected"),
    [("2025-08-16T17:50", "17:50:00"), ("2025-08-16T19:00", "18:00:00"), ("soon", "18:00:00")],
)
def test_a_short_slot_ends_where_the_gap_ends(two, staff, end, expected):
    demo, _ = two
    response = staff.get(
        "/admin/program/session/add/",
        {"conference": demo.pk, "starts_at": "2025-08-16T17:30", "ends_at": end},
    )
    tree = lxml_html.fromstring(response.text)
    assert tree.xpath("//input[@name='ends_at_1']")[0].get("value") == expected
