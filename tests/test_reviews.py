"""审核评鉴: the head's proposal, the leader's decision, the counter, the pages' permissions, and
the migration of the former grade overrides into decisions.

The office of tests/test_view_results.py: 王建国 (001001) 较好 with a serious incident, 李秀英
(001002) 好, 赵志强 (002001) and 刘科长 (001000) lower; quota 1 of 4 graded.
"""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from efficiency import results
from efficiency.models import AuditEvent, GradeOverride, GradeReview, Period, Staff
from efficiency.models.audit import AuditAction
from efficiency.services import ServiceError, reviews
from efficiency.services.appraisal import period_close, period_lock

from . import test_view_results as base
from .conftest import login

judges = base.judges
period = base.period

REVIEW = "/appraisal/2026Q3/review/"
DECISIONS = "/appraisal/2026Q3/decisions/"
CONFIRMED = {"confirmed": "1"}
LOCKED_MESSAGE = "考核期2026Q3已锁定，不能再作任何修改。"


def events(staff, action):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Staff),
        object_id=str(staff.pk),
        action=action,
    )


def refused(call) -> str:
    with pytest.raises(ServiceError) as error:
        call()
    return error.value.message


def snapshot():
    return list(GradeReview.objects.order_by("pk").values()), AuditEvent.objects.count()


def propose_good(office, period):
    """The head proposes 好 for 王建国 (computed 较好), with a reason."""
    return reviews.propose(
        actor=office.head,
        period=period,
        staff=office.person,
        grade="good",
        comment="",
        reason="牵头完成全县防汛材料。",
    )


# --- propose --------------------------------------------------------------------------------


def test_a_head_proposes_the_computed_grade_with_a_comment(office, period):
    review = reviews.propose(
        actor=office.head,
        period=period,
        staff=office.person,
        grade="fairly_good",
        comment="  工作认真负责。 ",
        reason="ignored when the grade is the computed one",
    )
    assert (review.proposed_grade, review.comment, review.proposal_reason) == (
        "fairly_good",
        "工作认真负责。",
        "",
    )
    assert (review.proposed_by, review.grade) == (office.head, "")
    event = events(office.person, AuditAction.REVIEW_PROPOSE).get()
    assert event.actor == office.head
    assert event.changes["2026Q3 proposed grade"] == ["", "较好"]
    # A proposal alone changes no grade.
    assert results.ranking(period).row("001001").result.grade == "fairly_good"


def test_another_grade_needs_a_reason(office, period):
    before = snapshot()
    message = refused(
        lambda: reviews.propose(
            actor=office.head, period=period, staff=office.person, grade="good", comment=""
        )
    )
    assert message == "为王建国建议“好”而非计算等次“较好”，须填写理由。"
    assert snapshot() == before
    review = propose_good(office, period)
    assert (review.proposed_grade, review.proposal_reason) == ("good", "牵头完成全县防汛材料。")


@pytest.mark.parametrize(
    "who,staff_no,data,message",
    [
        ("head_b", "001001", {}, "只有王建国所在科室的负责人可以提出等次建议。"),
        ("leader", "001001", {}, "只有王建国所在科室的负责人可以提出等次建议。"),
        ("head", "001009", {}, "陈文书本季度不参加考核，没有可审核的等次。"),
        ("head", "001001", {"grade": "excellent"}, "请从列表中选择等次。"),
        (
            "head",
            "001001",
            {"comment": "很" * 301},
            "对王建国的评价意见有 301 个字，最多 300 个字。",
        ),
    ],
)
def test_each_refusal_of_a_proposal_changes_nothing(office, period, who, staff_no, data, message):
    before = snapshot()
    fields = {"grade": "fairly_good", "comment": "", **data}
    staff = Staff.objects.get(staff_no=staff_no)
    actor = getattr(office, who)
    assert refused(lambda: reviews.propose(actor=actor, period=period, staff=staff, **fields)) == (
        message
    )
    assert snapshot() == before


def test_the_administrator_proposes_for_anyone(office, period):
    reviews.propose(
        actor=office.administrator,
        period=period,
        staff=office.other_person,
        grade="average",
        comment="从纸质材料录入。",
    )
    assert GradeReview.objects.get().proposed_by == office.administrator


def test_nothing_is_proposed_or_decided_in_a_locked_period(office, period):
    period_close(actor=office.leader, period=period)
    period_lock(actor=office.leader, period=period)
    before = snapshot()
    calls = [
        lambda: reviews.propose(
            actor=office.head, period=period, staff=office.person, grade="good", comment=""
        ),
        lambda: reviews.decide(
            actor=office.leader, period=period, staff=office.person, grade="good", reason="理由充分"
        ),
        lambda: reviews.decide_all_as_proposed(actor=office.leader, period=period),
        lambda: reviews.withdraw_decision(
            actor=office.leader, period=period, staff=office.person, reason="理由充分"
        ),
    ]
    for call in calls:
        assert refused(call) == LOCKED_MESSAGE
    assert snapshot() == before


def test_a_closed_period_still_takes_proposals_and_decisions(office, period):
    period_close(actor=office.leader, period=period)
    reviews.propose(
        actor=office.head, period=period, staff=office.person, grade="fairly_good", comment="好"
    )
    reviews.decide(actor=office.leader, period=period, staff=office.person, grade="fairly_good")
    assert GradeReview.objects.get().grade == "fairly_good"


# --- decide ---------------------------------------------------------------------------------


def test_a_decision_as_proposed_and_computed_needs_no_reason(office, period):
    review = reviews.decide(
        actor=office.leader, period=period, staff=office.person, grade="fairly_good"
    )
    assert (review.grade, review.reason, review.decided_by) == ("fairly_good", "", office.leader)
    assert events(office.person, AuditAction.REVIEW_DECIDE).count() == 1
    row = results.ranking(period).row("001001")
    assert row.result.grade == "fairly_good" and not row.result.overridden


def test_a_decision_other_than_the_proposal_needs_a_reason(office, period):
    reviews.propose(
        actor=office.head,
        period=period,
        staff=office.colleague,
        grade="fairly_good",
        comment="",
        reason="年内调岗，按较好建议。",
    )
    before = snapshot()
    # 李秀英 is computed 好 but proposed 较好: deciding 好 differs from the proposal.
    message = refused(
        lambda: reviews.decide(
            actor=office.leader, period=period, staff=office.colleague, grade="good"
        )
    )
    assert message == ("将李秀英审定为“好”须填写理由：计算等次为“好”，建议等次为“较好”。")
    assert snapshot() == before
    # Deciding as proposed (较好, not the computed 好) still needs one.
    assert "须填写理由" in refused(
        lambda: reviews.decide(
            actor=office.leader, period=period, staff=office.colleague, grade="fairly_good"
        )
    )


def test_a_good_over_the_quota_needs_a_reason(office, period):
    reviews.decide(actor=office.leader, period=period, staff=office.colleague, grade="good")
    assert reviews.counter(period) == reviews.Counter(quota=1, decided_good=1)
    propose_good(office, period)
    # 王建国: the proposal 好 differs from the computed 较好, so a reason is needed anyway.
    assert "须填写理由" in refused(
        lambda: reviews.decide(
            actor=office.leader, period=period, staff=office.person, grade="good"
        )
    )
    reviews.decide(
        actor=office.leader,
        period=period,
        staff=office.person,
        grade="good",
        reason="经领导班子研究，超出名额评定为好。",
    )
    counter = reviews.counter(period)
    assert (counter.quota, counter.decided_good, counter.over) == (1, 2, True)
    event = events(office.person, AuditAction.REVIEW_DECIDE).get()
    assert event.reason == "经领导班子研究，超出名额评定为好。"


def test_a_good_over_the_quota_needs_a_reason_even_as_computed(office, period):
    """李秀英 is computed 好 and nobody proposed otherwise; an earlier decision used the place."""
    reviews.decide(
        actor=office.leader,
        period=period,
        staff=office.person,
        grade="good",
        reason="承担专项任务，表现突出。",
    )
    message = refused(
        lambda: reviews.decide(
            actor=office.leader, period=period, staff=office.colleague, grade="good"
        )
    )
    assert message == "将李秀英审定为“好”会超过可评“好”的 1 人，请填写理由。"


def test_only_a_leader_decides(office, period):
    for who in ("head", "administrator", "assessor"):
        assert (
            refused(
                lambda who=who: reviews.decide(
                    actor=getattr(office, who),
                    period=period,
                    staff=office.person,
                    grade="fairly_good",
                )
            )
            == "只有领导可以审定等次。"
        )
    assert not GradeReview.objects.exists()


def test_decide_all_as_proposed(office, period):
    reviews.propose(
        actor=office.head,
        period=period,
        staff=office.person,
        grade="average",
        comment="有严重差错。",
        reason="本季度出现严重差错。",
    )
    pending = reviews.pending_as_proposed(period)
    assert {(p.staff.staff_no, p.grade) for p in pending} == {
        ("001001", "average"),
        ("001002", "good"),
        ("002001", "average"),
        ("001000", "fairly_good"),
    }
    assert reviews.decide_all_as_proposed(actor=office.leader, period=period) == 4
    decided = dict(GradeReview.objects.values_list("staff__staff_no", "grade"))
    assert decided == {
        "001001": "average",
        "001002": "good",
        "002001": "average",
        "001000": "fairly_good",
    }
    assert AuditEvent.objects.filter(action=AuditAction.REVIEW_DECIDE).count() == 4
    table = results.ranking(period)
    # The proposal carried a reason, so it is told apart; the others equal the computed grade.
    assert table.row("001001").result.grade == "average" and table.row("001001").result.overridden
    assert not table.row("001002").result.overridden
    # Nothing left: a second run is refused.
    assert (
        refused(lambda: reviews.decide_all_as_proposed(actor=office.leader, period=period))
        == "所有参加考核人员的等次均已审定。"
    )


def test_decide_all_refuses_to_go_over_the_quota_without_a_reason(office, period):
    propose_good(office, period)
    before = snapshot()
    assert refused(lambda: reviews.decide_all_as_proposed(actor=office.leader, period=period)) == (
        "全部按建议审定将有 2 人为“好”，可评“好” 1 人，超出 1 人；请填写超出名额的理由。"
    )
    assert snapshot() == before


def test_a_withdrawn_decision_leaves_the_computed_grade(office, period):
    reviews.decide(
        actor=office.leader,
        period=period,
        staff=office.person,
        grade="good",
        reason="理由充分的说明",
    )
    reviews.withdraw_decision(
        actor=office.leader, period=period, staff=office.person, reason="经复核维持计算结果。"
    )
    assert GradeReview.objects.get().grade == ""
    assert results.ranking(period).row("001001").result.grade == "fairly_good"
    assert events(office.person, AuditAction.REVIEW_DECIDE).count() == 2


# --- the pages ------------------------------------------------------------------------------


def test_a_head_sees_only_their_people(office, period):
    response = login(office.head).get(REVIEW)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="row-001001"' in html and 'id="row-001002"' in html
    assert 'id="row-002001"' not in html
    assert "审核评鉴" in html


@pytest.mark.parametrize("who", ["leader", "assessor", "clerk", "named", "outsider"])
def test_who_is_not_a_head_has_no_review_page(office, period, who):
    assert login(getattr(office, who)).get(REVIEW).status_code == 403


def test_a_head_of_another_section_cannot_propose_for_this_one(office, period):
    before = snapshot()
    response = login(office.head_b).post(
        REVIEW, {"staff_no": "001001", "grade": "good", "comment": "越权"}
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_a_refused_proposal_names_the_row_and_keeps_what_was_typed(office, period):
    before = snapshot()
    response = login(office.head).post(
        REVIEW, {"staff_no": "001001", "grade": "good", "comment": "工作认真。", "reason": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    row = base.row_html(html, "001001")
    assert "为王建国建议“好”而非计算等次“较好”，须填写理由。" in row
    assert "工作认真。" in row
    assert "须填写理由" not in base.row_html(html, "001002")
    assert snapshot() == before


def test_a_head_saves_a_proposal_from_the_page(office, period):
    response = login(office.head).post(
        REVIEW, {"staff_no": "001002", "grade": "good", "comment": "表现突出。", "reason": ""}
    )
    assert response.status_code == 302
    assert response.url == "/appraisal/2026Q3/review/#row-001002"
    review = GradeReview.objects.get()
    assert (review.staff, review.proposed_grade, review.comment) == (
        office.colleague,
        "good",
        "表现突出。",
    )


@pytest.mark.parametrize("who", ["head", "administrator", "assessor"])
def test_a_head_cannot_decide(office, period, who):
    client = login(getattr(office, who))
    assert client.get(DECISIONS).status_code == 403
    before = snapshot()
    response = client.post(
        f"{DECISIONS}001001/", {"grade": "good", "reason": "理由充分", **CONFIRMED}
    )
    assert response.status_code == 403
    assert client.post(f"{DECISIONS}all/", CONFIRMED).status_code == 403
    assert snapshot() == before


def test_the_decision_page_shows_the_counter_and_the_proposals(office, period):
    reviews.propose(
        actor=office.head,
        period=period,
        staff=office.person,
        grade="fairly_good",
        comment="工作认真负责。",
    )
    html = login(office.leader).get(DECISIONS).content.decode()
    assert (
        '可评“好”<strong data-field="quota">1</strong>人，已定'
        '<strong data-field="decided">0</strong>人'
    ) in html
    assert "工作认真负责。" in base.row_html(html, "001001")
    assert "未提建议" in base.row_html(html, "001002")
    assert "decisions.js" in html


def test_deciding_all_asks_first_then_decides(office, period):
    leader = login(office.leader)
    response = leader.post(f"{DECISIONS}all/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "将按建议审定2026年第3季度的 4 人等次（无建议者按计算等次）。" in html
    assert "审定后“好”1人，至多可评1人。" in html
    assert not GradeReview.objects.exists()
    response = leader.post(f"{DECISIONS}all/", CONFIRMED, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["已按建议审定 4 人的等次。"]
    assert GradeReview.objects.exclude(grade="").count() == 4


def test_deciding_all_over_the_quota_is_refused_on_the_page_without_a_reason(office, period):
    propose_good(office, period)
    before = snapshot()
    response = login(office.leader).post(f"{DECISIONS}all/", CONFIRMED)
    assert response.status_code == 400
    assert "可评“好” 1 人，超出 1 人；请填写超出名额的理由。" in response.content.decode()
    assert snapshot() == before


# --- the migration of overrides -------------------------------------------------------------


def test_the_migration_turns_overrides_into_decisions(office, period):
    migration = __import__("efficiency.migrations.0014_reviews", fromlist=["x"])
    override = GradeOverride.objects.create(
        period=period,
        staff=office.person,
        grade="good",
        reason="牵头完成县委全会文稿。",
        decided_by=office.leader,
    )
    # A person already reviewed keeps the head's comment; the override decides.
    GradeReview.objects.create(period=period, staff=office.colleague, comment="认真。")
    GradeOverride.objects.create(
        period=period,
        staff=office.colleague,
        grade="fairly_good",
        reason="年内调岗。",
        decided_by=office.leader,
    )
    migration.overrides_to_decisions(apps, None)
    review = GradeReview.objects.get(staff=office.person)
    assert (review.grade, review.proposed_grade, review.reason, review.decided_by) == (
        "good",
        "good",
        "牵头完成县委全会文稿。",
        office.leader,
    )
    assert review.decided_at == override.decided_at
    other = GradeReview.objects.get(staff=office.colleague)
    assert (other.comment, other.grade, other.reason) == ("认真。", "fairly_good", "年内调岗。")
    # The ranking reads the decisions as it read the overrides.
    row = results.ranking(Period.objects.get(pk=period.pk)).row("001001")
    assert row.result.grade == "good" and row.result.overridden
    assert row.override.reason == "牵头完成县委全会文稿。"
    # And back again, for a rollback.
    GradeOverride.objects.all().delete()
    migration.decisions_to_overrides(apps, None)
    assert set(GradeOverride.objects.values_list("staff__staff_no", "grade")) == {
        ("001001", "good"),
        ("001002", "fairly_good"),
    }
