"""The quarter as people live it: an assessor marks the sheet with the keyboard, and a leader
reads the resulting ranking and decides a grade."""

import pytest
from playwright.sync_api import expect

from efficiency.models import GradeReview
from efficiency.services.appraisal import period_open

from ..factories import ensure_default_criteria
from .conftest import log_in
from .test_scoresheet import all_saved

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_period(office):
    ensure_default_criteria()
    return period_open(actor=office.leader, code="2026Q3")


def test_marks_typed_by_an_assessor_become_the_leaders_ranking(page, office, open_period):
    log_in(page, "assessor")
    page.goto("/appraisal/2026Q3/sheet/")
    keyboard = page.keyboard
    page.locator("#sheet-search").focus()
    keyboard.press("Tab")  # 刘科长 (001000), 履行职责
    for value in ("70", "72", "74"):
        keyboard.type(value)
        keyboard.press("Tab")
    page.locator("#sheet-search").focus()
    keyboard.press("Tab")
    keyboard.press("Enter")  # 王建国 (001001), 履行职责
    keyboard.type("92")
    keyboard.press("Tab")
    keyboard.type("91")
    keyboard.press("Tab")
    keyboard.type("90")
    keyboard.press("Enter")  # 李秀英 (001002), 服务质量
    keyboard.type("85")
    keyboard.press("Shift+Tab")
    keyboard.type("84")
    keyboard.press("Shift+Tab")
    keyboard.type("86")
    keyboard.press("Tab")
    all_saved(page)
    expect(page.locator("#progress-marked")).to_have_text("9")

    log_in(page, "leader")
    page.goto("/appraisal/2026Q3/ranking/")
    # 40% × 92 + 40% × 91 + 20% × 90 = 91.2; 40% × 86 + 40% × 84 + 20% × 85 = 85.0;
    # 40% × 70 + 40% × 72 + 20% × 74 = 71.6. Three graded: at most one 好.
    expected = [
        ("001001", "1", "91.20", "好"),
        ("001002", "2", "85.00", "较好"),
        ("001000", "3", "71.60", "一般"),
    ]
    for key, rank, final, grade in expected:
        row = page.locator(f"#row-{key}")
        assert row.locator(".rank").inner_text() == rank
        assert final in row.inner_text()
        assert row.locator(".grade").inner_text() == grade

    page.locator("#row-001002 [data-decide]").click()
    row = page.locator("#row-001002")
    row.get_by_label("审定等次").select_option("good")
    row.get_by_label("理由", exact=True).fill("承担全县防汛材料起草，表现突出。")
    row.get_by_role("button", name="审定", exact=True).click()
    page.get_by_role("button", name="保存审定").click()
    page.wait_for_url("**/appraisal/2026Q3/decisions/**")
    page.goto("/appraisal/2026Q3/ranking/")
    expect(page.locator("#row-001002 .grade")).to_have_text("好")
    expect(page.get_by_text("经领导调整后，2 人定为“好”等次，超过名额 1 个")).to_be_visible()
    override = GradeReview.objects.get()
    assert (override.staff, override.grade) == (office.colleague, "good")
