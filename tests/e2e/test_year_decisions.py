"""The year's decision in Chromium: a section head proposes with a 评语, a leader decides all as
proposed after a confirmation page, and the 优秀 counter follows the selects and the decisions."""

import pytest

from efficiency.models import AnnualReview, AuditEvent
from efficiency.models.audit import AuditAction

from .. import test_annual_decision
from ..factories import ensure_default_criteria
from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

judges = test_annual_decision.judges


@pytest.fixture
def year(office, judges):
    """李秀英 computed 优秀 (one place of six graded), the others 称职."""
    ensure_default_criteria()
    return test_annual_decision.close_two_quarters(office, judges)


def test_a_head_proposes_and_a_leader_decides_all_as_proposed(page, office, year):
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, "head")
    page.goto("/")
    page.locator("#year-decision").get_by_role("link", name="年度等次建议").click()
    page.locator("#year-review-list").wait_for()
    assert page.locator("#row-002001").count() == 0  # another section
    row = page.locator("#row-001001")
    assert row.get_by_label("建议等次", exact=True).input_value() == "competent"
    row.get_by_label("评价意见", exact=True).fill("全年工作认真负责，按时完成各项文稿任务。")
    row.get_by_label("建议等次", exact=True).select_option("excellent")
    row.get_by_role("button", name="保存").click()
    page.get_by_text("为王建国建议“优秀”而非计算等次“称职”，须填写理由。").wait_for()
    assert not AnnualReview.objects.exists()
    row = page.locator("#row-001001")
    row.get_by_label("理由（建议等次与计算等次不同时必填）").fill(
        "牵头完成全县防汛材料，成效突出。"
    )
    row.get_by_role("button", name="保存").click()
    page.get_by_text("已保存对王建国的等次建议。").wait_for()
    page.screenshot(path=ARTIFACTS / "year-review-head.png", full_page=True)

    log_in(page, "leader")
    page.goto("/appraisal/annual/2026/decisions/")
    counter = page.locator("#good-counter")
    assert counter.inner_text() == "可评“优秀”1人，已定0人"
    assert "牵头完成全县防汛材料，成效突出。" in page.locator("#row-001001").inner_text()
    # The counter follows the selects before anything is saved.
    page.locator("#row-002001 [data-grade-select]").select_option("excellent")
    assert counter.inner_text() == "可评“优秀”1人，已定1人"
    page.locator("#row-002001 [data-grade-select]").select_option("competent")
    assert counter.inner_text() == "可评“优秀”1人，已定0人"
    page.screenshot(path=ARTIFACTS / "year-decisions-before.png", full_page=True)

    # Two 优秀 for one place: the confirmation names who goes over and asks why.
    page.get_by_role("button", name="全部按建议审定").click()
    page.get_by_text("超出名额 1 人（王建国）：超出须填写理由").wait_for()
    page.screenshot(path=ARTIFACTS / "year-decide-all-confirm.png", full_page=True)
    page.get_by_label("超出名额的理由").fill("经考核委员会研究，同意王建国评为优秀。")
    page.get_by_role("button", name="审定 6 人的等次").click()
    page.get_by_text("已按建议审定 6 人的等次。").wait_for()
    counter = page.locator("#good-counter")
    assert counter.inner_text() == "可评“优秀”1人，已定2人"
    assert "text-danger" in (counter.get_attribute("class") or "")
    page.screenshot(path=ARTIFACTS / "year-decisions-after.png", full_page=True)

    decided = dict(AnnualReview.objects.values_list("staff__staff_no", "grade"))
    assert decided["001001"] == "excellent" and decided["001002"] == "excellent"
    assert AuditEvent.objects.filter(action=AuditAction.ANNUAL_DECIDE).count() == 6
    assert AuditEvent.objects.filter(action=AuditAction.ANNUAL_PROPOSE).count() == 1
