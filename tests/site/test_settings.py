"""config/settings.py reads the environment once and refuses bad values loudly."""

import ast
import os
import subprocess
import sys

import pytest

from tests.support.paths import ROOT

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-for-tests-0123456789",
    "ALLOWED_HOSTS": "hugi.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://hugi.example.org",
}


def run(code, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_value(expression, **env):
    result = run(f"from django.conf import settings; print(repr(({expression})))", **env)
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip())


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "false"}, "SECRET_KEY must be set when DEBUG is false"),
        ({"DEBUG": "false", "SECRET_KEY": "short"}, "SECRET_KEY must be a random string"),
        ({**PRODUCTION, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set when DEBUG is false"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false, not 'maybe'"),
        ({"LOGIN_FAILURE_LIMIT": "many"}, "LOGIN_FAILURE_LIMIT must be a whole number"),
        ({"DATABASE_URL": "nonsense://x"}, "DATABASE_URL is not a database URL"),
        ({"CACHE_URL": "memcached://x"}, "CACHE_URL must be redis://"),
    ],
)
def test_bad_configuration_is_refused_with_a_clear_message(env, message):
    result = run("from django.conf import settings; settings.DEBUG", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_development_defaults_use_sqlite_under_var():
    assert settings_value("settings.DATABASES['default']['ENGINE']") == "django.db.backends.sqlite3"
    assert settings_value("str(settings.DATABASES['default']['NAME'])") == str(
        ROOT / "var" / "hugi.sqlite3"
    )
    assert (
        settings_value("settings.DATABASES['default']['OPTIONS']['transaction_mode']")
        == "IMMEDIATE"
    )
    assert settings_value("settings.DEBUG") is True
    assert settings_value("settings.USE_TZ, settings.TIME_ZONE") == (True, "UTC")
    assert settings_value("[code for code, _ in settings.LANGUAGES]") == ["en", "ko"]


def test_database_url_switches_to_postgresql():
    value = settings_value(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']",
        DATABASE_URL="postgres://hugi@db.example.org:5432/hugi",
    )
    assert value == ("django.db.backends.postgresql", "hugi")


def test_production_settings_pass_check_deploy_without_warnings():
    result = run(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_trusts_the_proxy_for_https():
    assert settings_value("settings.SECURE_PROXY_SSL_HEADER", **PRODUCTION) == (
        "HTTP_X_FORWARDED_PROTO",
        "https",
    )
    assert settings_value(
        "settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE", **PRODUCTION
    ) == (True, True)
    redirect = settings_value(
        "settings.SECURE_SSL_REDIRECT", SECURE_SSL_REDIRECT="false", **PRODUCTION
    )
    assert redirect is False


def test_the_embedded_default_keeps_connections_as_a_database_url_does(tmp_path):
    """Without DATABASE_URL hugi uses var/hugi.sqlite3 with the same connection policy as any
    DATABASE_URL: a connection lasts CONN_MAX_AGE seconds, checked before it is reused."""
    expression = (
        'dict(settings.DATABASES["default"], NAME=str(settings.DATABASES["default"]["NAME"]))'
    )
    default = settings_value(expression)
    assert (default["CONN_MAX_AGE"], default["CONN_HEALTH_CHECKS"]) == (60, True)
    assert default["NAME"] == str(ROOT / "var" / "hugi.sqlite3")
    same_file = settings_value(expression, DATABASE_URL=f"sqlite:///{ROOT}/var/hugi.sqlite3")
    assert same_file == default


def test_a_connection_outlives_the_end_of_a_request(tmp_path):
    code = (
        "import django; django.setup()\n"
        "from django.db import close_old_connections, connection\n"
        "connection.ensure_connection(); first = connection.connection\n"
        "close_old_connections()  # what the end of every request does\n"
        "connection.ensure_connection(); print(connection.connection is first)\n"
    )
    result = run(code, DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_migrate_puts_the_sqlite_file_in_wal_mode_once_not_each_connection(tmp_path):
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.management import call_command\n"
        "from django.db import connection\n"
        "print(settings.DATABASES['default']['OPTIONS']['init_command'])\n"
        "call_command('migrate', verbosity=0)\n"
        "connection.close()\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('PRAGMA journal_mode'); print(cursor.fetchone()[0])\n"
    )
    result = run(code, DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["PRAGMA synchronous=NORMAL;", "wal"]
