"""Where the tests find the repository and their fixture files, wherever a test sits."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SCHEDULES = FIXTURES / "schedules"
