"""import_schedule reads a programme spreadsheet into the conference --conference names."""

import io

import pytest
from django.core.management import CommandError, call_command

from sessions.models import Session
from tests.sessions.spreadsheet_demo import (
    demo_conference,
    empty_conference,
    programme_rows,
    to_csv,
    to_xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("maker", "name"), [(to_csv, "demo.csv"), (to_xlsx, "demo.xlsx")])
def test_the_command_imports_a_spreadsheet_and_then_changes_nothing(tmp_path, maker, name):
    demo = demo_conference()
    target = empty_conference(like=demo)
    path = tmp_path / name
    path.write_bytes(maker(programme_rows(demo)))

    first, again = io.StringIO(), io.StringIO()
    call_command("import_schedule", str(path), conference="sheet", stdout=first)
    call_command("import_schedule", str(path), conference="sheet", stdout=again)

    kind = "CSV" if name.endswith("csv") else "XLSX"
    assert first.getvalue().splitlines()[0] == (
        f"{name}: {kind}, 2 days, 4 rooms, 38 speakers, 50 sessions."
    )
    assert first.getvalue().splitlines()[-1] == "Imported."
    assert Session.objects.filter(conference=target).count() == 50
    assert again.getvalue().splitlines()[-1] == "No changes."


def test_the_command_names_the_row_of_a_mistake(tmp_path):
    empty_conference()
    path = tmp_path / "p.csv"
    path.write_text("date,start,duration,title\n2025-08-15,25:00,40,A\n")

    with pytest.raises(
        CommandError, match=r"^p.csv: row 2, column start: '25:00' is not a time like 09:30$"
    ):
        call_command("import_schedule", str(path), conference="sheet")


def test_without_conference_a_spreadsheet_is_refused(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("date,start,duration,title\n2025-08-15,10:00,40,A\n")

    with pytest.raises(CommandError, match="a spreadsheet names no conference"):
        call_command("import_schedule", str(path))
