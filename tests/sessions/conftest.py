from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from tests.sessions.frab_edits import Watched
from tests.support.factories import UserFactory
from tests.support.paths import SCHEDULES
from tests.support.schedule_server import ServedFile, running_server


@pytest.fixture
def served(db, tmp_path, settings):
    """DebConf 23 served by a real HTTP server from a file, with ETags, and imported from its
    address (version 1; the address is the conference's schedule source)."""
    settings.SCHEDULE_IMPORT_ALLOW_PRIVATE = True  # the server is on 127.0.0.1
    path = tmp_path / "schedule.xml"
    path.write_bytes((SCHEDULES / "debconf23.xml").read_bytes())
    with running_server() as server:
        route = Watched(ServedFile(path))
        server.routes["/schedule.xml"] = route
        url = server.url + "/schedule.xml"
        call_command("import_schedule", url, stdout=StringIO())
        yield SimpleNamespace(server=server, path=path, url=url, route=route)


@pytest.fixture
def staff(client):
    """The test client signed in as an organiser with every admin permission."""
    client.force_login(UserFactory(username="organiser", is_staff=True, is_superuser=True))
    return client
