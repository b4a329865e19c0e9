"""复核 and 申诉 after the notice, for a 不称职 person: the clocks, the steps, the changed grade.

赵志强 (002001) is decided 不称职; the notices are issued on Monday 2026-11-30. 复核 may be asked
until 2026-12-30; the office decides within 30 days of the request; 申诉 within 15 days of that.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from efficiency.models import AnnualReview, AuditEvent
from efficiency.models.audit import AuditAction
from efficiency.services import annual as decisions
from efficiency.services import annual_clocks as clocks
from efficiency.services import annual_publicity as publicity

from . import test_annual_publicity as base
from .factories import make_user

judges = base.judges
year = base.year
decided = base.decided
published = base.published
refused = base.refused


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), tzinfo=ZoneInfo("Asia/Shanghai")),
        tick=True,
    )


@pytest.fixture
def failed(office, published):
    """赵志强 不称职, with a login of his own; the notices out on 2026-11-30."""
    decisions.decide(
        actor=office.leader,
        year=published,
        staff=office.other_person,
        grade="incompetent",
        reason="全年多次严重失误，经研究定为不称职。",
    )
    user = make_user("zhao")
    office.other_person.user = user
    office.other_person.save()
    with at(datetime.date(2026, 11, 30)):
        publicity.issue_notices(actor=office.leader, year=published)
    return user


def test_the_clock_after_the_notice(office, failed):
    clock = clocks.clock_of(2026, office.other_person, today=datetime.date(2026, 12, 1))
    assert (clock.next_step, clock.due, clock.overdue) == (
        "review_request",
        datetime.date(2026, 12, 30),
        False,
    )
    assert clocks.clock_of(2026, office.person) is None  # 称职: no clock


def test_a_review_through_to_a_changed_grade(office, failed):
    with at(datetime.date(2026, 12, 10)):
        clocks.person_step(
            actor=failed,
            year=2026,
            staff=office.other_person,
            step="review_request",
            text="本人全年按时完成任务，失误已整改，请求复核。",
        )
        clock = clocks.clock_of(2026, office.other_person)
        assert (clock.next_step, clock.due, clock.office_waits) == (
            "review_decision",
            datetime.date(2027, 1, 9),
            True,
        )
        assert [c.staff.name for c in clocks.open_clocks(2026)] == ["赵志强"]
    with at(datetime.date(2027, 1, 12)):
        # Overdue on the office's side: shown, not refused.
        assert clocks.open_clocks(2026)[0].overdue
        assert (
            refused(
                lambda: clocks.office_step(
                    actor=office.head,
                    year=2026,
                    staff=office.other_person,
                    step="review_decision",
                    outcome="changed",
                    text="经复核，改为基本称职。",
                    new_grade="basic",
                )
            )
            == "只有领导可以记录复核或申诉的决定。"
        )
        clocks.office_step(
            actor=office.leader,
            year=2026,
            staff=office.other_person,
            step="review_decision",
            outcome="changed",
            text="经复核，部分失误系系统原因，改为基本称职。",
            new_grade="basic",
        )
    review = AnnualReview.objects.get(staff=office.other_person)
    assert (review.grade, review.reason) == ("basic", "经复核，部分失误系系统原因，改为基本称职。")
    decided = AuditEvent.objects.filter(action=AuditAction.ANNUAL_DECIDE).last()
    assert decided.changes["2026 annual grade"] == ["不称职", "基本称职"]
    assert AuditEvent.objects.filter(action=AuditAction.ANNUAL_CLOCK).count() == 2


def test_the_request_is_refused_after_thirty_days_and_for_others(office, failed):
    with at(datetime.date(2026, 12, 31)):
        assert (
            refused(
                lambda: clocks.person_step(
                    actor=failed,
                    year=2026,
                    staff=office.other_person,
                    step="review_request",
                    text="请求复核本年度等次。",
                )
            )
            == "办理时限已于2026-12-30届满。"
        )
        assert clocks.open_clocks(2026) == []
    assert (
        refused(
            lambda: clocks.person_step(
                actor=office.named,
                year=2026,
                staff=office.other_person,
                step="review_request",
                text="请求复核本年度等次。",
            )
        )
        == "只有赵志强本人，或系统管理员根据纸质材料，可以申请复核或提出申诉。"
    )
    assert (
        refused(
            lambda: clocks.person_step(
                actor=office.named,
                year=2026,
                staff=office.person,
                step="review_request",
                text="请求复核",
            )
        )
        == "王建国2026年度未被评为不称职，无须复核。"
    )


def test_an_appeal_within_fifteen_days_of_the_review(office, failed):
    with at(datetime.date(2026, 12, 1)):
        clocks.person_step(
            actor=office.administrator,
            year=2026,
            staff=office.other_person,
            step="review_request",
            text="据本人书面申请录入：请求复核。",
        )
        clocks.office_step(
            actor=office.leader,
            year=2026,
            staff=office.other_person,
            step="review_decision",
            outcome="kept",
            text="经复核，维持不称职。",
        )
    clock = clocks.clock_of(2026, office.other_person, today=datetime.date(2026, 12, 2))
    assert (clock.next_step, clock.due) == ("appeal", datetime.date(2026, 12, 16))
    with at(datetime.date(2026, 12, 17)):
        assert (
            refused(
                lambda: clocks.person_step(
                    actor=failed,
                    year=2026,
                    staff=office.other_person,
                    step="appeal",
                    text="不服复核决定，提出申诉。",
                )
            )
            == "办理时限已于2026-12-16届满。"
        )
    with at(datetime.date(2026, 12, 16)):
        clocks.person_step(
            actor=failed,
            year=2026,
            staff=office.other_person,
            step="appeal",
            text="不服复核决定，提出申诉。",
        )
    assert clocks.clock_of(2026, office.other_person).next_step == "appeal_decision"


# --- the pages ------------------------------------------------------------------------------


def test_the_notice_page_shows_the_clock_and_the_leaders_home_lists_it(office, failed):
    from .conftest import login

    url = "/appraisal/annual/2026/notice/002001/"
    zhao = login(failed)
    content = zhao.get(url).content.decode()
    assert 'id="notice-clock"' in content and "期限2026-12-30" in content
    assert "按自然日计算" in content
    zhao.post(f"{url}clock/", {"step": "review_request", "text": "请求复核本年度等次。"})
    assert clocks.clock_of(2026, office.other_person).next_step == "review_decision"
    home = login(office.leader).get("/").content.decode()
    assert 'id="year-clocks"' in home and "赵志强 · 复核决定" in home
    # The person cannot record the office's decision; the leader does, after a question.
    data = {"step": "review_decision", "outcome": "kept", "text": "经复核，维持不称职。"}
    assert zhao.post(f"{url}clock/", data).status_code == 403
    leader = login(office.leader)
    ask = leader.post(f"{url}clock/", data)
    assert "记录对赵志强申请的决定？" in ask.content.decode()
    assert clocks.clock_of(2026, office.other_person).next_step == "review_decision"
    leader.post(f"{url}clock/", {**data, "confirmed": "1"})
    assert clocks.clock_of(2026, office.other_person).next_step == "appeal"
