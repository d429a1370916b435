"""Security headers on representative pages, and markup that the Content-Security-Policy allows.

Every page carries a CSP whose scripts and styles need the response's nonce (no 'unsafe-inline',
no other site), nosniff, a referrer policy, COOP and X-Frame-Options DENY. Each HTML page is
parsed too: an inline <script> or <style> without the nonce, a style="" attribute or an on…=""
handler would be blocked by the browser, which is a visible breakage.
"""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.support.hardening_world import build_site
from tests.support.page_checks import csp_breakage, csp_directives, csp_nonce, foreign_sources

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def site():
    return build_site()


def pages(site):
    """(who, url) for one page of each kind; who is None (anonymous), "owner" or "staff"."""
    conference, session = site.conference, site.sessions[0]
    return [
        (None, "/"),
        (None, conference.get_absolute_url()),
        (None, reverse("public:day", kwargs={"conf": conference.slug, "date": "2025-08-15"})),
        (None, session.get_absolute_url()),
        (None, reverse("public:speakers", kwargs={"conf": conference.slug})),
        (None, site.speaker.get_absolute_url()),
        (None, reverse("public:writeup", kwargs={"conf": conference.slug, "username": "owner"})),
        (None, reverse("public:search") + "?q=talk"),
        (None, reverse("login")),
        (None, "/no-such-page/"),
        ("owner", reverse("notes:editor", args=[session.pk])),
        ("owner", reverse("notes:me")),
        ("owner", reverse("writeups:compose", kwargs={"conf": conference.slug})),
        ("owner", session.get_absolute_url()),
        ("owner", reverse("public:search") + "?q=PUBLIC"),
        (None, reverse("admin:login")),
        ("staff", reverse("admin:index")),
        ("staff", reverse("admin:program_session_changelist")),
        # The markdownx widget with its preview, in the admin.
        ("staff", reverse("admin:program_session_change", args=[session.pk])),
        ("staff", reverse("admin:program_conference_add")),
    ]


def client_for(site, who):
    client = Client()
    if who:
        client.force_login(getattr(site, who))
    return client


def test_every_page_sends_a_strict_csp_and_the_other_security_headers(site):
    for who, url in pages(site):
        response = client_for(site, who).get(url)
        where = f"{url} as {who or 'anonymous'}"
        assert response.status_code in (200, 404), where
        directives = csp_directives(response)
        # Django names a nonce only on pages that used one (for a nonce'd inline block).
        nonce = csp_nonce(response)
        allowed = ["'self'", f"'nonce-{nonce}'"] if nonce else ["'self'"]
        for name in ("script-src", "style-src"):
            assert directives[name] == allowed, where
        assert directives["default-src"] == ["'self'"], where
        assert directives["object-src"] == ["'none'"], where
        assert directives["frame-ancestors"] == ["'none'"], where
        assert directives["base-uri"] == ["'self'"], where
        assert directives["form-action"] == ["'self'"], where
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], where
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], where
        assert foreign_sources(directives) == [], where
        assert response["X-Content-Type-Options"] == "nosniff", where
        assert response["Referrer-Policy"] == "same-origin", where
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
        assert response["X-Frame-Options"] == "DENY", where


def test_each_response_has_its_own_long_nonce(site):
    client = Client()
    url = site.conference.get_absolute_url()  # its timeline has a nonce'd <style>
    nonces = {csp_nonce(client.get(url)) for _ in range(3)}
    assert len(nonces) == 3
    assert min(len(nonce) for nonce in nonces) >= 16


def test_no_page_has_markup_that_the_policy_would_block(site):
    problems = {}
    for who, url in pages(site):
        response = client_for(site, who).get(url)
        found = csp_breakage(response.content.decode(), csp_nonce(response))
        if found:
            problems[f"{url} as {who or 'anonymous'}"] = found
    assert problems == {}


def test_pages_with_inline_styles_give_them_the_nonce(site):
    """The timeline's and session page's track colours are nonce'd <style> blocks."""
    for url in (site.conference.get_absolute_url(), site.sessions[0].get_absolute_url()):
        response = Client().get(url)
        html = response.content.decode()
        assert f'<style nonce="{csp_nonce(response)}">' in html, url


def test_the_check_catches_what_the_browser_would_block():
    """The checker itself: each kind of breakage is named, a nonce'd block is fine."""
    html = (
        '<html><head><style nonce="abc">p{}</style><style>q{}</style></head><body>'
        '<script nonce="abc">1</script><script>2</script><script src="/x.js"></script>'
        '<script type="application/json">{"a": 1}</script>'
        '<p style="color:red" onclick="x()"><a href="javascript:alert(1)">x</a></p></body></html>'
    )
    assert [line.split(":")[0] for line in csp_breakage(html, "abc")] == [
        "inline <script> without the nonce",
        "<style> without the nonce",
        'style="color',
        "onclick= handler on <p>",
        "javascript",
    ]


# --- production: HTTPS behind the proxy ---

PRODUCTION = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}
# Over HTTPS the CSRF check also wants the form to come from this origin.
SAME_ORIGIN = {**HTTPS, "HTTP_ORIGIN": "https://testserver"}


@override_settings(**PRODUCTION)
def test_production_pages_over_https_send_hsts(site):
    for who, url in pages(site):
        response = client_for(site, who).get(url, secure=True, **HTTPS)
        assert response.status_code in (200, 404), url
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), url


@override_settings(**PRODUCTION)
def test_production_trusts_x_forwarded_proto_and_redirects_plain_http(site):
    client = Client()
    plain = client.get("/")
    assert (plain.status_code, plain["Location"]) == (301, "https://testserver/")
    assert "Strict-Transport-Security" not in plain  # HSTS is only sent over HTTPS
    proxied = client.get("/", **HTTPS)
    assert proxied.status_code == 200
    assert "Strict-Transport-Security" in proxied


@override_settings(**PRODUCTION)
def test_production_cookies_are_secure_and_the_session_cookie_is_http_only(site):
    client = Client(enforce_csrf_checks=True)
    form = client.get(reverse("login"), secure=True, **HTTPS)
    csrf = form.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    response = client.post(
        reverse("login"),
        {"username": "owner", "password": PASSWORD, "csrfmiddlewaretoken": csrf.value},
        secure=True,
        **SAME_ORIGIN,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert response.cookies["csrftoken"]["secure"] is True  # rotated at sign-in


@override_settings(**PRODUCTION)
def test_production_refuses_a_form_posted_from_another_origin(site):
    client = Client(enforce_csrf_checks=True)
    form = client.get(reverse("login"), secure=True, **HTTPS)
    token = form.cookies["csrftoken"].value
    response = client.post(
        reverse("login"),
        {"username": "owner", "password": PASSWORD, "csrfmiddlewaretoken": token},
        secure=True,
        **{**HTTPS, "HTTP_ORIGIN": "https://evil.example"},
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
