"""The release fingerprint in every ETag: it covers what draws the pages."""

from core import page_cache


def test_the_release_covers_our_apps_the_code_beside_them_and_what_pages_are_drawn_from(settings):
    folders = {
        folder.relative_to(settings.BASE_DIR).as_posix() for folder, _ in page_cache.sources()
    }

    installed_apps = {"sessions", "notes", "accounts", "ops"}
    beside_them = {"core", "public", "config", "templates", "static", "locale"}
    assert folders == installed_apps | beside_them


def test_a_change_to_a_public_view_or_a_template_changes_the_release(settings, tmp_path):
    settings.BASE_DIR = tmp_path  # no installed app lives here: only the folders beside them
    view = tmp_path / "public" / "views" / "page.py"
    template = tmp_path / "templates" / "page.html"
    for path in (view, template):
        path.parent.mkdir(parents=True)
        path.write_text("one")
    first = page_cache.fingerprint()

    view.write_text("two")
    second = page_cache.fingerprint()
    template.write_text("two")
    third = page_cache.fingerprint()

    assert len({first, second, third}) == 3
