"""Photos in a write-up's introduction and closing: as in a note, only the author's public
photos of the conference show; a link to any other (a private one: a broken image for readers)
is dropped from the page and from the export."""

import io
import zipfile

import lxml.html
import pytest

from notes.photos.links import photo_markdown
from notes.writeups import services
from tests.support.writeup_world import build_world, detail_url, export_url

pytestmark = pytest.mark.django_db


def write_texts(world, intro, closing):
    writeup = world.writeup
    return services.save_writeup(
        author=writeup.author,
        conference=writeup.conference,
        title=writeup.title,
        summary=writeup.summary,
        intro=intro,
        closing=closing,
        cover_photo=None,
        base_version=writeup.version,
    )


def photo_ids(element) -> list[str]:
    return [src.split("/")[2] for src in element.xpath(".//img/@src")]


def test_only_the_authors_public_photos_show_in_the_intro_and_closing(client, owner):
    world = build_world(owner)
    slide, private, someone = (world.photos[key] for key in ("slide", "private", "someone"))
    write_texts(
        world,
        intro=f"Slides: {photo_markdown(slide)} {photo_markdown(private)}",
        closing=f"{photo_markdown(someone)} and [the private one](/photos/{private.pk}/960/).",
    )

    page = lxml.html.fromstring(client.get(detail_url(world.writeup)).content.decode())

    intro = page.xpath("//*[contains(@class, 'post-intro')]")[0]
    closing = page.xpath("//*[contains(@class, 'post-closing')]")[0]
    assert photo_ids(intro) == [str(slide.pk)]
    assert intro.xpath(".//img/@srcset")  # shown as a note shows it: every rendition
    assert photo_ids(closing) == []
    # The link stays as words, without the address that would say the photo exists.
    assert closing.xpath(".//a/@href") == []
    assert " ".join(closing.text_content().split()) == "and the private one."


def test_the_export_takes_the_intros_public_photo_and_leaves_out_the_private_one(client, owner):
    world = build_world(owner)
    slide, private = world.photos["slide"], world.photos["private"]
    write_texts(
        world,
        intro=f"Before {photo_markdown(slide)} and {photo_markdown(private)} after.",
        closing=f"Bye {photo_markdown(private)} and [its link](/photos/{private.pk}/original/).",
    )

    response = client.get(export_url(world.writeup))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    post = archive.read("2025-08-18-pycon-hugi.md").decode()

    assert f"Before ![가드레일 슬라이드](images/photo-{slide.pk}.jpg) and  after." in post
    assert post.endswith("* * *\n\nBye  and its link.\n")
    assert f"/photos/{private.pk}/" not in post
    assert f"images/photo-{slide.pk}.jpg" in archive.namelist()
    assert f"images/photo-{private.pk}.jpg" not in archive.namelist()
