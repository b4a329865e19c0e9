"""考核进度 in Chromium: a leader reminds an assessor who is behind, confirms, and the
assessor finds the reminder on their home page."""

import datetime
import os

import pytest

from efficiency.models import Reminder
from efficiency.services import appraisal

from ..factories import ensure_default_criteria
from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    """Set E2E_SCREENSHOTS=1 to keep pictures of the pages for a look."""
    if os.environ.get("E2E_SCREENSHOTS"):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def test_a_leaders_reminder_reaches_the_assessors_home_page(page, office):
    ensure_default_criteria()
    appraisal.period_open(
        actor=office.leader,
        code="2026Q3",
        summary_due=datetime.date(2026, 10, 20),
        marks_due=datetime.date(2026, 10, 27),
    )

    log_in(page, "leader")
    page.goto("/appraisal/")
    page.get_by_role("link", name="进度").first.click()
    page.get_by_role("heading", name="2026年第3季度考核进度").wait_for()
    screenshot(page, "progress-board")
    page.get_by_role("button", name="催办assessor").click()
    page.get_by_text("已催办 assessor。").wait_for()
    page.get_by_role("button", name="催办全部未完成").click()
    page.get_by_text("催办2026年第3季度全部未完成的人？").wait_for()
    screenshot(page, "progress-confirm")
    page.get_by_role("button", name="发送催办").click()
    page.get_by_text("条催办。").wait_for()
    assert Reminder.objects.filter(to_user=office.assessor).count() == 2

    log_in(page, "assessor")
    page.goto("/")
    card = page.locator("#my-reminders")
    card.get_by_text("请于2026-10-27前完成2026年第3季度的评分。").wait_for()
    assert card.locator("li").count() == 1  # the two reminders are one line
    screenshot(page, "home-reminders")
    card.get_by_role("link", name="打开评分表").click()
    page.get_by_text("评分截止").wait_for()
