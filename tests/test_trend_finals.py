"""Trends read a locked quarter's finals from its stored ranking, kept small between requests,
and never once stale: each final is the one the person's own marks and deductions give."""

import uuid
from dataclasses import replace
from decimal import Decimal

import pytest

from efficiency import plain_data, results, scoring
from efficiency.models import Period, Section, Staff, StoredRanking

from . import test_stored_results
from .factories import make_staff

# The quarter locked with marks, a deduction, a decision and one person 不定等次.
appeal, locked = test_stored_results.appeal, test_stored_results.locked


@pytest.fixture(autouse=True)
def forget():
    results.forget_kept()


def alone(period, staff):
    """The final the old way: the one person scored alone."""
    row = results._single_result(period, results.STAFF, staff.pk)
    return row.final if row and row.assessed else None


def people(office):
    """Those of the locked quarter, and one who joined after it (no point)."""
    newcomer = Staff.objects.filter(staff_no="001099").first() or make_staff(
        office.a, "新来的", "001099"
    )
    return [office.person, office.colleague, office.other_person, newcomer]


def test_a_locked_quarters_trend_is_each_persons_own_final(office, locked):
    for staff in people(office):
        [point] = results.staff_trend(staff, [locked])
        assert point.final == alone(locked, staff)
    [point] = results.staff_trend(office.person, [locked])
    assert point.final == Decimal("86.75")  # 88.75 − 2 for the slip
    [point] = results.staff_trend(people(office)[-1], [locked])
    assert point.final is None  # not in the quarter


def test_a_locked_quarters_trend_reads_no_mark(office, locked, monkeypatch):
    results.staff_trend(office.person, [locked])  # decoded once
    results.section_trends([locked])

    def no_marks(*args, **kwargs):
        raise AssertionError("scored again")

    monkeypatch.setattr(results, "_single_result", no_marks)
    monkeypatch.setattr(results, "_decoded", no_marks)
    monkeypatch.setattr(results, "_computed_ranking", no_marks)
    assert results.staff_trend(office.person, [locked])[0].final == Decimal("86.75")
    assert results.section_trends([locked])


def test_a_rewritten_stored_ranking_shows_in_the_trend_at_once(office, locked):
    assert results.staff_trend(office.person, [locked])[0].final == Decimal("86.75")
    assert Decimal("12.34") not in finals_of_sections(locked)
    firsts = {}
    for kind in (results.STAFF, results.SECTION):
        stored = StoredRanking.objects.get(period=locked, kind=kind)
        data = stored.data
        result = plain_data.decoder(scoring.PeriodResult)(data["result"])
        changed = replace(result.results[0], final=Decimal("12.34"))
        data["result"] = plain_data.encoder(scoring.PeriodResult)(
            replace(result, results=(changed, *result.results[1:]))
        )
        firsts[kind] = plain_data.decoder(results.SubjectFacts)(data["rows"][0][0]).pk
        StoredRanking.objects.filter(pk=stored.pk).update(data=data, token=uuid.uuid4())
    first = Staff.objects.get(pk=firsts[results.STAFF])
    assert results.staff_trend(first, [locked])[0].final == Decimal("12.34")
    assert Decimal("12.34") in finals_of_sections(locked)


def finals_of_sections(period):
    return [p.final for points in results.section_trends([period]).values() for p in points]


def test_a_quarter_without_a_stored_ranking_is_scored_as_before(office, locked):
    StoredRanking.objects.all().delete()
    for staff in people(office):
        assert results.staff_trend(staff, [locked])[0].final == alone(locked, staff)
    series = results.section_trends([locked])
    assert StoredRanking.objects.filter(period=locked, kind=results.SECTION).exists()
    table = results._computed_ranking(locked, results.SECTION)
    assert series == {
        row.facts.name: [
            results.TrendPoint(locked.code, row.result.final if row.result.assessed else None)
        ]
        for row in table.rows
    }


def test_the_ranking_at_hand_gives_the_same_point(office, locked):
    table = results.ranking(locked)
    for staff in people(office):
        known = results.staff_trend(staff, [locked], known=table)
        assert known == [results.TrendPoint(locked.code, alone(locked, staff))]


def test_a_section_renamed_since_keeps_one_line_under_its_name_now(office, locked):
    results.section_trends([locked])  # kept under the old name
    Section.objects.filter(pk=office.b.pk).update(name="改名后的科室")
    series = results.section_trends([locked])
    assert "改名后的科室" in series
    assert office.b.name not in series


def test_many_locked_quarters_take_one_query_for_their_finals(
    office, locked, django_assert_num_queries
):
    periods = [Period.objects.get(pk=locked.pk)] * 3
    staff = Staff.objects.get(pk=office.person.pk)
    results.staff_trend(staff, periods)
    with django_assert_num_queries(1):
        points = results.staff_trend(staff, periods)
    assert [p.final for p in points] == [Decimal("86.75")] * 3


def test_a_quarter_locked_before_rankings_were_stored_is_stored_by_a_trend(
    office, locked, monkeypatch
):
    StoredRanking.objects.filter(period=locked).delete()  # as a quarter locked before 0025
    expected = {staff.pk: alone(locked, staff) for staff in people(office)}
    monkeypatch.setattr(
        results, "_single_result", lambda *a: pytest.fail("frozen facts parsed for one person")
    )
    for staff in people(office):
        assert results.staff_trend(staff, [locked])[0].final == expected[staff.pk]
    assert StoredRanking.objects.filter(period=locked, kind=results.STAFF).count() == 1
