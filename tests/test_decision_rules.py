"""Two rules of 审核评鉴: deciding all as proposed beyond the 好 quota needs a recorded reason,
and a decision without a reason goes stale when the marks move its computed grade.

The office of tests/test_view_results.py: 王建国 (001001) 较好, 李秀英 (001002) 好, 赵志强 (002001)
and 刘科长 (001000) lower; quota 1 of 4 graded.
"""

import pytest
from django.apps import apps

from efficiency import results
from efficiency.models import AuditEvent, GradeReview, Period, PeriodState
from efficiency.models.audit import AuditAction
from efficiency.scoring import Grade
from efficiency.services import reviews
from efficiency.services.appraisal import period_close

from . import test_view_results as base
from .conftest import login
from .test_reviews import CONFIRMED, DECISIONS, events, propose_good, refused, snapshot

judges = base.judges
period = base.period

DECIDE_ALL = f"{DECISIONS}all/"
CLOSE = "/appraisal/2026Q3/close/"
OVER_REASON = "经局党组研究，王建国牵头防汛工作，超出名额评为好。"


# --- all as proposed, over the quota -------------------------------------------------------


def test_deciding_all_over_the_quota_without_a_reason_is_refused(office, period):
    propose_good(office, period)
    before = snapshot()
    message = refused(
        lambda: reviews.decide_all_as_proposed(actor=office.leader, period=period, reason="  ")
    )
    assert message == (
        "全部按建议审定将有 2 人为“好”，可评“好” 1 人，超出 1 人；请填写超出名额的理由。"
    )
    assert snapshot() == before


def test_deciding_all_over_the_quota_records_the_reason_on_the_one_over(office, period):
    propose_good(office, period)
    plan = reviews.check_all_as_proposed(actor=office.leader, period=period)
    # 李秀英 ranks above 王建国: the quota's one place is hers, he is the one over it.
    assert [p.staff.staff_no for p in plan.over] == ["001001"]
    assert (plan.good, plan.quota) == (2, 1)
    assert (
        reviews.decide_all_as_proposed(actor=office.leader, period=period, reason=OVER_REASON) == 4
    )
    over = GradeReview.objects.get(staff=office.person)
    assert over.grade == "good"
    assert over.reason == f"牵头完成全县防汛材料。\n超出可评“好”的 1 人名额：{OVER_REASON}"
    event = events(office.person, AuditAction.REVIEW_DECIDE).get()
    assert event.reason == over.reason
    assert event.changes["2026Q3 over the quota"] == 1
    # Within the quota: no reason written on her decision, none in her history.
    within = GradeReview.objects.get(staff=office.colleague)
    assert (within.grade, within.reason) == ("good", "")
    assert "over" not in str(events(office.colleague, AuditAction.REVIEW_DECIDE).get().changes)
    assert reviews.counter(period).over


def test_within_the_quota_no_reason_is_asked(office, period):
    plan = reviews.check_all_as_proposed(actor=office.leader, period=period, reason="")
    assert (plan.over, plan.reason) == ([], "")
    assert reviews.decide_all_as_proposed(actor=office.leader, period=period) == 4
    assert not GradeReview.objects.exclude(reason="").exists()


def test_the_page_asks_for_the_reason_naming_who_goes_over(office, period):
    propose_good(office, period)
    leader = login(office.leader)
    response = leader.post(DECIDE_ALL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "超出名额 1 人（王建国）：超出须填写理由" in html
    assert 'name="reason"' in html and "超出名额的理由" in html
    assert not GradeReview.objects.exclude(grade="").exists()


def test_the_page_refuses_a_confirmation_without_the_reason(office, period):
    propose_good(office, period)
    before = snapshot()
    response = login(office.leader).post(DECIDE_ALL, {**CONFIRMED, "reason": " "})
    assert response.status_code == 400
    assert "请填写超出名额的理由。" in response.content.decode()
    assert snapshot() == before


def test_the_page_decides_all_with_the_reason(office, period):
    propose_good(office, period)
    response = login(office.leader).post(
        DECIDE_ALL, {**CONFIRMED, "reason": OVER_REASON}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["已按建议审定 4 人的等次。"]
    assert OVER_REASON in GradeReview.objects.get(staff=office.person).reason


# --- a decision without a reason ------------------------------------------------------------


def lower_colleague(period, judges, office):
    """李秀英's marks fall: her computed grade leaves 好."""
    base.mark(period, judges, office.colleague, [("70", "70", "70")] * 5)
    return results.ranking(period).row("001002").result.computed_grade


def test_a_decision_keeps_the_computed_grade_it_agreed_with(office, period):
    review = reviews.decide(
        actor=office.leader, period=period, staff=office.colleague, grade="good"
    )
    assert (review.reason, review.computed_at_decision) == ("", "good")
    assert results.stale_decisions(period) == []


def test_a_decision_without_a_reason_goes_stale_when_the_marks_move(office, period, judges):
    reviews.decide(actor=office.leader, period=period, staff=office.colleague, grade="good")
    now = lower_colleague(period, judges, office)
    assert now != Grade.GOOD
    stale = results.stale_decisions(period)
    assert [(s.staff_no, s.decided, s.then, s.now) for s in stale] == [
        ("001002", Grade.GOOD, Grade.GOOD, now)
    ]
    assert reviews.counter(period).stale == 1
    # The published grade follows the marks; the decision no longer means anything.
    assert results.ranking(period).row("001002").result.grade == now


def test_a_decision_with_a_reason_stands_when_the_marks_move(office, period, judges):
    reviews.decide(
        actor=office.leader,
        period=period,
        staff=office.colleague,
        grade="good",
        reason="年内承担专项任务。",
    )
    lower_colleague(period, judges, office)
    assert results.stale_decisions(period) == []
    assert results.ranking(period).row("001002").result.grade == "good"


def test_closing_is_refused_while_a_decision_is_stale(office, period, judges):
    reviews.decide(actor=office.leader, period=period, staff=office.colleague, grade="good")
    now = lower_colleague(period, judges, office)
    message = refused(lambda: period_close(actor=office.leader, period=period))
    assert message == (
        f"考核期2026Q3不能关闭：以下未写理由的审定作出后，计算等次已变化：李秀英（好→{now.label}）。"
        "请在审定页重新审定或撤回。"
    )
    assert Period.objects.get(pk=period.pk).state == PeriodState.OPEN
    # Decided again as now computed, it is no longer stale and the quarter closes.
    reviews.decide(actor=office.leader, period=period, staff=office.colleague, grade=now)
    assert period_close(actor=office.leader, period=period).state == PeriodState.CLOSED


def test_a_withdrawn_stale_decision_lets_the_quarter_close(office, period, judges):
    reviews.decide(actor=office.leader, period=period, staff=office.colleague, grade="good")
    lower_colleague(period, judges, office)
    reviews.withdraw_decision(
        actor=office.leader, period=period, staff=office.colleague, reason="分数已更正。"
    )
    assert GradeReview.objects.get(staff=office.colleague).computed_at_decision == ""
    assert period_close(actor=office.leader, period=period).state == PeriodState.CLOSED


def test_the_close_button_is_refused_before_the_confirmation(office, period, judges):
    reviews.decide(actor=office.leader, period=period, staff=office.colleague, grade="good")
    lower_colleague(period, judges, office)
    response = login(office.leader).post(CLOSE, follow=True)
    message = str(list(response.context["messages"])[0])
    assert message.startswith("考核期2026Q3不能关闭：") and "李秀英" in message
    assert Period.objects.get(pk=period.pk).state == PeriodState.OPEN


def test_the_decisions_page_flags_a_stale_decision(office, period, judges):
    reviews.decide(actor=office.leader, period=period, staff=office.colleague, grade="good")
    reviews.decide(actor=office.leader, period=period, staff=office.person, grade="fairly_good")
    now = lower_colleague(period, judges, office)
    html = login(office.leader).get(DECISIONS).content.decode()
    assert f"计算等次已由好变为{now.label}，请重新审定。" in base.row_html(html, "001002")
    assert "请重新审定" not in base.row_html(html, "001001")
    assert "1 项审定须重新作出" in html and '<a href="#row-001002">李秀英</a>' in html


@pytest.mark.django_db
def test_the_migration_backfills_decisions_without_a_reason(office, period):
    migration = __import__("efficiency.migrations.0017_decision_basis", fromlist=["x"])
    GradeReview.objects.create(period=period, staff=office.colleague, grade="good")
    GradeReview.objects.create(
        period=period, staff=office.person, grade="good", reason="承担专项任务。"
    )
    GradeReview.objects.create(period=period, staff=office.other_person, comment="认真。")
    migration.backfill(apps, None)
    basis = dict(GradeReview.objects.values_list("staff__staff_no", "computed_at_decision"))
    assert basis == {"001002": "good", "001001": "", "002001": ""}
    assert AuditEvent.objects.filter(action=AuditAction.REVIEW_DECIDE).count() == 0
