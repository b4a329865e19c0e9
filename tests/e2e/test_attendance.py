"""The administrator records a person's attendance on /appraisal/<code>/attendance/ with the
keyboard, in Chromium; a mistake is shown on its row."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from efficiency.models import Attendance
from efficiency.services.appraisal import period_open

from ..factories import ensure_default_criteria
from .axe import violations
from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = "/appraisal/2026Q3/attendance/"


@pytest.fixture
def open_period(office):
    ensure_default_criteria()
    return period_open(actor=office.leader, code="2026Q3")


def test_the_administrator_edits_a_row(page, office, open_period):
    log_in(page, "administrator")
    page.goto("/appraisal/")
    page.locator("#p-2026Q3").get_by_role("link", name="出勤情况").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("出勤情况")

    row = page.locator("#staff-001001")
    leave = row.get_by_label("王建国 病事假天数")
    leave.fill("1.2")
    leave.press("Enter")
    expect(page.locator("#staff-001001")).to_contain_text("天数按整天或半天填写，如 1.5。")
    assert not Attendance.objects.exists()

    leave = page.locator("#staff-001001").get_by_label("王建国 病事假天数")
    leave.fill("1.5")
    leave.press("Tab")
    page.keyboard.type("2")  # 迟到早退次数 is next in the row: Tab moved there
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("已保存 王建国 的出勤情况。")
    attendance = Attendance.objects.get(staff=office.person)
    assert (attendance.leave_days, attendance.late_times) == (Decimal("1.5"), 2)
    expect(page.locator("#staff-001001").get_by_label("王建国 病事假天数")).to_have_value("1.5")
    assert violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "attendance.png", full_page=True)
