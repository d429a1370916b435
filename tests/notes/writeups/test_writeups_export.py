"""export.zip and the export_writeup command: a blog post Jekyll and Hugo take as it is."""

import io
import re
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
import yaml
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client

from notes.models import Visibility, WriteUp
from tests.support.writeup_world import (
    PRIVATE_MARKER,
    PRIVATE_PHOTO_CAPTION,
    add_photo,
    build_world,
    export_url,
)

pytestmark = pytest.mark.django_db
POST = "2025-08-18-pycon-hugi.md"
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")


def download(client, writeup):
    response = client.get(export_url(writeup))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="2025-08-18-pycon-hugi.zip"'
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def stored_bytes(photo):
    with default_storage.open(photo.image.name, "rb") as stored:
        return stored.read()


def split_post(text):
    assert text.startswith("---\n")
    _empty, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def test_the_zip_holds_the_post_its_images_and_a_readme(client, owner):
    world = build_world(owner)
    archive = download(client, world.writeup)
    slide = world.photos["slide"]
    assert sorted(archive.namelist()) == sorted(
        [POST, f"images/photo-{slide.pk}.jpg", "README.txt"]
    )
    assert archive.read(f"images/photo-{slide.pk}.jpg") == stored_bytes(slide)
    readme = archive.read("README.txt").decode()
    assert f"Jekyll: copy {POST} into _posts/" in readme
    assert "2025/08/18/pycon-hugi/images/" in readme
    assert "Hugo: make a page bundle: create content/posts/pycon-hugi/" in readme


def test_the_front_matter_is_yaml_that_jekyll_and_hugo_read(client, owner):
    world = build_world(owner)
    front, _body = split_post(download(client, world.writeup).read(POST).decode())
    slide = world.photos["slide"]
    assert front == {
        "title": "파이콘 한국 2025 후기",
        # 21:00 in Seoul, with Seoul's offset.
        "date": datetime(2025, 8, 18, 21, 0, tzinfo=timezone(timedelta(hours=9))),
        "description": '이틀의 기록: "따옴표"와 콜론: 도 있다',
        "lang": "en",
        "image": f"images/photo-{slide.pk}.jpg",
        "categories": ["파이콘 한국 2025"],
        "tags": ["PyConKR 2025", "AI · ML"],
        "permalink": "/2025/08/18/pycon-hugi/",
    }


def test_the_body_is_markdown_from_the_notes_source(client, owner):
    world = build_world(owner)
    _front, body = split_post(download(client, world.writeup).read(POST).decode())
    slide = world.photos["slide"]
    assert body == (
        "\n"
        "들어가며 **인트로**.\n\n"
        "## Day 1\n\n"
        "### [발표 d1-morning (이서연, 정민준)](http://testserver/pycon-kr/sessions/talk-d1-morning/)\n\n"
        "가드레일은 입력, 생성, 출력 세 단계.\n\n"
        f"![가드레일 슬라이드](images/photo-{slide.pk}.jpg)  \n"
        "*가드레일 슬라이드* — Image source: [발표 자료](https://example.org/slides)\n\n"
        "### [발표 d1-afternoon (Hannah Becker)](http://testserver/pycon-kr/sessions/talk-d1-afternoon/)\n\n"
        "Django 6 admin notes.\n\n"
        "## Day 2\n\n"
        "### [발표 d2-morning (박해선)](http://testserver/pycon-kr/sessions/talk-d2-morning/)\n\n"
        # The note's own "## 요점" moves below the post's session heading.
        "##### 요점\n\n"
        "오래된 도구를 **파이썬으로** 잇기.\n\n"
        "* * *\n\n"
        "마치며.\n"
    )


def test_every_image_link_resolves_to_a_file_in_the_zip(client, owner):
    world = build_world(owner, extra_sessions=3)
    archive = download(client, world.writeup)
    post = archive.read(POST).decode()
    front, body = split_post(post)
    links = [*IMAGE_LINK.findall(body), front["image"]]
    assert len(links) == 5
    names = set(archive.namelist())
    for link in links:
        assert link in names
        assert archive.read(link)[:2] == b"\xff\xd8"  # a JPEG


def test_photos_go_in_at_their_largest_rendition(client, owner):
    world = build_world(owner)
    slide = world.photos["slide"]
    renditions = []
    for width in (480, 1600, 960):
        name = default_storage.save(f"photos/r-{width}.webp", ContentFile(f"webp {width}".encode()))
        renditions.append({"width": width, "name": name})
    slide.renditions = renditions
    slide.save()
    archive = download(client, world.writeup)
    assert archive.read(f"images/photo-{slide.pk}.webp") == b"webp 1600"


def test_photos_inside_a_note_become_local_and_private_ones_are_dropped(client, owner):
    world = build_world(owner)
    slide, private = world.photos["slide"], world.photos["private"]
    note = world.notes["d1-morning"]
    note.body = (
        f"Before ![슬라이드 \\[1\\]](/photos/{slide.pk}/960/) and "
        f"![{PRIVATE_PHOTO_CAPTION}](http://testserver/photos/{private.pk}/original/) "
        "and [a link](/pycon-kr/) after."
    )
    note.save()
    _front, body = split_post(download(client, world.writeup).read(POST).decode())
    assert (
        f"Before ![슬라이드 \\[1\\]](images/photo-{slide.pk}.jpg) and  "
        "and [a link](http://testserver/pycon-kr/) after."
    ) in body
    # Shown inside the note, the photo is not repeated after it.
    assert body.count(f"images/photo-{slide.pk}.jpg") == 1


def test_nothing_private_enters_the_export(client, owner):
    world = build_world(owner)
    archive = download(client, world.writeup)
    private_bytes = stored_bytes(world.photos["private"])
    someone_bytes = stored_bytes(world.photos["someone"])
    for name in archive.namelist():
        data = archive.read(name)
        assert PRIVATE_MARKER.encode() not in data
        assert PRIVATE_PHOTO_CAPTION.encode() not in data
        assert b"SOMEONE" not in data
        assert data not in (private_bytes, someone_bytes)


def test_a_draft_exports_for_its_author_only(owner_client, other_client, owner):
    world = build_world(owner, status=WriteUp.Status.DRAFT)
    assert Client().get(export_url(world.writeup)).status_code == 404
    assert other_client.get(export_url(world.writeup)).status_code == 404
    response = owner_client.get(export_url(world.writeup))
    assert response.status_code == 200
    # Only its author may have it: no cache on the way may keep a copy.
    assert response["Cache-Control"] == "private, no-store"
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    # A draft is dated today, in the conference's zone.
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}-pycon-hugi\.md", name) for name in names)


def test_a_published_export_may_be_kept_by_caches(client, owner):
    world = build_world(owner)
    response = client.get(export_url(world.writeup))
    assert b"".join(response.streaming_content)[:2] == b"PK"  # read: the response closes
    assert "no-store" not in response.get("Cache-Control", "")
    assert "private" not in response.get("Cache-Control", "")


def test_the_command_writes_the_same_files_as_the_zip(client, owner, tmp_path):
    world = build_world(owner)
    archive = download(client, world.writeup)
    folder = tmp_path / "export"
    out = io.StringIO()
    call_command(
        "export_writeup",
        "pycon-kr",
        "owner",
        str(folder),
        "--base-url",
        "http://testserver",
        "--language",
        "en",
        stdout=out,
    )
    written = sorted(
        path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()
    )
    assert written == sorted(archive.namelist())
    for name in written:
        assert (folder / name).read_bytes() == archive.read(name), name
    assert out.getvalue().splitlines()[0] == f"Wrote 3 files to {folder}:"


def test_the_command_refuses_a_folder_with_files_and_leaves_it_alone(owner, tmp_path):
    build_world(owner)
    folder = tmp_path / "blog"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="exists and is not empty"):
        call_command("export_writeup", "pycon-kr", "owner", str(folder))
    assert [path.name for path in folder.iterdir()] == ["keep.txt"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["blog", "media"]


def test_the_command_says_what_is_wrong(owner, tmp_path):
    build_world(owner)
    with pytest.raises(CommandError, match="nobody has no write-up of the conference"):
        call_command("export_writeup", "pycon-kr", "nobody", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="--base-url must be an http"):
        call_command(
            "export_writeup", "pycon-kr", "owner", str(tmp_path / "x"), "--base-url", "ftp://x"
        )
    assert not (tmp_path / "x").exists()


def test_a_private_photo_added_later_never_enters(client, owner):
    world = build_world(owner)
    add_photo(world, "late", owner, "d2-morning", "LATE-PRIVATE", Visibility.PRIVATE)
    archive = download(client, world.writeup)
    assert len(archive.namelist()) == 3
    assert b"LATE-PRIVATE" not in archive.read(POST)


def test_headings_move_below_the_posts_but_code_blocks_stay_as_written():
    from notes.writeups.export import shift_headings

    text = "# Talk\n````\n```\n# in code\n````\n## After\n~~~\n# also code\n~~~\n# Last"
    assert shift_headings(text) == (
        "#### Talk\n````\n```\n# in code\n````\n##### After\n~~~\n# also code\n~~~\n#### Last"
    )
