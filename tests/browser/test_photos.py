"""Photos in the real note editor, in Chromium on a phone-sized screen."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image
from playwright.sync_api import expect

from notes.models import Photo
from tests.support.factories import SessionFactory, UserFactory
from tests.support.photo_corpus import phone_jpeg, upload

pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()

PHOTO_MARKDOWN = re.compile(r"!\[\]\(/photos/(\d+)/\d+/\)")
UPLOAD_KEY = re.compile(rb'name="upload_key"\r\n\r\n([0-9a-f]+)\r\n')


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists():
    # WhiteNoise warns (an error under pytest) when STATIC_ROOT is missing, as in a fresh clone.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture
def talk():
    return SessionFactory(title="Slides worth keeping")


@pytest.fixture
def phone(new_context):
    """A signed-in phone with the editor of one talk open."""
    UserFactory(username="ada")
    context = new_context(has_touch=True)
    page = context.new_page()
    page.goto("/accounts/login/")
    form = page.locator("form.account-form")
    form.locator("input[name=username]").fill("ada")
    form.locator("input[name=password]").fill("correct horse battery staple")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    return page


def open_editor(page, talk):
    page.goto(f"/notes/{talk.pk}/")
    page.wait_for_selector("[data-photo-tools].has-script")
    return page.locator("textarea[name=body]")


def files(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def photo_ids(text):
    return [int(found) for found in PHOTO_MARKDOWN.findall(text)]


def wait_for_photos(page, count):
    page.wait_for_function(
        "n => (document.querySelector('textarea[name=body]').value"
        ".match(/!\\[\\]\\(\\/photos\\/\\d+\\/\\d+\\/\\)/g) || []).length === n",
        arg=count,
    )


def expect_in_preview(page, photo_id):
    page.locator("[data-show=preview]").click()
    image = page.locator(f".markdownx-preview img[src^='/photos/{photo_id}/']")
    expect(image).to_be_visible()
    # Loaded through the photo view, for its owner: a real picture, not a broken icon.
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    page.locator("[data-show=write]").click()


def test_photos_from_the_file_input_and_from_paste_appear_in_the_note(phone, talk, tmp_path):
    textarea = open_editor(phone, talk)
    textarea.fill("Keynote notes")

    # The library button: a phone photo with GPS, turned sideways by its EXIF orientation.
    phone.set_input_files(
        "input[data-photo-input]:not([capture])",
        files(tmp_path, "IMG_0001.jpg", phone_jpeg((1200, 900), orientation=6)),
    )
    wait_for_photos(phone, 1)
    [first] = photo_ids(textarea.input_value())
    assert textarea.input_value() == f"Keynote notes\n\n![](/photos/{first}/900/)\n\n"
    expect_in_preview(phone, first)

    # A screenshot pasted from the clipboard lands at the cursor.
    textarea.focus()
    textarea.press("End")
    phone.evaluate(
        """async () => {
            const canvas = document.createElement("canvas");
            canvas.width = 320; canvas.height = 200;
            const ctx = canvas.getContext("2d");
            ctx.fillStyle = "#1e5bb8"; ctx.fillRect(0, 0, 320, 200);
            const blob = await new Promise(done => canvas.toBlob(done, "image/png"));
            const data = new DataTransfer();
            data.items.add(new File([blob], "screenshot.png", {type: "image/png"}));
            const textarea = document.querySelector("textarea[name=body]");
            textarea.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }));
        }"""
    )
    wait_for_photos(phone, 2)
    first_again, second = photo_ids(textarea.input_value())
    assert first_again == first
    expect_in_preview(phone, second)

    # The manager lists both; what was stored carries no location.
    expect(phone.locator("[data-photo-item]")).to_have_count(2)
    photos = list(Photo.objects.order_by("pk"))
    assert [(p.pk, p.width, p.height) for p in photos] == [(first, 900, 1200), (second, 320, 200)]
    with Image.open(photos[0].image.path) as stored:
        assert stored.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}


def test_a_bad_file_is_explained_and_an_offline_upload_waits_for_the_network(phone, talk, tmp_path):
    textarea = open_editor(phone, talk)

    phone.set_input_files(
        "input[data-photo-input]:not([capture])",
        files(tmp_path, "page.jpg", b"<!doctype html><title>not a photo</title>"),
    )
    expect(phone.locator(".photo-upload[data-state=failed]")).to_contain_text(
        "This is not a photo hugi can read: use JPEG, PNG, WebP, GIF or HEIC."
    )
    assert textarea.input_value() == ""

    phone.context.set_offline(True)
    phone.set_input_files(
        "input[data-photo-input]:not([capture])",
        files(tmp_path, "offline.jpg", phone_jpeg((400, 300), orientation=1)),
    )
    expect(phone.locator(".photo-upload[data-state=waiting]")).to_be_visible()
    assert re.fullmatch(
        r"!\[Photo waiting for a connection…\]\(#photo-upload-\w+\)\n\n", textarea.input_value()
    )
    assert Photo.objects.count() == 0

    phone.context.set_offline(False)
    wait_for_photos(phone, 1)
    [photo_id] = photo_ids(textarea.input_value())
    assert textarea.input_value() == f"![](/photos/{photo_id}/400/)\n\n"
    assert Photo.objects.get().width == 400
    # Nothing is left in the queue for the next visit.
    assert (
        phone.evaluate(
            """() => new Promise(done => {
            const opening = indexedDB.open("hugi-photos", 1);
            opening.onsuccess = () => {
                const all = opening.result.transaction("uploads").objectStore("uploads").getAll();
                all.onsuccess = () => done(all.result.length);
            };
        })"""
        )
        == 0
    )


def test_an_upload_whose_answer_is_lost_is_sent_again_and_stored_once(phone, talk, tmp_path):
    """On a bad connection a photo can reach the server while its answer never comes back."""
    textarea = open_editor(phone, talk)
    photo = phone_jpeg((400, 300), orientation=1)
    keys = []

    def lose_the_answer_of_the_first_try(route):
        if keys:
            route.continue_()
            return
        # Chromium hands interception the form without the file's bytes: the test sends this
        # first try itself, below, with the editor's key, and the editor hears nothing back.
        keys.append(UPLOAD_KEY.search(route.request.post_data_buffer).group(1).decode())
        route.abort("connectionreset")

    phone.route(f"**/photos/upload/{talk.pk}/", lose_the_answer_of_the_first_try)
    phone.set_input_files(
        "input[data-photo-input]:not([capture])", files(tmp_path, "slide.jpg", photo)
    )
    expect(phone.locator(".photo-upload[data-state=waiting]")).to_be_visible()
    first_try = Client()
    first_try.force_login(User.objects.get(username="ada"))
    stored = first_try.post(
        reverse("photos:upload", args=[talk.pk]),
        {"image": upload(photo, "slide.jpg"), "upload_key": keys[0]},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert stored.status_code == 200 and Photo.objects.count() == 1

    phone.evaluate("() => window.dispatchEvent(new Event('online'))")  # the network is back
    wait_for_photos(phone, 1)
    assert photo_ids(textarea.input_value()) == [Photo.objects.get().pk]
    assert Photo.objects.count() == 1


def test_the_manager_edits_moves_and_deletes_and_the_note_follows(phone, talk, tmp_path):
    textarea = open_editor(phone, talk)
    phone.set_input_files(
        "input[data-photo-input]:not([capture])",
        [
            files(tmp_path, "a.jpg", phone_jpeg((400, 300), orientation=1)),
            files(tmp_path, "b.jpg", phone_jpeg((500, 300), orientation=1)),
        ],
    )
    wait_for_photos(phone, 2)
    first, second = photo_ids(textarea.input_value())
    expect(phone.locator("[data-photo-item]")).to_have_count(2)

    # A caption becomes the photo's alt text in the note too.
    item = phone.locator(f"#photo-{first}")
    item.locator("summary").click()
    item.locator("input[name=caption]").fill("Opening [keynote] slide")
    item.locator("[data-photo-action=update]").click()
    expect(phone.locator(f"#photo-{first} .photo-caption")).to_have_text("Opening [keynote] slide")
    assert textarea.input_value() == (
        f"![Opening \\[keynote\\] slide](/photos/{first}/400/)\n\n![](/photos/{second}/500/)\n\n"
    )

    phone.locator(f"#photo-{second} [data-photo-action=move][value=up]").click()
    expect(phone.locator("[data-photo-item]").first).to_have_id(f"photo-{second}")
    assert list(Photo.objects.values_list("pk", flat=True)) == [second, first]

    phone.once("dialog", lambda dialog: dialog.accept())
    phone.locator(f"#photo-{first} [data-photo-action=delete]").click()
    expect(phone.locator("[data-photo-item]")).to_have_count(1)
    assert textarea.input_value() == f"![](/photos/{second}/500/)\n\n"
    assert list(Photo.objects.values_list("pk", flat=True)) == [second]
