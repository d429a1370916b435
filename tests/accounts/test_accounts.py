"""Signing in and out, password change, self-service sign-up, and login rate limiting."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_sign_in_with_the_right_password_goes_to_my_hugi(client, owner):
    response = sign_in(client, "owner", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("notes:me")
    assert client.get(reverse("notes:me")).context["user"] == owner


def test_sign_in_follows_a_safe_next_url(client, owner):
    response = client.post(
        reverse("login"), {"username": "owner", "password": PASSWORD, "next": "/notes/1/"}
    )
    assert response["Location"] == "/notes/1/"


def test_a_wrong_password_shows_the_form_again_with_one_clear_line(client, owner):
    response = sign_in(client, "owner", "wrong")
    assert response.status_code == 200
    page = response.content.decode()
    assert "That username and password do not match. Please try again." in page
    assert 'value="owner"' in page
    assert "_auth_user_id" not in client.session


def test_the_sixth_attempt_is_refused_after_five_wrong_passwords_even_if_right(client, owner):
    statuses = [sign_in(client, "owner", "wrong").status_code for _ in range(5)]
    # The fifth failure reaches the limit: it is already answered with the lockout page.
    assert statuses == [200, 200, 200, 200, 429]
    locked = sign_in(client, "owner", PASSWORD)
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_of_one_account_leaves_others_alone(client, owner, other_user):
    for _ in range(6):
        sign_in(client, "owner", "wrong")
    assert sign_in(client, "other", PASSWORD).status_code == 302


def behind_proxy(forwarded_for):
    """A browser behind one proxy, which passes on who connected in X-Forwarded-For."""
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_a_proxy_failures_count_against_the_client_not_the_proxy(owner, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = behind_proxy("203.0.113.5")
    for _ in range(5):
        sign_in(attacker, "owner", "wrong")
    assert sign_in(attacker, "owner", PASSWORD).status_code == 429
    # The owner, arriving through the same proxy from elsewhere, still gets in.
    assert sign_in(behind_proxy("198.51.100.7"), "owner", PASSWORD).status_code == 302


def test_a_made_up_forwarded_address_does_not_escape_the_limit(owner, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client sends its own X-Forwarded-For; the proxy appends the real address to it.
    statuses = [
        sign_in(behind_proxy(f"10.0.0.{n}, 203.0.113.5"), "owner", "wrong").status_code
        for n in range(6)
    ]
    assert statuses[-1] == 429


def test_a_forwarded_entry_that_is_not_an_address_counts_as_the_proxy(owner, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = sign_in(behind_proxy("203.0.113.5:4711"), "owner", "wrong")
    assert response.status_code == 200  # not a 500 from storing "203.0.113.5:4711"
    from axes.models import AccessAttempt

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]


def test_without_a_proxy_the_header_is_ignored(owner, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        sign_in(behind_proxy(f"203.0.113.{n}"), "owner", "wrong")
    assert sign_in(behind_proxy("198.51.100.7"), "owner", PASSWORD).status_code == 429


def test_the_login_form_needs_the_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, "owner", PASSWORD).status_code == 403


def test_sign_out_is_a_post_and_ends_the_session(owner_client):
    assert owner_client.get(reverse("logout")).status_code == 405
    response = owner_client.post(reverse("logout"))
    assert response.status_code == 302
    assert owner_client.get(reverse("notes:me")).status_code == 302


def test_the_login_page_forgets_pages_kept_offline(client):
    page = client.get(reverse("login")).content.decode()
    assert '<script src="/static/js/signed-out.js" defer></script>' in page


def test_password_change(owner_client, owner):
    url = reverse("password_change")
    assert f'<a href="{url}">Change password</a>' in owner_client.get("/me/").content.decode()
    assert owner_client.get(url).status_code == 200
    response = owner_client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "a much better passphrase 42",
            "new_password2": "a much better passphrase 42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    owner.refresh_from_db()
    assert owner.check_password("a much better passphrase 42")
    page = owner_client.get(reverse("password_change_done")).content.decode()
    assert "Your password was changed." in page


def test_password_change_with_the_wrong_old_password_changes_nothing(owner_client, owner):
    response = owner_client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "x" * 20, "new_password2": "x" * 20},
    )
    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_sign_up_is_off_by_default(client, settings):
    assert settings.SIGNUP_ENABLED is False
    assert client.get(reverse("signup")).status_code == 404
    response = client.post(
        reverse("signup"),
        {
            "username": "newbie",
            "password1": "a long new password 9",
            "password2": "a long new password 9",
        },
    )
    assert response.status_code == 404
    assert not get_user_model().objects.filter(username="newbie").exists()
    assert reverse("signup") not in client.get(reverse("login")).content.decode()


def test_sign_up_when_enabled_creates_the_account_and_signs_in(client, settings):
    settings.SIGNUP_ENABLED = True
    assert reverse("signup") in client.get(reverse("login")).content.decode()
    response = client.post(
        reverse("signup"),
        {
            "username": "newbie",
            "email": "",
            "password1": "a long new password 9",
            "password2": "a long new password 9",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("notes:me")
    user = get_user_model().objects.get(username="newbie")
    assert client.get(reverse("notes:me")).context["user"] == user


def test_sign_up_refuses_mismatched_passwords(client, settings):
    settings.SIGNUP_ENABLED = True
    response = client.post(
        reverse("signup"),
        {"username": "newbie", "password1": "a long new password 9", "password2": "different 9"},
    )
    assert response.status_code == 200
    assert "The two password fields didn’t match." in response.content.decode()
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_signed_in_again_page_needs_sign_in(client, owner_client):
    assert Client().get(reverse("signed_in")).status_code == 302
    page = owner_client.get(reverse("signed_in")).content.decode()
    assert "You are signed in again" in page


def test_with_no_forwarded_header_the_connection_is_counted_and_the_setup_flagged(
    owner, settings, caplog
):
    """Clients that reach gunicorn directly, past the proxy that TRUSTED_PROXY_COUNT expects:
    each sign-in is counted by its connection and says in the log that the setup is wrong."""
    settings.TRUSTED_PROXY_COUNT = 1
    direct = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [sign_in(direct, "owner", "wrong").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    from axes.models import AccessAttempt

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]
    flagged = [r.getMessage() for r in caplog.records if r.name == "accounts.lockout"]
    assert len(flagged) == 5  # one line per sign-in
    assert flagged[0].startswith(
        "Sign-in from 203.0.113.9 with 0 X-Forwarded-For entries, but TRUSTED_PROXY_COUNT=1"
    )


def test_through_the_expected_proxies_nothing_is_flagged(owner, settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    sign_in(behind_proxy("203.0.113.5"), "owner", "wrong")
    assert [r for r in caplog.records if r.name == "accounts.lockout"] == []


def test_a_negative_proxy_count_is_an_error_and_counts_the_connection(owner, settings):
    settings.TRUSTED_PROXY_COUNT = -1
    assert "notes.E001" in notes_check_ids()
    # Never an entry counted from the left, which the client writes itself.
    statuses = [
        sign_in(behind_proxy(f"10.0.0.1, 10.0.0.{n}, 203.0.113.5"), "owner", "wrong").status_code
        for n in range(5)
    ]
    assert statuses[-1] == 429


def notes_check_ids():
    from django.core.checks import run_checks

    return [m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("notes.")]


@pytest.mark.parametrize(("count", "expected"), [(0, ["notes.W001"]), (1, []), (2, [])])
def test_check_deploy_warns_when_sign_ins_are_counted_by_the_proxy(settings, count, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert notes_check_ids() == expected


def reset_urls():
    # Not at import: reversing then would build the URL patterns before the test settings.
    return [
        reverse("password_reset"),
        reverse("password_reset_done"),
        reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "set-password"}),
        reverse("password_reset_complete"),
    ]


def test_without_email_no_password_reset_is_offered(client, owner, settings, mailoutbox):
    assert settings.EMAIL_ENABLED is False
    assert reverse("password_reset") not in client.get(reverse("login")).content.decode()
    assert [client.get(url).status_code for url in reset_urls()] == [404, 404, 404, 404]
    assert client.post(reverse("password_reset"), {"email": owner.email}).status_code == 404
    assert mailoutbox == []


@pytest.fixture
def email_enabled(settings):
    settings.EMAIL_ENABLED = True
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def test_with_email_a_reset_link_is_mailed_and_sets_a_new_password(
    client, owner, email_enabled, mailoutbox
):
    login_page = client.get(reverse("login")).content.decode()
    assert f'<a href="{reverse("password_reset")}">Forgot your password?</a>' in login_page
    response = client.post(reverse("password_reset"), {"email": "owner@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert (
        "a link to choose a new password is on its way"
        in client.get(reverse("password_reset_done")).content.decode()
    )

    [message] = mailoutbox
    assert message.to == ["owner@example.org"]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body)[1]
    form_url = client.get(link)["Location"]  # the token moves into the session
    assert "Choose a new password" in client.get(form_url).content.decode()
    new_password = "a much better passphrase 42"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response["Location"] == reverse("password_reset_complete")
    owner.refresh_from_db()
    assert owner.check_password(new_password)
    assert (
        "This link has expired or was used already."
        in client.get(link, follow=True).content.decode()
    )


def test_with_email_an_unknown_address_gets_the_same_answer_and_no_mail(
    client, owner, email_enabled, mailoutbox
):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_an_account_gets_at_most_one_reset_mail_a_quarter_hour(
    client, owner, email_enabled, mailoutbox
):
    for _attempt in range(5):
        response = client.post(reverse("password_reset"), {"email": "owner@example.org"})
        assert response["Location"] == reverse("password_reset_done")  # the same answer
    assert [message.to for message in mailoutbox] == [["owner@example.org"]]
