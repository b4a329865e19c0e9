"""efficiency.results: the stored marks and incidents become the numbers leaders see."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from efficiency import results
from efficiency.models import Period
from efficiency.roles import Role
from efficiency.services import incidents as incident_services
from efficiency.services.appraisal import period_close, period_lock, period_open, score_save

from .factories import make_staff, make_user, report


@pytest.fixture
def period(office):
    return period_open(actor=office.leader, code="2026Q3")


@pytest.fixture
def assessors(office):
    extra = [make_user(f"judge{n}", Role.ASSESSOR) for n in range(3)]
    return [office.assessor, office.leader, *extra]


def mark_all(period, assessors, staff, marks_by_assessor):
    for assessor, (duty, performance, service) in zip(assessors, marks_by_assessor, strict=True):
        for code, value in [("duty", duty), ("performance", performance), ("service", service)]:
            score_save(
                assessor=assessor, period=period, criterion_code=code, staff=staff, value=value
            )


def test_a_persons_final_from_marks_and_deductions(office, period, assessors):
    mark_all(
        period,
        assessors,
        office.person,
        [
            ("90", "80", "70"),
            ("92", "84", "74"),
            ("94", "88", "78"),
            ("96", "92", "82"),
            ("98", "96", "86"),
        ],
    )
    incident = report(
        office.clerk,
        section=office.a,
        responsible=[office.person],
        standard=office.slip,
        severity="serious",
        occurred_on=datetime.date(2026, 8, 3),
    )
    incident_services.incident_verify(actor=office.supervisor, incident=incident)
    row = results.ranking(period).row("001001")
    # Five marks: the highest and lowest are dropped, the middle three averaged.
    assert [a.average for a in row.result.averages] == [
        Decimal("94.00"),
        Decimal("88.00"),
        Decimal("78.00"),
    ]
    # 40% × 94 + 40% × 88 + 20% × 78 = 88.4; the 较重 失误 deducts 4.
    assert row.result.base == Decimal("88.40")
    assert row.result.deductions_total == Decimal("4.0")
    assert row.result.final == Decimal("84.40")
    assert row.result.grade == "fairly_good"
    assert row.facts.deductions[0].number == incident.number
    assert row.progress.complete


def test_only_established_incidents_of_the_quarter_deduct(office, period, assessors):
    mark_all(period, assessors[:1], office.person, [("90", "90", "90")])
    reported = report(
        office.clerk,
        section=office.a,
        responsible=[office.person],
        standard=office.delay,
        occurred_on=datetime.date(2026, 7, 10),
    )
    dismissed = report(
        office.clerk,
        section=office.a,
        responsible=[office.person],
        standard=office.delay,
        occurred_on=datetime.date(2026, 7, 11),
    )
    incident_services.incident_dismiss(
        actor=office.supervisor, incident=dismissed, reason="经核实不属实。"
    )
    # A quarter not yet appraised, but not locked either: it still takes incidents.
    Period.objects.create(code="2026Q2", year=2026, quarter=2)
    other_quarter = report(
        office.clerk,
        section=office.a,
        responsible=[office.person],
        standard=office.delay,
        occurred_on=datetime.date(2026, 6, 30),
    )
    incident_services.incident_verify(actor=office.supervisor, incident=other_quarter)
    assert results.ranking(period).row("001001").result.deductions_total == 0
    incident_services.incident_verify(actor=office.supervisor, incident=reported)
    assert results.ranking(period).row("001001").result.deductions_total == Decimal("1.0")


def test_a_section_counts_each_incident_once(office, period, assessors):
    for assessor in assessors[:2]:
        for code in ("duty", "performance", "service"):
            score_save(
                assessor=assessor, period=period, criterion_code=code, section=office.a, value="90"
            )
    incident = report(
        office.clerk,
        section=office.a,
        responsible=[office.person, office.colleague],
        standard=office.error,
        occurred_on=datetime.date(2026, 9, 1),
    )
    incident_services.incident_verify(actor=office.supervisor, incident=incident)
    row = results.ranking(period, results.SECTION).row("MSK")
    assert row.result.deductions_total == Decimal("3.0")
    assert row.result.final == Decimal("87.00")
    assert row.result.grade is None
    people = results.ranking(period)
    assert people.row("001001").result.deductions_total == Decimal("3.0")
    assert people.row("001002").result.deductions_total == Decimal("3.0")


def test_people_without_all_marks_are_not_assessed_and_counted_as_unfinished(
    office, period, assessors
):
    score_save(
        assessor=office.assessor,
        period=period,
        criterion_code="duty",
        staff=office.person,
        value="90",
    )
    table = results.ranking(period)
    row = table.row("001001")
    assert not row.result.assessed
    assert row.result.rank is None
    assert row.progress.given == 1
    assert table.not_fully_marked == len(table.rows)


def test_progress_leaves_out_the_assessors_own_row(office, period):
    assessor_staff = make_staff(office.b, "钱考评", "009001")
    assessor_staff.user = office.assessor
    assessor_staff.save()
    table = results.ranking(period)
    assessors = Group.objects.get(name=Role.ASSESSOR).user_set.count()
    assert table.row("009001").progress.expected == (assessors - 1) * 3
    assert table.row("001001").progress.expected == assessors * 3


def test_a_locked_period_keeps_its_results_when_incidents_change(office, period, assessors):
    mark_all(period, assessors[:1], office.person, [("90", "90", "90")])
    incident = report(
        office.clerk,
        section=office.a,
        responsible=[office.person],
        standard=office.delay,
        occurred_on=datetime.date(2026, 7, 10),
    )
    incident_services.incident_verify(actor=office.supervisor, incident=incident)
    period_close(actor=office.leader, period=period)
    period_lock(actor=office.leader, period=period)
    before = results.ranking(period).row("001001").result.final
    incident_services.incident_handle(
        actor=office.supervisor, incident=incident, decision="criticism", note=""
    )
    incident_services.incident_appeal(actor=office.named, incident=incident, text="不服处理决定。")
    incident_services.incident_decide_appeal(
        actor=office.supervisor, incident=incident, uphold=True, reason="申诉理由成立。"
    )
    period.refresh_from_db()
    assert before == Decimal("89.00")
    assert results.ranking(period).row("001001").result.final == before


def test_the_ranking_takes_the_same_queries_at_two_sizes(office, period, assessors):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            results.ranking(period)
        return len(captured.captured_queries)

    small = queries()
    for n in range(30):
        staff = make_staff(office.b, f"新人{n}", f"0800{n:02d}")
        mark_all(period, assessors[:2], staff, [("85", "85", "85"), ("88", "88", "88")])
    assert queries() == small
