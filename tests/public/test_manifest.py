"""/manifest.webmanifest: what makes hugi installable, linked from every page."""

import re
from io import BytesIO
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


def static_file(url: str) -> Path:
    """The file behind a static URL, its content hash (a release's file names) taken out."""
    name = re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", url.removeprefix(settings.STATIC_URL))
    return Path(finders.find(name))


def test_the_manifest_names_the_app_its_start_and_its_icons(client):
    response = client.get(reverse("public:manifest"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"] == "application/manifest+json"
    assert "max-age=604800" in response["Cache-Control"]
    manifest = response.json()
    assert manifest["name"] == manifest["short_name"] == "hugi"
    assert manifest["start_url"] == "/me/"
    assert manifest["display"] == "standalone"
    assert manifest["description"].startswith("Conference notes and write-ups")
    assert (manifest["theme_color"], manifest["background_color"]) == ("#1e5bb8", "#f6f5f1")
    sizes = {}
    for icon in manifest["icons"]:
        with Image.open(static_file(icon["src"])) as image:
            assert image.format == "PNG"
            assert icon["sizes"] == f"{image.width}x{image.height}"
        sizes.setdefault(icon["purpose"], []).append(icon["sizes"])
    assert sizes == {"any": ["192x192", "512x512"], "maskable": ["512x512"]}


def test_the_manifest_speaks_korean_to_korean_browsers(client):
    manifest = client.get(reverse("public:manifest"), HTTP_ACCEPT_LANGUAGE="ko").json()
    assert manifest["lang"] == "ko"
    assert manifest["description"] == "컨퍼런스 노트와 후기: 오프라인 프로그램, 모든 발표의 노트."


def test_every_page_links_the_manifest_and_theme_colours(client):
    page = lxml.html.parse(BytesIO(client.get("/").content)).getroot()
    assert page.xpath("//link[@rel='manifest']/@href") == ["/manifest.webmanifest"]
    colours = dict(
        zip(
            page.xpath("//meta[@name='theme-color']/@media"),
            page.xpath("//meta[@name='theme-color']/@content"),
            strict=True,
        )
    )
    assert colours == {
        "(prefers-color-scheme: light)": "#f6f5f1",
        "(prefers-color-scheme: dark)": "#121416",
    }
    touch_icon = page.xpath("//link[@rel='apple-touch-icon']/@href")[0]
    with Image.open(static_file(touch_icon)) as image:
        assert image.size == (180, 180)
