"""After the year's decision: 公示 of the 优秀, objections, the result notices and 本人意见.

The office of tests/test_annual_decision.py, every grade decided as proposed (李秀英 优秀).
Today is Friday 2026-11-20: five working days of 公示 end on Friday 2026-11-27.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from efficiency.models import AnnualAppraisal, AnnualReview, AuditEvent
from efficiency.models.audit import AuditAction
from efficiency.services import annual as decisions
from efficiency.services import annual_publicity as services

from . import test_annual_decision as base

judges = base.judges
year = base.year
refused = base.refused
YEAR = 2026
AFTER_WINDOW = datetime.datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def decided(office, year):
    decisions.decide_all_as_proposed(actor=office.leader, year=year)
    return year


@pytest.fixture
def published(office, decided):
    services.publish(actor=office.leader, year=decided)
    return decided


def snapshot():
    return (
        list(AnnualAppraisal.objects.values()),
        list(AnnualReview.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def test_publish_sets_five_working_days_and_is_recorded(office, decided):
    appraisal = services.publish(actor=office.leader, year=decided)
    assert (appraisal.state, appraisal.published_on, appraisal.publicity_ends) == (
        "publicity",
        datetime.date(2026, 11, 20),
        datetime.date(2026, 11, 27),
    )
    event = AuditEvent.objects.get(action=AuditAction.ANNUAL_PUBLISH)
    assert event.changes["优秀"] == "李秀英"
    assert [r.staff.name for r in services.excellent_list(decided)] == ["李秀英"]
    # Proposals end with the publicity.
    message = refused(
        lambda: decisions.propose(
            actor=office.head, year=decided, staff=office.person, grade="competent", comment=""
        )
    )
    assert message == "2026年度“优秀”人选已公示，等次建议不能再修改。"


def test_publish_refuses_undecided_years_short_windows_and_others(office, year):
    before = snapshot()
    assert refused(lambda: services.publish(actor=office.leader, year=year)) == (
        "2026年尚有6个年度等次未审定，请先审定。"
    )
    decisions.decide_all_as_proposed(actor=office.leader, year=year)
    before = snapshot()
    assert refused(lambda: services.publish(actor=office.leader, year=year, days=4)) == (
        "公示期至少5个工作日（最多30个）。"
    )
    for user in (office.head, office.administrator, office.named):
        assert refused(lambda user=user: services.publish(actor=user, year=year)) == (
            "只有领导可以公示年度考核结果。"
        )
    assert snapshot() == before


def test_an_objection_upheld_changes_the_decision_with_a_record(office, published):
    objection = services.lodge_objection(
        actor=office.named, year=published, staff=office.colleague, reason="该同志本年度有迟报。"
    )
    assert objection.lodged_by == office.named
    # Someone not on the list cannot be objected to.
    message = refused(
        lambda: services.lodge_objection(
            actor=office.named, year=published, staff=office.person, reason="理由充分的异议"
        )
    )
    assert message == "王建国不在2026年度的公示名单上。"
    assert (
        refused(
            lambda: services.answer_objection(
                actor=office.head, objection=objection, answer="upheld", reply="经核实属实。"
            )
        )
        == "只有领导可以答复异议。"
    )
    services.answer_objection(
        actor=office.leader,
        objection=objection,
        answer="upheld",
        reply="经核实，该同志本年度确有迟报，改为称职。",
        new_grade="competent",
    )
    review = AnnualReview.objects.get(staff=office.colleague)
    assert (review.grade, review.reason) == (
        "competent",
        "经核实，该同志本年度确有迟报，改为称职。",
    )
    assert AuditEvent.objects.filter(action=AuditAction.OBJECTION_ANSWER).count() == 1
    assert (
        refused(
            lambda: services.answer_objection(
                actor=office.leader, objection=objection, answer="rejected", reply="不成立的答复"
            )
        )
        == "该异议已答复，答复后不能更改。"
    )


def test_notices_wait_for_the_window_and_the_answers(office, published):
    objection = services.lodge_objection(
        actor=office.named, year=published, staff=office.colleague, reason="该同志本年度有迟报。"
    )
    before = snapshot()
    assert refused(lambda: services.issue_notices(actor=office.leader, year=published)) == (
        "2026年度公示期至2026-11-27，公示期满后再发通知书。"
    )
    with time_machine.travel(AFTER_WINDOW, tick=True):
        # Objections are lodged only during the window.
        assert (
            refused(
                lambda: services.lodge_objection(
                    actor=office.named, year=published, staff=office.colleague, reason="迟到的异议"
                )
            )
            == "对2026年度“优秀”人选的异议只能在公示期内提出。"
        )
        assert refused(lambda: services.issue_notices(actor=office.leader, year=published)) == (
            "尚有1条异议未答复，请先答复。"
        )
        assert snapshot() == before
        services.answer_objection(
            actor=office.leader, objection=objection, answer="rejected", reply="经核实，不属实。"
        )
        appraisal = services.issue_notices(actor=office.leader, year=published)
        assert appraisal.notice_date == datetime.date(2026, 11, 30)
        assert AuditEvent.objects.filter(action=AuditAction.ANNUAL_NOTICE).count() == 1
        # Decisions no longer change here once the notices are out.
        assert (
            refused(
                lambda: decisions.decide(
                    actor=office.leader, year=published, staff=office.person, grade="competent"
                )
            )
            == "2026年度考核结果通知书已发出，审定不能再在此修改。"
        )


def test_the_notice_and_the_persons_opinion(office, published):
    assert services.notice_of(published, office.person) is None
    with time_machine.travel(AFTER_WINDOW, tick=True):
        services.issue_notices(actor=office.leader, year=published)
        notice = services.notice_of(published, office.person)
        assert (notice.grade_label, notice.notice_date, notice.review_by) == (
            "称职",
            datetime.date(2026, 11, 30),
            None,
        )
        assert (
            refused(
                lambda: services.record_opinion(
                    actor=office.head, year=published, staff=office.person, opinion="agree"
                )
            )
            == "只有王建国本人，或系统管理员根据纸质材料，可以登记本人意见。"
        )
        assert (
            refused(
                lambda: services.record_opinion(
                    actor=office.named, year=published, staff=office.person, opinion="disagree"
                )
            )
            == "请写明有异议的内容。"
        )
        review = services.record_opinion(
            actor=office.named, year=published, staff=office.person, opinion="agree"
        )
        assert (review.opinion, review.opinion_by) == ("agree", office.named)
        entered = services.record_opinion(
            actor=office.administrator,
            year=published,
            staff=office.colleague,
            opinion="disagree",
            text="对等次有异议。",
        )
        assert entered.opinion_text == "对等次有异议。"
        event = AuditEvent.objects.filter(action=AuditAction.FEEDBACK).last()
        assert event.changes["entered for"] == ["", "李秀英"]


def test_an_incompetent_grade_gets_the_review_deadline(office, decided):
    services.publish(actor=office.leader, year=decided)
    decisions.decide(
        actor=office.leader,
        year=decided,
        staff=office.other_person,
        grade="incompetent",
        reason="全年多次严重失误，经研究定为不称职。",
    )
    with time_machine.travel(AFTER_WINDOW, tick=True):
        services.issue_notices(actor=office.leader, year=decided)
        notice = services.notice_of(decided, office.other_person)
        assert notice.review_by == datetime.date(2026, 12, 30)
