"""A leader records a 更正 for a locked quarter from the ranking page, confirms after reading
what changes where, and the annual roll-up counts the corrected grade, in Chromium."""

import os

import pytest

from efficiency import results
from efficiency.models import AuditEvent, Correction
from efficiency.models.audit import AuditAction

from ..factories import ensure_default_criteria
from ..report_support import quarter
from .axe import violations
from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    """Screenshots for a person to look at, when asked for (SCREENSHOTS=1)."""
    if os.environ.get("SCREENSHOTS"):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"corrections-{name}.png", full_page=True)


def annual_grade(staff_no: str) -> str:
    row = {r.facts.key: r for r in results.annual_rollup(2026).rows}[staff_no]
    return row.grade_label


def test_a_leader_corrects_a_locked_quarter_and_the_annual_grade_follows(page, office):
    ensure_default_criteria()
    quarter(office, "2026Q2", "locked", incidents=False)
    locked = quarter(office, "2026Q3", "locked", incidents=False)
    stored = results.ranking(locked).row("001002").result
    before = annual_grade("001002")
    assert before == "优秀"

    log_in(page, "leader")
    page.goto("/appraisal/")
    page.get_by_role("link", name="更正").first.wait_for()
    page.goto("/appraisal/2026Q3/ranking/")
    row = page.locator("tr", has=page.get_by_text("001002", exact=True))
    row.get_by_role("link", name="更正").click()
    assert violations(page) == []
    page.get_by_label("更正后最终得分").fill("58.5")
    page.get_by_role("combobox", name="更正后等次").select_option(label="较差")
    page.get_by_label("原结果错在哪里").fill("第三季度一次严重失误漏记扣分")
    page.get_by_label("更正理由").fill("复核查实该失误，补扣分数")
    page.get_by_label("或填写依据").fill("县效考复〔2026〕1号")
    shot(page, "form")
    page.get_by_role("button", name="下一步").click()
    page.get_by_text(
        "排名页、个人得分卡、通报PDF、个人登记表和Excel排名将同时显示两者："
        f"最终得分 {stored.final} → 58.50"
    ).wait_for()
    page.get_by_text(
        "2026年度汇总将按最终得分58.50、等次较差计算该季度，并注明该季度已更正。"
    ).wait_for()
    shot(page, "confirm")
    assert not Correction.objects.exists()
    page.get_by_role("button", name="登记更正").click()
    page.get_by_text("已为李秀英登记2026年第3季度的更正。").wait_for()
    shot(page, "list")
    assert violations(page) == []
    correction = Correction.objects.get()
    assert AuditEvent.objects.filter(
        object_id=str(correction.pk), action=AuditAction.CORRECTION_RECORD, actor=office.leader
    ).exists()

    sentence = (
        f"更正：最终得分 {stored.final} → 58.50，等次 {stored.grade.label} → 较差"
        "（2026年11月20日，依据县效考复〔2026〕1号）"
    )
    page.goto("/appraisal/2026Q3/ranking/")
    page.locator("tr", has=page.get_by_text("001002", exact=True)).get_by_text(sentence).wait_for()
    shot(page, "ranking")
    assert violations(page) == []

    page.goto("/appraisal/2026Q3/card/001002/")
    page.get_by_text(sentence).wait_for()
    shot(page, "card")

    # 好 in Q2 and 较差 (corrected) in Q3: one quarter 较差 makes the year 基本称职.
    after = annual_grade("001002")
    assert after == "基本称职"
    page.goto("/appraisal/annual/2026/")
    row = page.locator("tr", has=page.get_by_text("001002", exact=True))
    row.get_by_text(after, exact=True).wait_for()
    row.get_by_text("第3季度已更正，汇总按更正计算。", exact=False).wait_for()
    shot(page, "annual")
