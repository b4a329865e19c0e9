"""The year's decision (年度考核审定): the head's proposal, the leader's decision, the 优秀 counter.

The office of tests/conftest.py, two quarters (2026Q2, 2026Q3) closed with six people marked:
李秀英 (001002) 好 twice, so computed 优秀; the others 称职; 优秀 places 1 of 6 graded.
"""

import pytest
from django.contrib.contenttypes.models import ContentType

from efficiency import results
from efficiency.models import AnnualReview, AuditEvent, Staff
from efficiency.models.audit import AuditAction
from efficiency.services import ServiceError
from efficiency.services import annual as services
from efficiency.services.appraisal import period_close, period_open
from efficiency.services.standing import set_standing

from . import test_view_results as base

judges = base.judges
YEAR = 2026


@pytest.fixture
def year(office, judges):
    return close_two_quarters(office, judges)


def close_two_quarters(office, judges, count: int = 6) -> int:
    """2026Q2 and 2026Q3 closed; the first ``count`` of six people marked in each."""
    people = [
        (office.colleague, ("95", "95", "95")),
        (office.person, ("88", "86", "84")),
        (office.head.staff, ("85", "86", "87")),
        (office.other_person, ("82", "80", "78")),
        (office.clerk.staff, ("84", "83", "82")),
        (office.clerk_b.staff, ("80", "81", "82")),
    ]
    for code in ("2026Q2", "2026Q3"):
        period = period_open(actor=office.leader, code=code)
        for staff, triple in people[:count]:
            base.mark(period, judges, staff, [triple] * 3)
        period_close(actor=office.leader, period=period)
    return YEAR


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
    return list(AnnualReview.objects.order_by("pk").values()), AuditEvent.objects.count()


def test_the_office_as_the_tests_expect(office, year):
    rollup = results.annual_rollup(year)
    grades = {row.facts.key: row.result.grade for row in rollup.rows}
    assert grades["001002"] == "excellent"
    assert grades["001001"] == "competent"
    assert results.annual_excellent_places(rollup) == 1


# --- propose --------------------------------------------------------------------------------


def test_a_head_proposes_the_computed_grade_with_a_comment(office, year):
    review = services.propose(
        actor=office.head,
        year=year,
        staff=office.person,
        grade="competent",
        comment="  全年工作认真负责。 ",
        reason="ignored when the grade is the computed one",
    )
    assert (review.proposed_grade, review.comment, review.proposal_reason, review.grade) == (
        "competent",
        "全年工作认真负责。",
        "",
        "",
    )
    assert review.appraisal.year == year and review.proposed_by == office.head
    event = events(office.person, AuditAction.ANNUAL_PROPOSE).get()
    assert event.actor == office.head
    assert event.changes["2026 proposed annual grade"] == ["", "称职"]


def test_another_grade_needs_a_reason(office, year):
    before = snapshot()
    message = refused(
        lambda: services.propose(
            actor=office.head, year=year, staff=office.person, grade="excellent", comment=""
        )
    )
    assert message == "为王建国建议“优秀”而非计算等次“称职”，须填写理由。"
    assert snapshot() == before
    review = services.propose(
        actor=office.head,
        year=year,
        staff=office.person,
        grade="excellent",
        comment="",
        reason="牵头完成全县防汛材料。",
    )
    assert review.proposal_reason == "牵头完成全县防汛材料。"


def test_only_the_head_of_the_section_or_the_administrator_proposes(office, year):
    before = snapshot()
    for user in (office.head_b, office.leader, office.clerk, office.named, office.outsider):
        message = refused(
            lambda user=user: services.propose(
                actor=user, year=year, staff=office.person, grade="competent", comment=""
            )
        )
        assert message == "只有王建国所在科室的负责人可以提出等次建议。"
    assert snapshot() == before
    services.propose(
        actor=office.administrator, year=year, staff=office.person, grade="competent", comment=""
    )


def test_bad_grades_and_long_comments_are_refused(office, year):
    before = snapshot()
    for grade in ("", "good", "优秀", "x" * 30):
        message = refused(
            lambda grade=grade: services.propose(
                actor=office.head, year=year, staff=office.person, grade=grade, comment=""
            )
        )
        assert message == "请从列表中选择等次。"
    message = refused(
        lambda: services.propose(
            actor=office.head, year=year, staff=office.person, grade="competent", comment="很" * 301
        )
    )
    assert message == "对王建国的评价意见有 301 个字，最多 300 个字。"
    assert snapshot() == before


def test_no_grade_without_an_assessed_quarter(office, judges):
    before = snapshot()
    message = refused(
        lambda: services.propose(
            actor=office.head, year=YEAR, staff=office.person, grade="competent", comment=""
        )
    )
    assert message == "王建国在2026年没有年度等次：该年没有被考核的季度。"
    assert snapshot() == before


def test_an_undetermined_person_gets_the_comment_only(office, year):
    set_standing(
        actor=office.administrator,
        staff=office.person,
        year=year,
        quarter=None,
        standing="undetermined",
        reason="probation",
        note="试用期至2026年12月31日",
    )
    review = services.propose(
        actor=office.head,
        year=year,
        staff=office.person,
        grade="excellent",
        comment="试用期表现良好。",
    )
    assert (review.proposed_grade, review.comment) == ("", "试用期表现良好。")
    message = refused(
        lambda: services.decide(
            actor=office.leader, year=year, staff=office.person, grade="competent"
        )
    )
    assert message == "王建国2026年不定等次：没有可审定的等次。"


# --- decide ---------------------------------------------------------------------------------


def test_a_leader_decides_as_proposed_without_a_reason(office, year):
    services.propose(
        actor=office.head, year=year, staff=office.colleague, grade="excellent", comment="好"
    )
    review = services.decide(
        actor=office.leader, year=year, staff=office.colleague, grade="excellent"
    )
    assert (review.grade, review.reason, review.decided_by) == ("excellent", "", office.leader)
    assert review.computed_at_decision == "excellent"
    event = events(office.colleague, AuditAction.ANNUAL_DECIDE).get()
    assert event.changes["2026 annual grade"] == ["", "优秀"]
    assert services.counter(year) == services.Counter(quota=1, decided_good=1)


def test_a_change_needs_a_reason_and_is_recorded(office, year):
    before = snapshot()
    message = refused(
        lambda: services.decide(actor=office.leader, year=year, staff=office.person, grade="basic")
    )
    assert message == "将王建国审定为“基本称职”须填写理由：计算等次为“称职”，建议等次为“称职”。"
    assert snapshot() == before
    review = services.decide(
        actor=office.leader,
        year=year,
        staff=office.person,
        grade="basic",
        reason="全年多次迟报材料。",
    )
    assert review.reason == "全年多次迟报材料。"
    assert events(office.person, AuditAction.ANNUAL_DECIDE).get().reason == "全年多次迟报材料。"


def test_going_over_the_places_needs_a_reason(office, year):
    services.decide(
        actor=office.leader,
        year=year,
        staff=office.person,
        grade="excellent",
        reason="牵头完成全县防汛材料。",
    )
    before = snapshot()
    # 李秀英's computed and proposed grade is 优秀, but the one place is taken.
    message = refused(
        lambda: services.decide(
            actor=office.leader, year=year, staff=office.colleague, grade="excellent"
        )
    )
    assert message == "为李秀英审定“优秀”将超过1个名额，须填写理由。"
    assert snapshot() == before
    review = services.decide(
        actor=office.leader,
        year=year,
        staff=office.colleague,
        grade="excellent",
        reason="经考核委员会研究同意。",
    )
    assert review.reason == "经考核委员会研究同意。"
    counter = services.counter(year)
    assert (counter.quota, counter.decided_good, counter.over) == (1, 2, True)


def test_only_a_leader_decides(office, year):
    before = snapshot()
    for user in (office.head, office.administrator, office.named, office.outsider):
        message = refused(
            lambda user=user: services.decide(
                actor=user, year=year, staff=office.person, grade="competent"
            )
        )
        assert message == "只有领导可以审定等次。"
        assert refused(lambda user=user: services.decide_all_as_proposed(actor=user, year=year))
    assert snapshot() == before


# --- all as proposed ------------------------------------------------------------------------


def test_all_as_proposed_decides_everyone_graded_once(office, year):
    services.propose(
        actor=office.head,
        year=year,
        staff=office.person,
        grade="basic",
        comment="",
        reason="全年多次迟报材料。",
    )
    plan = services.check_all_as_proposed(actor=office.leader, year=year)
    assert (len(plan.pending), plan.places, plan.excellent, plan.over) == (6, 1, 1, [])
    assert services.decide_all_as_proposed(actor=office.leader, year=year) == 6
    decided = dict(AnnualReview.objects.values_list("staff__staff_no", "grade"))
    assert decided["001002"] == "excellent" and decided["001001"] == "basic"
    assert len(decided) == 6
    assert AuditEvent.objects.filter(action=AuditAction.ANNUAL_DECIDE).count() == 6
    message = refused(lambda: services.decide_all_as_proposed(actor=office.leader, year=year))
    assert message == "所有有年度等次的人员均已审定。"


def test_all_as_proposed_over_the_places_needs_a_reason(office, year):
    services.propose(
        actor=office.head,
        year=year,
        staff=office.person,
        grade="excellent",
        comment="",
        reason="牵头完成全县防汛材料。",
    )
    before = snapshot()
    message = refused(lambda: services.decide_all_as_proposed(actor=office.leader, year=year))
    assert message.startswith("按建议全部审定将使")
    assert snapshot() == before
    services.decide_all_as_proposed(actor=office.leader, year=year, reason="经考核委员会研究同意。")
    over = AnnualReview.objects.get(staff=office.person)
    assert "经考核委员会研究同意。" in over.reason
    assert AnnualReview.objects.get(staff=office.colleague).reason == ""
    assert services.counter(year).decided_good == 2
