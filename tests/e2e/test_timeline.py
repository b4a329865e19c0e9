"""The period timeline and deciding all as proposed beyond the quota, in Chromium: the leader
sees where the quarter stands, decides all with a reason for the 好 over the quota, and the
timeline then counts the decisions."""

import pytest

from efficiency.models import GradeReview
from efficiency.services import reviews

from . import test_ranking
from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 王建国 较好, 李秀英 好, 赵志强 较好; one place for 好.
scored_period = test_ranking.scored_period
REASON = "王建国牵头完成全县防汛材料，经局务会研究评为好。"


def test_a_leader_decides_all_over_the_quota_with_a_reason(page, office, scored_period):
    ARTIFACTS.mkdir(exist_ok=True)
    reviews.propose(
        actor=office.head,
        period=scored_period,
        staff=office.person,
        grade="good",
        comment="",
        reason="牵头完成全县防汛材料。",
    )
    log_in(page, "leader")
    page.goto("/appraisal/")
    card = page.locator("#p-2026Q3")
    current = card.locator('[aria-current="step"]')
    assert current.get_attribute("data-step") == "summary"
    assert "已建议1/" in card.locator('[data-step="review"]').inner_text()
    card.screenshot(path=ARTIFACTS / "timeline-open.png")

    page.goto("/appraisal/2026Q3/decisions/")
    page.get_by_role("button", name="全部按建议审定").click()
    page.get_by_text("超出名额 1 人（王建国）").wait_for()
    # The browser asks for the reason before anything is sent.
    page.get_by_role("button", name="审定 3 人的等次").click()
    assert not GradeReview.objects.exclude(grade="").exists()
    page.get_by_label("超出名额的理由").fill(REASON)
    page.screenshot(path=ARTIFACTS / "decide-all-over-quota.png", full_page=True)
    page.get_by_role("button", name="审定 3 人的等次").click()
    page.get_by_text("已按建议审定 3 人的等次。").wait_for()
    assert page.locator("#good-counter").inner_text() == "可评“好”1人，已定2人"
    assert REASON in page.locator("#row-001001").inner_text()
    assert REASON not in page.locator("#row-001002").inner_text()

    page.goto("/appraisal/")
    review = page.locator('#p-2026Q3 [data-step="review"]').inner_text()
    assert "已审定3/" in review
