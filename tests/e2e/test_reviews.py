"""审核评鉴 in Chromium: a section head proposes with a comment, a leader decides all as
proposed after a confirmation page, and the 好 counter follows."""

import pytest

from efficiency.models import AuditEvent, GradeReview
from efficiency.models.audit import AuditAction

from . import test_ranking
from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 王建国 较好, 李秀英 好, 赵志强 较好; one place for 好.
scored_period = test_ranking.scored_period


def test_a_head_proposes_and_a_leader_decides_all_as_proposed(page, office, scored_period):
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, "head")
    page.goto("/appraisal/2026Q3/review/")
    # Only the head's own section: 王建国 and 李秀英, not 赵志强 of 综合科.
    assert page.locator("#row-002001").count() == 0
    row = page.locator("#row-001001")
    assert row.get_by_label("建议等次", exact=True).input_value() == "fairly_good"
    row.get_by_label("评价意见", exact=True).fill("工作认真负责，按时完成各项文稿任务。")
    # Another grade without a reason is refused, on that row, and nothing is saved.
    row.get_by_label("建议等次", exact=True).select_option("good")
    row.get_by_role("button", name="保存").click()
    page.get_by_text("为王建国建议“好”而非计算等次“较好”，须填写理由。").wait_for()
    assert not GradeReview.objects.exists()
    row = page.locator("#row-001001")
    assert (
        row.get_by_label("评价意见", exact=True).input_value()
        == "工作认真负责，按时完成各项文稿任务。"
    )
    row.get_by_label("理由（建议等次与计算等次不同时必填）").fill(
        "牵头完成全县防汛材料，成效突出。"
    )
    row.get_by_role("button", name="保存").click()
    page.get_by_text("已保存对王建国的等次建议。").wait_for()
    page.screenshot(path=ARTIFACTS / "review-head.png", full_page=True)
    review = GradeReview.objects.get()
    assert (review.proposed_grade, review.proposed_by, review.grade) == ("good", office.head, "")

    log_in(page, "leader")
    page.goto("/appraisal/2026Q3/decisions/")
    counter = page.locator("#good-counter")
    assert counter.inner_text() == "可评“好”1人，已定0人"
    assert "牵头完成全县防汛材料，成效突出。" in page.locator("#row-001001").inner_text()
    # The counter follows the selects before anything is saved.
    page.locator("#row-002001 [data-grade-select]").select_option("good")
    assert counter.inner_text() == "可评“好”1人，已定1人"
    page.locator("#row-002001 [data-grade-select]").select_option("fairly_good")
    assert counter.inner_text() == "可评“好”1人，已定0人"
    page.screenshot(path=ARTIFACTS / "review-decisions-before.png", full_page=True)

    # 王建国 proposed 好 and 李秀英 computed 好 would be two 好 for one place: the confirmation
    # names who goes over and asks why; the leader goes back instead.
    page.get_by_role("button", name="全部按建议审定").click()
    page.get_by_text("超出名额 1 人（王建国）：超出须填写理由").wait_for()
    assert page.get_by_label("超出名额的理由").is_visible()
    page.get_by_role("link", name="返回，不执行").click()
    page.locator("#good-counter").wait_for()
    assert not GradeReview.objects.exclude(grade="").exists()

    # The leader decides 李秀英 as 较好 with a reason, then all the rest as proposed.
    row = page.locator("#row-001002")
    row.get_by_label("审定等次").select_option("fairly_good")
    row.get_by_label("理由", exact=True).fill("年内调岗，按较好审定。")
    row.get_by_role("button", name="审定", exact=True).click()
    page.get_by_role("button", name="保存审定").click()
    page.get_by_text("李秀英 2026年第3季度的等次已调整为“较好”。").wait_for()
    page.get_by_role("button", name="全部按建议审定").click()
    page.get_by_text("将按建议审定2026年第3季度的 2 人等次（无建议者按计算等次）。").wait_for()
    page.get_by_text("审定后“好”1人，至多可评1人。").wait_for()
    assert GradeReview.objects.exclude(grade="").count() == 1
    page.get_by_role("button", name="审定 2 人的等次").click()
    page.get_by_text("已按建议审定 2 人的等次。").wait_for()
    assert page.locator("#good-counter").inner_text() == "可评“好”1人，已定1人"
    page.screenshot(path=ARTIFACTS / "review-decisions-after.png", full_page=True)

    decided = dict(GradeReview.objects.values_list("staff__staff_no", "grade"))
    assert decided == {"001001": "good", "001002": "fairly_good", "002001": "fairly_good"}
    assert AuditEvent.objects.filter(action=AuditAction.REVIEW_DECIDE).count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.REVIEW_PROPOSE).count() == 1
