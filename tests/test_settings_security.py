"""Production settings: no start without a SECRET_KEY, HTTPS from the environment, a clean
``check --deploy`` once they are set, and sessions that end at browser close or after 2 hours idle.

The start-up checks run Python in a child process with a chosen environment, as a server would.
"""

import datetime
import os
import secrets
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from .conftest import login

ROOT = settings.BASE_DIR
PRODUCTION = {
    "SECRET_KEY": "x7Gq2-not-a-real-key-but-long-and-random-enough-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "kaohe.example.gov.cn",
    "SECURE_COOKIES": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "BEHIND_PROXY": "true",
}
SETTING_NAMES = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_AGE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
]


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Python in a fresh process whose environment has none of ours but PATH and ``env``."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "efficiency.settings",
        "TEST_SQLITE": os.environ.get("TEST_SQLITE", ""),
        **env,
    }
    environment = {key: value for key, value in environment.items() if value}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_in(**env: str) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {SETTING_NAMES!r}}}))"
    )
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def checkout_key():
    """The checkout's own key, as `make setup` writes it, so both cases are tested."""
    path = settings.CHECKOUT_KEY_FILE
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50) + "\n")
    return path.read_text().strip()


def test_the_web_server_refuses_to_start_without_a_secret_key(checkout_key):
    result = run(["-c", "import efficiency.wsgi"])
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is not set" in result.stderr
    assert 'python -c "import secrets; print(secrets.token_urlsafe(50))"' in result.stderr
    assert "未设置 SECRET_KEY" in result.stderr


def test_a_blank_secret_key_counts_as_none(checkout_key):
    result = run(["-c", "import efficiency.wsgi"], SECRET_KEY="   ")
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr


def test_the_web_server_starts_with_its_own_key():
    code = "import efficiency.wsgi; from django.conf import settings; print(settings.SECRET_KEY)"
    result = run(["-c", code], SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == PRODUCTION["SECRET_KEY"]


def test_commands_use_the_checkout_key_and_check_deploy_says_so(checkout_key):
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.SECRET_KEY)"
    result = run(["-c", code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == checkout_key

    result = run(["manage.py", "check", "--deploy"])
    assert result.returncode == 0, result.stderr
    assert "efficiency.W101" in result.stderr + result.stdout


def test_check_deploy_is_clean_with_the_readme_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_https_settings_come_from_the_environment():
    plain = settings_in(SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert plain["DEBUG"] is False
    assert plain["SESSION_COOKIE_SECURE"] is False and plain["SECURE_SSL_REDIRECT"] is False
    assert plain["SECURE_HSTS_SECONDS"] == 0 and plain["SECURE_PROXY_SSL_HEADER"] is None

    https = settings_in(**PRODUCTION)
    assert https["SESSION_COOKIE_SECURE"] is True and https["CSRF_COOKIE_SECURE"] is True
    assert https["SECURE_SSL_REDIRECT"] is True
    assert https["SECURE_HSTS_SECONDS"] == 31536000
    assert https["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and https["SECURE_HSTS_PRELOAD"] is True
    assert https["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_session_lifetime_comes_from_the_environment():
    default = settings_in(SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert default["SESSION_COOKIE_AGE"] == 2 * 60 * 60
    assert default["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    custom = settings_in(
        SECRET_KEY=PRODUCTION["SECRET_KEY"],
        SESSION_IDLE_MINUTES="30",
        SESSION_EXPIRE_AT_BROWSER_CLOSE="false",
    )
    assert custom["SESSION_COOKIE_AGE"] == 30 * 60
    assert custom["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is False


# --- sessions ----------------------------------------------------------------------------------

START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_the_session_cookie_ends_with_the_browser(office):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "clerk", "password": "pw-for-tests-2026"}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"] is True


@pytest.mark.django_db
def test_two_hours_idle_end_the_session(office):
    with time_machine.travel(START, tick=False) as traveller:
        client = login(office.clerk)
        assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(hours=2, minutes=1))
        response = client.get("/")
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_working_keeps_the_session_alive(office):
    with time_machine.travel(START, tick=False) as traveller:
        client = login(office.clerk)
        for _hour in range(5):
            traveller.shift(datetime.timedelta(minutes=110))
            assert client.get("/").status_code == 200


def test_a_number_that_is_not_one_stops_the_start_with_its_name():
    result = run(
        ["-c", "import django; django.setup()"],
        SECRET_KEY=PRODUCTION["SECRET_KEY"],
        SESSION_IDLE_MINUTES="两小时",
    )
    assert result.returncode != 0
    assert "SESSION_IDLE_MINUTES must be a whole number, not '两小时'." in result.stderr
