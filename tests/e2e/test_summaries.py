"""个人小结 in Chromium: a person writes (autosaved) and submits, the head sends it back with a
comment, the person sees 退回 and resubmits."""

import os

import pytest

from efficiency.models import Summary, SummaryStatus
from efficiency.services import appraisal

from ..factories import ensure_default_criteria
from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    """Set E2E_SCREENSHOTS=1 to keep pictures of the pages for a look."""
    if os.environ.get("E2E_SCREENSHOTS"):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def test_a_summary_is_written_returned_and_resubmitted(page, office):
    ensure_default_criteria()
    appraisal.period_open(actor=office.leader, code="2026Q3")

    log_in(page, "named")
    page.get_by_role("link", name="我的个人小结（2026年第3季度）").click()
    text = page.get_by_label("本季度个人工作小结")
    text.fill("本季度完成收发文件登记三百余件。")
    page.get_by_text("已输入16/1000字").wait_for()
    # The draft saves itself 1.5 s after typing stops; a loaded machine may take longer.
    saved = page.locator("#summary-saved")
    saved.get_by_text("已自动保存").wait_for(timeout=30_000)
    assert page.locator("#summary-status").inner_text() == "草稿"
    assert Summary.objects.get().status == SummaryStatus.DRAFT
    screenshot(page, "summary-mine")
    page.get_by_role("button", name="提交").click()
    page.get_by_text("个人小结已提交。").wait_for()

    log_in(page, "head")
    page.goto("/appraisal/2026Q3/summaries/")
    screenshot(page, "summary-list")
    page.get_by_role("link", name="王建国").click()
    screenshot(page, "summary-detail")
    page.get_by_label("意见（退回时必填）").fill("请写明督办事项的办结情况。")
    page.get_by_role("button", name="退回").click()
    page.get_by_text("王建国将看到小结被退回及您的意见，并重新填写。").wait_for()
    page.get_by_role("button", name="退回").click()
    page.get_by_text("已退回王建国的个人小结。").wait_for()

    log_in(page, "named")
    page.goto("/appraisal/2026Q3/summary/")
    page.get_by_text("已退回修改").wait_for()
    page.get_by_text("请写明督办事项的办结情况。").wait_for()
    screenshot(page, "summary-returned")
    text = page.get_by_label("本季度个人工作小结")
    text.fill("本季度完成收发文件登记三百余件，督办事项12件全部按时办结。")
    page.get_by_role("button", name="提交").click()
    page.get_by_text("个人小结已提交。").wait_for()
    summary = Summary.objects.get()
    assert summary.status == SummaryStatus.SUBMITTED
    assert summary.text == "本季度完成收发文件登记三百余件，督办事项12件全部按时办结。"


def test_text_typed_before_the_script_runs_is_still_saved(page, office):
    """On a slow connection the person may type before summary.js has run: the autosave must
    still send what they typed (the CI machine once lost it this way)."""
    ensure_default_criteria()
    appraisal.period_open(actor=office.leader, code="2026Q3")
    log_in(page, "named")

    held = []
    page.route("**/summary*.js", lambda route: held.append(route))
    page.goto("/appraisal/2026Q3/summary/", wait_until="commit")
    page.get_by_label("本季度个人工作小结").fill("先写下的几句话。")
    page.wait_for_timeout(300)
    assert held, "the script was requested"
    assert page.locator("#summary-saved").inner_text() == ""
    for route in held:
        route.continue_()

    page.locator("#summary-saved").get_by_text("已自动保存").wait_for(timeout=30_000)
    assert Summary.objects.get().text == "先写下的几句话。"
