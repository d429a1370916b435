"""`manage.py demo --no-serve` builds the demo once; running it again changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

from notes.models import Note, Photo, Star, Visibility, WriteUp
from sessions.models import Conference, Day, Room, Session, Speaker, Track


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Conference, Day, Room, Track, Speaker, Session, Note, Photo, Star, WriteUp)
    } | {"users": sorted(get_user_model().objects.values_list("username", "password"))}


@pytest.mark.django_db(transaction=True)
def test_demo_is_idempotent_and_complete(capsys):
    call_command("demo", "--no-serve")
    first_output = capsys.readouterr().out
    assert "Loaded the demo conference." in first_output
    assert "http://127.0.0.1:8000/pyconkr-2025/" in first_output
    assert "demo / hugi-demo-2025" in first_output
    before = snapshot()
    changed_at = Conference.objects.get().changed_at

    call_command("demo", "--no-serve", "--port", "8123")
    second_output = capsys.readouterr().out
    assert "The demo conference is already there." in second_output
    assert "http://127.0.0.1:8123/" in second_output
    assert snapshot() == before
    assert Conference.objects.get().changed_at == changed_at

    conference = Conference.objects.get()
    assert (conference.name, conference.timezone, conference.city) == (
        "PyCon Korea 2025",
        "Asia/Seoul",
        "Seoul",
    )
    with translation.override("ko"):  # no label: named in the visitor's language
        assert [str(d) for d in conference.days.all()] == ["1일차", "2일차"]
    titles = set(conference.sessions.values_list("title", flat=True))
    assert {
        "선 넘지 않는 윤리적인 LLM 솔루션 구축",
        "Python과 함께하는 AI 플랫폼",
        "파이썬으로 엮는 나만의 레거시",
        "개발이 즐거워진다: 생성형 AI와 컨테이너로 보다 집중하는 파이썬 개발",
    } <= titles
    legacy = Session.objects.get(title="파이썬으로 엮는 나만의 레거시")
    assert legacy.ordered_speakers[0].name == "박해선"
    assert conference.rooms.count() == 4
    assert conference.sessions.filter(kind=Session.Kind.BREAK, room=None).count() == 6
    assert "illustrative" in conference.description

    demo = get_user_model().objects.get(username="demo")
    assert demo.is_superuser and demo.check_password("hugi-demo-2025")
    notes = Note.objects.filter(author=demo)
    assert notes.filter(visibility=Visibility.PUBLIC).count() == 4
    assert notes.filter(visibility=Visibility.PRIVATE).count() == 2
    assert all(note.body_html.startswith("<p>") or note.body_html for note in notes)
    assert Photo.objects.filter(owner=demo).count() == 3
    assert Star.objects.filter(user=demo).count() == 5
    writeup = WriteUp.objects.get(author=demo)
    assert writeup.status == WriteUp.Status.PUBLISHED and writeup.published_at is not None
    assert writeup.language == "ko"  # its words are Korean: so are its day headings


@pytest.mark.django_db(transaction=True)
def test_demo_leaves_a_database_that_check_and_the_admin_accept(client):
    call_command("demo", "--no-serve")
    call_command("check", fail_level="WARNING")
    client.force_login(get_user_model().objects.get(username="demo"))
    for path in ("/admin/", "/admin/program/session/", "/admin/program/conference/"):
        response = client.get(path)
        assert response.status_code == 200, path
    conference = Conference.objects.get()
    response = client.get(f"/admin/program/conference/{conference.pk}/change/")
    assert "PyCon Korea 2025" in response.text
