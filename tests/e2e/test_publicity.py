"""公示 with an objection, 结果反馈 and the lock gate, clicked through in Chromium.

Today is Friday 2026-11-20 (tests/conftest.py): a quarter closed today with 5 working days of
公示 runs to Friday 2026-11-27; the tests travel to Monday 2026-11-30 to be past it.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from efficiency import results, selectors
from efficiency.models import AuditEvent, Feedback, Objection, Period, PeriodState
from efficiency.models.audit import AuditAction
from efficiency.scoring import Grade
from efficiency.services import appraisal as appraisal_services
from efficiency.services import publicity as publicity_services

from ..factories import ensure_default_criteria
from ..report_support import quarter
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AFTER_THE_WINDOW = datetime.datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def q3(office):
    ensure_default_criteria()
    return quarter(office, "2026Q3", "open", incidents=False)


def closed(office, code="2026Q3"):
    return appraisal_services.period_close(
        actor=office.leader, period=Period.objects.get(code=code), days=5
    )


def test_an_objection_is_lodged_and_upheld(page, office, q3):
    log_in(page, "leader")
    page.goto("/appraisal/")
    page.get_by_label("公示期（工作日）").fill("5")
    page.get_by_role("button", name="关闭考核期").click()
    page.get_by_text("公示期至2026年11月27日（5个工作日）。").first.wait_for()
    page.get_by_role("button", name="关闭考核期").click()
    page.get_by_text("考核期2026Q3已关闭，考核结果进入公示。").wait_for()
    period = Period.objects.get(code="2026Q3")
    assert period.publicity_ends == datetime.date(2026, 11, 27)
    before = results.ranking(period).row("001002").result.grade
    new = Grade.AVERAGE if before != Grade.AVERAGE else Grade.FAIRLY_GOOD

    log_in(page, "named")
    page.get_by_role("link", name="公示名单").first.click()
    page.get_by_text("公示期剩余5个工作日，至11月27日。").wait_for()
    page.locator("tr[data-staff='001002']").get_by_role("link", name="提异议").click()
    page.get_by_label("异议理由（必填）").fill("李秀英本季度有两次迟报，未见扣分。")
    page.get_by_role("button", name="提交异议").click()
    page.get_by_text("已提交对李秀英的异议，领导将予以答复。").wait_for()
    assert "等待领导答复。" in page.locator("#my-objections").inner_text()

    log_in(page, "leader")
    page.get_by_role("link", name="答复异议").click()
    page.get_by_label("成立", exact=True).check()
    page.get_by_label("调整后等次（成立时）").select_option(new.value)
    page.get_by_label("答复意见（必填）").fill("经核实，迟报属实，调整等次。")
    page.get_by_role("button", name="答复…").click()
    page.get_by_text(f"其审定等次改为“{new.label}”").wait_for()
    assert Objection.objects.get().answer == ""
    page.get_by_role("button", name="确认答复").click()
    page.get_by_text("已答复对李秀英的异议。").wait_for()
    page.goto("/appraisal/2026Q3/publicity/?q=李秀英")
    assert page.locator("tr[data-staff='001002'] .grade-cell").inner_text() == new.label

    log_in(page, "named")
    page.get_by_text("你对李秀英提出的异议已答复：成立。").wait_for()
    assert AuditEvent.objects.filter(action=AuditAction.REVIEW_DECIDE).get().reason == (
        "经核实，迟报属实，调整等次。"
    )


def test_feedback_agree_and_disagree(page, office, q3):
    closed(office)
    with time_machine.travel(AFTER_THE_WINDOW, tick=True):
        log_in(page, "named")
        page.get_by_role("link", name="填写本人意见").click()
        page.get_by_label("同意", exact=True).check()
        page.get_by_role("button", name="填写本人意见").click()
        page.get_by_text("你的本人意见已登记，谢谢。").wait_for()

        log_in(page, "clerk")
        page.get_by_role("link", name="填写本人意见").click()
        page.get_by_label("有异议", exact=True).check()
        page.get_by_role("button", name="填写本人意见").click()
        page.get_by_text("请写明有异议的内容。").wait_for()
        page.get_by_label("有异议", exact=True).check()
        page.get_by_label("异议内容（有异议时必填）").fill("本季度承担了两项专项任务，未体现。")
        page.get_by_role("button", name="填写本人意见").click()
        page.get_by_text("你的本人意见已登记，谢谢。").wait_for()

        log_in(page, "leader")
        page.goto("/appraisal/2026Q3/feedback/all/")
        page.get_by_text("共6人，已反馈2人。").wait_for()
    opinions = dict(Feedback.objects.values_list("staff__staff_no", "opinion"))
    assert opinions == {"001001": "agree", "001009": "disagree"}


def test_lock_refused_then_with_a_reason_then_after_everything(page, office, q3):
    closed(office)
    log_in(page, "leader")
    page.goto("/appraisal/")
    page.locator("#p-2026Q3").get_by_role("button", name="锁定考核期").click()
    page.get_by_text("公示期未结束（至2026年11月27日）。").wait_for()
    # Without a reason the server refuses (the browser would not even send it).
    page.locator("#confirm-reason").evaluate("el => el.required = false")
    page.get_by_role("button", name="锁定考核期").click()
    page.get_by_text("如仍要锁定，请写明理由。").wait_for()
    assert Period.objects.get(code="2026Q3").state == PeriodState.CLOSED

    page.locator("#p-2026Q3").get_by_role("button", name="锁定考核期").click()
    page.get_by_label("仍要锁定的理由（仅限领导）").fill("两人长期病假，无法反馈，经党组同意锁定。")
    page.get_by_role("button", name="锁定考核期").click()
    page.get_by_text("考核期2026Q3已锁定").wait_for()
    lock = AuditEvent.objects.get(action=AuditAction.PERIOD_LOCK)
    assert lock.reason == "两人长期病假，无法反馈，经党组同意锁定。"

    q2 = quarter(office, "2026Q2", "open", incidents=False)
    closed(office, "2026Q2")
    with time_machine.travel(AFTER_THE_WINDOW, tick=True):
        for staff in selectors.feedback_owed(q2):
            publicity_services.record_feedback(
                actor=office.administrator, period=q2, staff=staff, opinion="agree"
            )
        log_in(page, "leader")  # ten days on, the session has expired
        page.goto("/appraisal/")
        page.locator("#p-2026Q2").get_by_role("button", name="锁定考核期").click()
        page.get_by_text("锁定的考核期永远不能重新开启").wait_for()
        assert page.locator("#confirm-reason").count() == 0
        page.get_by_role("button", name="锁定考核期").click()
        page.get_by_text("考核期2026Q2已锁定").wait_for()
    assert Period.objects.get(code="2026Q2").state == PeriodState.LOCKED
