"""`uv run pytest` on a machine without Chromium: the browser tests are skipped with one line
that says how to install it, except under CI=true, where a missing browser fails them."""

import os
import subprocess
import sys
from pathlib import Path

from tests.support.paths import ROOT

BROWSER_TEST = "tests/browser/test_editor_header.py"  # small: two tests


def pytest_without_chromium(**env):
    """Run the browser test file with a PATH that holds Python and nothing else."""
    clean = {k: v for k, v in os.environ.items() if k not in {"CI", "DATABASE_URL", "PATH"}}
    return subprocess.run(
        [sys.executable, "-m", "pytest", BROWSER_TEST],
        cwd=ROOT,
        env={**clean, "PATH": str(Path(sys.executable).parent), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_chromium_the_browser_tests_are_skipped_with_one_line():
    result = pytest_without_chromium()
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert [line for line in lines if "Chromium" in line] == [
        "2 browser tests skipped. Chromium is missing: apt-get install -y chromium "
        "(with CI=true they fail instead)"
    ]
    assert "2 skipped" in lines[-1]


def test_without_chromium_on_ci_the_browser_tests_fail():
    result = pytest_without_chromium(CI="true")
    assert result.returncode == 1, result.stdout
    assert "Chromium is missing: apt-get install -y chromium (CI=true" in result.stdout
    assert "2 errors" in result.stdout.splitlines()[-1]
    assert "skipped" not in result.stdout
