"""The year's 个人总结 in Chromium: the person writes (autosaved) and submits on their year page,
the head returns it with a comment from the year's proposals page, the person rewrites and
submits again, the head accepts it."""

import pytest

from efficiency.models import AnnualSummary, SummaryStatus
from efficiency.services import appraisal

from ..factories import ensure_default_criteria
from ..test_annual_decision import close_two_quarters
from ..test_view_results import judges  # noqa: F401 - a fixture
from .axe import violations
from .conftest import log_in
from .test_summaries import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR_PAGE = "/appraisal/annual/2026/notice/001001/"


def test_a_year_summary_is_written_returned_rewritten_and_accepted(page, office, judges):  # noqa: F811
    ensure_default_criteria()
    close_two_quarters(office, judges)
    appraisal.period_open(actor=office.leader, code="2026Q4")

    log_in(page, "named")
    page.goto(YEAR_PAGE)
    text = page.get_by_label("本年度工作总结")
    text.fill("全年完成收发文件登记一千二百余件。")
    page.get_by_text("已输入17/3000字").wait_for()
    page.locator("#summary-saved").get_by_text("已自动保存").wait_for(timeout=30_000)
    assert page.locator("#summary-status").inner_text() == "草稿"
    assert AnnualSummary.objects.get().status == SummaryStatus.DRAFT
    page.get_by_role("button", name="提交").click()
    page.get_by_text("年度个人总结已提交。").wait_for()
    screenshot(page, "year-summary-mine")
    assert violations(page) == []

    log_in(page, "head")
    page.goto("/appraisal/annual/2026/review/")
    screenshot(page, "year-summary-review-list")
    assert violations(page) == []
    page.locator("#summary-001001").click()
    page.locator("#summary-read").get_by_text("全年完成收发文件登记一千二百余件。").wait_for()
    screenshot(page, "year-summary-detail")
    assert violations(page) == []
    page.get_by_label("意见（退回时必填）").fill("请补充下一年度的打算。")
    page.get_by_role("button", name="退回").click()
    page.get_by_role("button", name="退回").click()
    page.get_by_text("已退回王建国的年度个人总结。").wait_for()

    log_in(page, "named")
    page.goto(YEAR_PAGE)
    page.get_by_text("已退回修改").wait_for()
    page.get_by_text("请补充下一年度的打算。").wait_for()
    screenshot(page, "year-summary-returned")
    page.get_by_label("本年度工作总结").fill("全年完成收发文件登记一千二百余件。明年重点做好督办。")
    page.get_by_role("button", name="提交").click()
    page.get_by_text("年度个人总结已提交。").wait_for()

    log_in(page, "head")
    page.goto("/appraisal/annual/2026/summary/001001/")
    page.get_by_role("button", name="接受").click()
    page.get_by_role("button", name="接受").click()
    page.get_by_text("已接受王建国的年度个人总结。").wait_for()
    summary = AnnualSummary.objects.get()
    assert summary.status == SummaryStatus.ACCEPTED
    assert summary.text == "全年完成收发文件登记一千二百余件。明年重点做好督办。"
