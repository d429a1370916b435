"""`manage.py backup` prints its count on stdout when it writes a file (cron sends stdout to
/dev/null and mails only errors), and on stderr when the archive itself goes to stdout."""

import io
import tarfile

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_a_backup_to_a_file_reports_on_stdout_only(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command("backup", str(tmp_path / "hugi.tar.gz"), stdout=out, stderr=err)
    assert out.getvalue().startswith("Backed up ")
    assert err.getvalue() == ""


@pytest.mark.django_db
def test_a_backup_to_stdout_reports_on_stderr(tmp_path, capfdbinary):
    err = io.StringIO()
    call_command("backup", "-", stderr=err)
    assert err.getvalue().startswith("Backed up ")
    archive = tmp_path / "piped.tar.gz"
    archive.write_bytes(capfdbinary.readouterr().out)
    with tarfile.open(archive) as tar:
        assert tar.getnames()
