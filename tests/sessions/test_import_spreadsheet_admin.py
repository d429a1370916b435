"""Spreadsheets in the admin: the import page previews a CSV or XLSX like any schedule and
imports it on confirmation; its template downloads (GET, nothing written) and, filled in,
imports; a malformed row is shown as its one-line error."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from sessions.models import Conference, Session
from tests.sessions.spreadsheet_demo import (
    demo_conference,
    empty_conference,
    programme_rows,
    snapshot,
    to_csv,
    to_xlsx,
)
from tests.sessions.test_import_admin import confirm_fields, stored_uploads, upload
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_URL = "/admin/program/conference/import/"


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def import_url(conference):
    return reverse("admin:program_conference_import", args=[conference.pk])


@pytest.mark.parametrize(("maker", "name"), [(to_csv, "demo.csv"), (to_xlsx, "demo.xlsx")])
def test_the_demo_programme_previews_imports_and_then_has_nothing_to_import(
    admin_client, maker, name
):
    demo = demo_conference()
    target = empty_conference(like=demo)
    data = maker(programme_rows(demo))

    preview = admin_client.post(import_url(target), {"file": upload(data, name)})

    assert preview.status_code == 200
    kind = "CSV" if name.endswith("csv") else "XLSX"
    assert f"{name}: {kind}, 50 sessions." in preview.text
    assert "The conference “PyCon Korea 2025” (sheet) will be updated." in preview.text
    assert "Created: 2 days, 4 rooms, 5 tracks, 38 speakers, 50 sessions" in preview.text
    assert Session.objects.filter(conference=target).count() == 0  # a preview writes nothing

    done = admin_client.post(
        import_url(target), {**confirm_fields(preview.text), "confirm": "Import"}
    )

    assert done.status_code == 302
    assert Session.objects.filter(conference=target).count() == 50
    assert stored_uploads() == []
    before = snapshot(target)
    again = admin_client.post(import_url(target), {"file": upload(data, name)})
    assert "No changes." in again.text
    assert 'value="Nothing to import" class="default" disabled' in again.text
    assert snapshot(target) == before


def test_a_malformed_row_is_shown_with_its_number_and_nothing_is_kept(admin_client):
    conference = empty_conference()
    data = b"date,start,duration,title\n2025-08-15,10:00,40,A\n2025-08-15,25:00,40,B\n"

    response = admin_client.post(import_url(conference), {"file": upload(data, "p.csv")})

    assert response.status_code == 400
    assert (
        '<p class="errornote">p.csv: row 3, column start: &#x27;25:00&#x27; is not a time like '
        "09:30</p>"
    ) in response.text
    assert Session.objects.count() == 0
    assert stored_uploads() == []


def test_the_new_conference_page_sends_a_spreadsheet_to_an_existing_conference(admin_client):
    data = b"date,start,duration,title\n2025-08-15,10:00,40,A\n"

    refused = admin_client.post(NEW_URL, {"file": upload(data, "p.csv")})
    conference = empty_conference(slug="pycon")
    by_slug = admin_client.post(NEW_URL, {"file": upload(data, "p.csv"), "slug": "pycon"})

    assert refused.status_code == 400
    assert "a spreadsheet names no conference and no time zone" in refused.text
    assert "The conference “Sheet Conference” (pycon) will be updated." in by_slug.text
    admin_client.post(NEW_URL, {**confirm_fields(by_slug.text), "confirm": "Import"})
    assert list(Session.objects.values_list("conference", "title")) == [(conference.pk, "A")]


def test_the_page_links_the_templates_and_explains_the_columns(admin_client):
    conference = empty_conference()

    page = admin_client.get(import_url(conference))
    korean = admin_client.get(import_url(conference), HTTP_ACCEPT_LANGUAGE="ko")

    assert '<a href="?template=xlsx" download>template (XLSX)</a>' in page.text
    assert '<a href="?template=csv" download>template (CSV)</a>' in page.text
    assert "Dates and times are in the conference&#x27;s time zone, Asia/Seoul." in page.text
    assert '<th scope="row"><code>start</code></th>' in page.text
    assert '<th scope="row"><code>시작</code></th>' in korean.text


def csv_template(client, conference, **headers):
    response = client.get(import_url(conference), {"template": "csv"}, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sheet-template.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # so Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_template_downloads_in_the_admins_language(admin_client):
    conference = empty_conference()
    before = snapshot(conference)

    english = csv_template(admin_client, conference)
    korean = csv_template(admin_client, conference, HTTP_ACCEPT_LANGUAGE="ko")

    assert english[0] == [
        "id", "date", "start", "end", "duration", "room", "track", "title", "speakers",
        "abstract", "language", "kind",
    ]  # fmt: skip
    assert korean[0] == [
        "id", "날짜", "시작", "끝", "길이", "발표장", "트랙", "제목", "발표자", "초록", "언어", "유형",
    ]  # fmt: skip
    assert english[1][:5] == ["T1", "2025-08-15", "10:00", "10:40", ""]
    assert snapshot(conference) == before  # GET writes nothing


def test_the_templates_filled_in_import(admin_client):
    conference = empty_conference()
    response = admin_client.get(import_url(conference), {"template": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="sheet-template.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Programme", "Columns"]
    sheet = workbook["Programme"]
    sheet.delete_rows(2, 2)  # the example rows
    sheet.append(
        ["K1", "2025-08-16", "09:30", "", 50, "101호", "", "키노트", "장민서", "", "ko", "키노트"]
    )
    sheet.append(
        [None, "2025-08-16", "10:30", "11:10", None, "102호", "Web", "HTMX", "오세린, Ada"]
    )
    filled = io.BytesIO()
    workbook.save(filled)
    rows = csv_template(admin_client, conference)[:2]
    rows.append(["", "2025-08-15", "14:00", "14:40", "", "101호", "Data", "DuckDB", "서지민"])
    filled_csv = io.StringIO()
    csv.writer(filled_csv).writerows(rows)

    for data, name in (
        (filled.getvalue(), "filled.xlsx"),
        (filled_csv.getvalue().encode(), "filled.csv"),
    ):
        preview = admin_client.post(import_url(conference), {"file": upload(data, name)})
        assert preview.status_code == 200, preview.text
        admin_client.post(
            import_url(conference), {**confirm_fields(preview.text), "confirm": "Import"}
        )

    titles = (
        Session.objects.filter(cancelled=False)
        .order_by("starts_at")
        .values_list("title", flat=True)
    )
    # The CSV came second: the XLSX's sessions are cancelled, not deleted.
    assert list(titles) == ["Example talk: replace or delete this row", "DuckDB"]
    assert sorted(Session.objects.filter(cancelled=True).values_list("title", flat=True)) == [
        "HTMX", "키노트",
    ]  # fmt: skip
    keynote = Session.objects.get(title="키노트")
    assert (keynote.kind, keynote.source_id, keynote.duration.seconds) == ("keynote", "K1", 3000)


def test_an_unknown_template_shows_the_page(admin_client):
    conference = empty_conference()

    page = admin_client.get(import_url(conference), {"template": "ods"})

    assert page.status_code == 200
    assert page["Content-Type"] == "text/html; charset=utf-8"


def test_staff_without_permission_get_no_template(db):
    conference = empty_conference()
    staff = Client()
    staff.force_login(UserFactory(username="staff", is_staff=True))

    assert staff.get(import_url(conference), {"template": "csv"}).status_code == 403
    assert Conference.objects.count() == 1


def test_the_korean_template_imports_as_it_is(admin_client):
    conference = empty_conference()
    response = admin_client.get(
        import_url(conference), {"template": "xlsx"}, HTTP_ACCEPT_LANGUAGE="ko"
    )
    header = next(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert header[:3] == ("id", "날짜", "시작")

    preview = admin_client.post(
        import_url(conference), {"file": upload(response.content, "template.xlsx")}
    )
    admin_client.post(import_url(conference), {**confirm_fields(preview.text), "confirm": "Import"})

    # The example rows: a talk with an end and a lunch break with a duration.
    assert sorted(Session.objects.values_list("kind", "source_id")) == [
        ("break", ""),
        ("talk", "T1"),
    ]


def test_adding_conferences_does_not_allow_changing_one_by_its_slug(db):
    conference = empty_conference(slug="pycon")
    adder = UserFactory(username="adder", is_staff=True)
    adder.user_permissions.add(Permission.objects.get(codename="add_conference"))
    client = Client()
    client.force_login(adder)
    data = b"date,start,duration,title\n2025-08-15,10:00,40,A\n"

    response = client.post(NEW_URL, {"file": upload(data, "p.csv"), "slug": "pycon"})

    assert response.status_code == 403
    assert stored_uploads() == []
    assert not Session.objects.filter(conference=conference).exists()
