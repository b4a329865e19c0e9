"""Login throttling (django-axes): five wrong passwords for one username from one address
lock that pair for 15 minutes, with a Chinese explanation; an administrator sees and lifts
lockouts; logins, good and bad, are logged. Sessions end at browser close and after 2 hours idle.
"""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client

from .conftest import login

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-2026"
LOCKED = "该用户名在这台电脑上已连续 5 次输错密码，本机暂停用该用户名登录，请 15 分钟后再试。"
START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def attempt(client: Client, username: str, password: str, address: str = "10.0.0.7"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def fail(client: Client, username: str, times: int, address: str = "10.0.0.7") -> None:
    for _ in range(times):
        response = attempt(client, username, "wrong-password", address)
        assert response.status_code in (200, 429)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_four_failures_still_let_the_right_password_in(office):
    client = Client()
    fail(client, "clerk", 4)
    response = attempt(client, "clerk", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_the_fifth_failure_locks_the_pair_with_a_chinese_message(office):
    client = Client()
    fail(client, "clerk", 4)
    response = attempt(client, "clerk", "wrong-password")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()

    response = attempt(client, "clerk", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not logged_in(client)


def test_fifty_failures_then_the_right_password_is_refused(office):
    client = Client()
    fail(client, "leader", 50)
    response = attempt(client, "leader", PASSWORD)
    assert response.status_code == 429 and not logged_in(client)


def test_the_lock_is_for_that_username_from_that_address_only(office):
    fail(Client(), "clerk", 5)
    elsewhere = Client()
    assert attempt(elsewhere, "clerk", PASSWORD, address="10.0.0.8").status_code == 302
    other_user = Client()
    assert attempt(other_user, "head", PASSWORD).status_code == 302


def test_the_lock_lifts_after_15_minutes(office):
    with time_machine.travel(START, tick=False) as traveller:
        fail(Client(), "clerk", 5)
        traveller.shift(datetime.timedelta(minutes=14))
        assert attempt(Client(), "clerk", PASSWORD).status_code == 429
        # Trying during the lockout starts the 15 minutes again.
        traveller.shift(datetime.timedelta(minutes=15, seconds=1))
        client = Client()
        assert attempt(client, "clerk", PASSWORD).status_code == 302 and logged_in(client)


def test_the_admin_login_is_throttled_too(office):
    client = Client()
    for _ in range(5):
        client.post(
            "/admin/login/",
            {"username": "administrator", "password": "wrong"},
            REMOTE_ADDR="10.0.0.9",
        )
    response = client.post(
        "/admin/login/",
        {"username": "administrator", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 429 and not logged_in(client)


def test_an_administrator_sees_and_lifts_a_lockout(office):
    fail(Client(), "clerk", 5)
    admin = login(office.administrator)
    index = admin.get("/admin/").content.decode()
    assert "登录安全" in index and "登录失败计数" in index
    listing = admin.get("/admin/axes/accessattempt/?locked_out=yes")
    assert listing.status_code == 200
    assert "clerk" in listing.content.decode() and "已锁定" in listing.content.decode()
    [locked] = AccessAttempt.objects.filter(username="clerk")
    response = admin.post(f"/admin/axes/accessattempt/{locked.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="clerk").exists()
    client = Client()
    assert attempt(client, "clerk", PASSWORD).status_code == 302 and logged_in(client)


def test_other_roles_cannot_lift_a_lockout(office):
    fail(Client(), "clerk", 5)
    [locked] = AccessAttempt.objects.filter(username="clerk")
    response = login(office.leader).post(
        f"/admin/axes/accessattempt/{locked.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert AccessAttempt.objects.filter(username="clerk").exists()


def test_successful_and_failed_logins_are_logged(office):
    client = Client()
    fail(client, "head", 2)
    attempt(client, "head", PASSWORD)
    assert AccessFailureLog.objects.filter(username="head", ip_address="10.0.0.7").count() == 2
    assert AccessLog.objects.filter(username="head", ip_address="10.0.0.7").count() == 1
    admin = login(office.administrator)
    assert admin.get("/admin/axes/accesslog/").status_code == 200
    assert admin.get("/admin/axes/accessfailurelog/").status_code == 200


def test_logins_go_to_the_server_log(office, caplog):
    client = Client()
    fail(client, "head", 1)
    attempt(client, "head", PASSWORD)
    messages = [record.getMessage() for record in caplog.records]
    assert 'AXES: New login failure by {username: "head", ip_address: "10.0.0.7",' in "".join(
        messages
    )
    assert 'AXES: Successful login by {username: "head", ip_address: "10.0.0.7",' in "".join(
        messages
    )


def test_behind_the_proxy_the_forwarded_address_counts(office, settings):
    settings.BEHIND_PROXY = True
    client = Client()
    for _ in range(5):
        client.post(
            "/accounts/login/",
            {"username": "clerk", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.20",
        )
    assert AccessAttempt.objects.get(username="clerk").ip_address == "10.0.0.20"
    # A colleague at another desk, through the same proxy, is not locked out.
    colleague = Client()
    response = colleague.post(
        "/accounts/login/",
        {"username": "clerk", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.0.0.21",
    )
    assert response.status_code == 302
