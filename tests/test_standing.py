"""考核情况: the service that sets standings, the page /appraisal/<code>/standing/, and what
不定等次 / 不参加考核 do to a quarter's ranking and the year's roll-up."""

import datetime

import pytest
from django.utils import translation

from efficiency import results, standings
from efficiency.models import AuditEvent, Period, StaffStanding
from efficiency.models.audit import AuditAction
from efficiency.services import ServiceError
from efficiency.services.appraisal import period_close, period_lock
from efficiency.services.standing import (
    apply_probation_proposals,
    clear_standing,
    set_standing,
)

from .conftest import login
from .factories import ensure_default_criteria
from .report_support import quarter

PAGE = "/appraisal/2026Q3/standing/"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def put(office, staff, quarter=3, standing="undetermined", reason="investigation", note=""):
    """Set a standing as the administrator (2026; ``quarter`` None: the year)."""
    return set_standing(
        actor=office.administrator,
        staff=staff,
        year=2026,
        quarter=quarter,
        standing=standing,
        reason=reason,
        note=note,
    )


def undetermined(office, staff=None, quarter=3, reason="investigation", note=""):
    return put(office, staff or office.person, quarter, reason=reason, note=note)


# --- the service ------------------------------------------------------------------------------


def test_it_sets_changes_and_clears_with_history(office):
    undetermined(office, note="纪委立案")
    row = StaffStanding.objects.get()
    assert (row.standing, row.reason, row.note, row.set_by) == (
        "undetermined",
        "investigation",
        "纪委立案",
        office.administrator,
    )
    undetermined(office, reason="sanction", note="纪委立案")
    assert clear_standing(actor=office.administrator, staff=office.person, year=2026, quarter=3)
    assert not StaffStanding.objects.exists()
    events = AuditEvent.objects.filter(object_id=str(office.person.pk)).order_by("pk")
    assert [(e.action, e.changes) for e in events] == [
        (
            AuditAction.STANDING_SET,
            {
                "standing": ["", "undetermined"],
                "reason": ["", "investigation"],
                "note": ["", "纪委立案"],
                "period": "2026Q3",
            },
        ),
        (
            AuditAction.STANDING_SET,
            {"reason": ["investigation", "sanction"], "period": "2026Q3"},
        ),
        (
            AuditAction.STANDING_CLEAR,
            {
                "standing": ["undetermined", ""],
                "reason": ["sanction", ""],
                "note": ["纪委立案", ""],
                "period": "2026Q3",
            },
        ),
    ]


@pytest.mark.parametrize(
    "standing, reason, quarter_number, message",
    [
        ("undetermined", "seconded", 3, "“借调或驻村”不是不定等次的原因。"),
        ("absent", "probation", 3, "“新录用试用期”不是不参加考核的原因。"),
        ("absent", "long_leave", 3, "“病、事假累计超过半年”只适用于年度考核，不适用于季度。"),
        ("promoted", "probation", 3, "请选择不定等次或不参加考核。"),
    ],
)
def test_it_refuses_a_reason_that_does_not_fit(office, standing, reason, quarter_number, message):
    with pytest.raises(ServiceError) as refused:
        set_standing(
            actor=office.administrator,
            staff=office.person,
            year=2026,
            quarter=quarter_number,
            standing=standing,
            reason=reason,
        )
    assert refused.value.message == message
    assert not StaffStanding.objects.exists() and not AuditEvent.objects.exists()


def test_long_leave_is_allowed_for_the_year(office):
    put(office, office.person, None, "absent", "long_leave")
    assert StaffStanding.objects.get().quarter is None


def test_it_refuses_a_locked_quarter(office):
    period = quarter(office, state="locked", incidents=False)
    with pytest.raises(ServiceError) as refused:
        undetermined(office)
    assert refused.value.message == "2026Q3 已锁定，考核情况不能再更改。"
    assert period.is_locked and not StaffStanding.objects.exists()


def test_only_the_administrator_sets_standings(office):
    with pytest.raises(ServiceError):
        set_standing(
            actor=office.leader,
            staff=office.person,
            year=2026,
            quarter=3,
            standing="undetermined",
            reason="probation",
        )


def test_probation_dates_propose_and_are_applied_once(office):
    office.person.probation_ends = datetime.date(2026, 12, 31)
    office.person.save()
    office.colleague.probation_ends = datetime.date(2026, 7, 2)  # ends in Q3: still covers it
    office.colleague.save()
    assert [p.staff for p in standings.probation_proposals(2026, 4)] == [office.person]
    q3 = [p.staff.staff_no for p in standings.probation_proposals(2026, 3)]
    assert q3 == sorted([office.person.staff_no, office.colleague.staff_no])
    assert standings.probation_proposals(2027, 1) == []
    office.colleague.probation_ends = datetime.date(2026, 7, 1)  # ended on the first day
    office.colleague.save()
    assert [p.staff for p in standings.probation_proposals(2026, 3)] == [office.person]
    assert [p.staff for p in standings.probation_proposals(2026, None)] == [office.person]
    assert apply_probation_proposals(actor=office.administrator, year=2026, quarter=4) == 1
    row = StaffStanding.objects.get()
    assert (row.reason, row.note) == ("probation", "试用期至2026年12月31日")
    assert standings.probation_proposals(2026, 4) == []


# --- results ----------------------------------------------------------------------------------


def test_undetermined_is_ranked_without_grade_and_outside_the_quota(office):
    period = quarter(office, state="open", incidents=False)
    before = results.ranking(period)
    undetermined(office, staff=office.colleague, note="纪委立案")
    table = results.ranking(period)
    row = table.row(office.colleague.staff_no)
    assert row.undetermined and row.result.grade is None and row.result.final is not None
    assert row.facts.standing_reason_label == "被立案调查尚未结案（纪委立案）"
    assert table.result.graded_count == before.result.graded_count - 1
    assert table.result.assessed_count == before.result.assessed_count


def test_absent_people_are_listed_nowhere(office):
    period = quarter(office, state="open", incidents=False)
    put(office, office.colleague, 3, "absent", "seconded")
    assert results.ranking(period).row(office.colleague.staff_no) is None
    assert not results.staff_in_period(period).filter(pk=office.colleague.pk).exists()


def test_a_locked_quarter_keeps_its_standings(office):
    period = quarter(office, state="open", incidents=False)
    undetermined(office, staff=office.colleague)
    period = period_lock(
        actor=office.leader, period=period_close(actor=office.leader, period=period)
    )
    StaffStanding.objects.all().delete()  # even if the row went away, the frozen facts keep it
    table = results.ranking(Period.objects.get(pk=period.pk))
    assert table.row(office.colleague.staff_no).undetermined


def test_annual_standing(office):
    quarter(office, state="closed", incidents=False)
    put(office, office.colleague, None, "undetermined", "sanction")
    put(office, office.person, None, "absent", "long_leave")
    rollup = results.annual_rollup(2026)
    keys = {row.facts.key: row for row in rollup.rows}
    assert office.person.staff_no not in keys
    colleague = keys[office.colleague.staff_no]
    assert colleague.undetermined and colleague.result.grade is None
    assert colleague.standing_reason_label == "受处分期间"


# --- the page ---------------------------------------------------------------------------------


def test_the_administrator_sets_one_on_the_page(office):
    client = login(office.administrator)
    response = client.post(
        PAGE, {"action": "set", "person": office.person.name, "choice": "undetermined:sanction"}
    )
    assert response.status_code == 302
    assert StaffStanding.objects.get().reason == "sanction"
    page = client.get(PAGE).content.decode()
    assert "受处分期间" in page and office.person.staff_no in page


def test_the_page_says_who_nobody_is(office):
    client = login(office.administrator)
    response = client.post(
        PAGE, {"action": "set", "person": "无此人", "choice": "undetermined:sanction"}
    )
    assert response.status_code == 400
    assert "没有工号或姓名为“无此人”的人员。" in response.content.decode()
    assert not StaffStanding.objects.exists()


def test_applying_proposals_asks_first(office):
    office.person.probation_ends = datetime.date(2026, 12, 31)
    office.person.save()
    client = login(office.administrator)
    assert "试用期至2026年12月31日" in client.get(PAGE).content.decode()
    asked = client.post(PAGE, {"action": "apply"})
    assert asked.status_code == 200 and not StaffStanding.objects.exists()
    assert office.person.name in asked.content.decode()
    client.post(PAGE, {"action": "apply", "confirmed": "1"})
    assert StaffStanding.objects.get().staff == office.person


def test_leaders_read_and_others_are_refused(office):
    undetermined(office)
    page = login(office.leader).get(PAGE)
    assert page.status_code == 200 and "standing-form" not in page.content.decode()
    assert (
        login(office.leader).post(PAGE, {"action": "clear", "staff_no": "001001"}).status_code
        == 403
    )
    assert login(office.assessor).get(PAGE).status_code == 403


def test_opening_a_quarter_names_the_proposals_but_does_not_apply_them(office):
    ensure_default_criteria()
    office.person.probation_ends = datetime.date(2026, 12, 31)
    office.person.save()
    asked = login(office.leader).post("/appraisal/open/", {"code": "2026Q4"})
    text = asked.content.decode()
    assert "试用期建议王建国不定等次；开启考核期不会自动应用" in text
    login(office.leader).post("/appraisal/open/", {"code": "2026Q4", "confirmed": "1"})
    assert Period.objects.get(code="2026Q4").state == "open"
    assert not StaffStanding.objects.exists()
    assert [p.staff for p in standings.probation_proposals(2026, 4)] == [office.person]
