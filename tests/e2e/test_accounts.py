"""Logins and the demo band, seen in Chromium as people see them."""

import pytest

from efficiency.models import DemoMark

from .conftest import ARTIFACTS, log_in

LOCKED = "该用户名在这台电脑上已连续 5 次输错密码，本机暂停用该用户名登录，请 15 分钟后再试。"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def try_password(page, username: str, password: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_five_wrong_passwords_pause_the_username_with_a_chinese_message(page, office):
    page.goto("/accounts/login/")
    for _ in range(4):
        try_password(page, "clerk", "wrong-password")
        page.get_by_text("用户名或密码错误，请重新输入。").wait_for()
    try_password(page, "clerk", "wrong-password")
    page.get_by_role("heading", name="登录失败次数过多").wait_for()
    alert = page.get_by_role("alert").inner_text()
    assert LOCKED in alert
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "accounts-locked-out.png", full_page=True)

    page.get_by_role("link", name="返回登录页").click()
    try_password(page, "clerk", "pw-for-tests-2026")
    page.get_by_role("heading", name="登录失败次数过多").wait_for()
    assert "/accounts/login/" in page.url

    # Another person at the same computer is not affected.
    log_in(page, "head")


def test_the_demo_band_shows_on_the_pages_and_the_admin(page, office):
    DemoMark.objects.create()
    page.goto("/accounts/login/")
    band = page.get_by_role("note").filter(has_text="演示数据")
    assert band.is_visible()
    log_in(page, "administrator")
    assert band.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "accounts-demo-band.png")
    page.goto("/admin/")
    assert page.get_by_role("note").filter(has_text="演示数据").is_visible()
    page.screenshot(path=ARTIFACTS / "accounts-demo-band-admin.png")
