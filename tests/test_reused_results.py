"""An open or closed quarter's ranking is reused between calls, and never once stale.

Each test reads the ranking (so it is kept), changes one thing the ranking is computed from,
and reads it again: the second read must be what a computation from scratch gives, and differ
from the first. A read with nothing changed must not read the marks again.
"""

import datetime
from decimal import Decimal

import pytest

from efficiency import results
from efficiency.models import (
    PeriodCriterion,
    Score,
    Section,
    Staff,
    StoredRanking,
)
from efficiency.roles import Role
from efficiency.scoring import Grade
from efficiency.services import reviews
from efficiency.services.appraisal import period_close, score_save

from . import test_pools
from . import test_view_results as base
from .factories import make_staff, make_user
from .test_stored_results import on_probation

# The quarter of the pools' tests: two pools, five assessors, marks, a serious incident.
judges, period = test_pools.judges, test_pools.period


def fresh(period, kind=results.STAFF):
    return results._computed_ranking(period, kind, reuse=False)


@pytest.fixture
def kept(period):
    """The ranking read once (and so kept); the test changes something, then reads again."""
    results.forget_kept()
    first = results.ranking(period)
    assert first == fresh(period)
    return first


def read_again(period, kind=results.STAFF):
    again = results.ranking(period, kind)
    assert again == fresh(period, kind)
    return again


def test_an_unchanged_quarter_does_not_read_its_marks_again(period, kept, monkeypatch):
    def no_marks(*args, **kwargs):
        raise AssertionError("the marks were read again")

    monkeypatch.setattr(results, "_marks", no_marks)
    assert results.ranking(period) == kept
    assert not StoredRanking.objects.exists()  # only a locked quarter is stored


def test_a_changed_mark_shows_at_once(office, period, judges, kept):
    score_save(
        assessor=judges[0], period=period, criterion_code="duty", staff=office.colleague, value="60"
    )
    assert read_again(period).row("001002").result != kept.row("001002").result


def test_a_mark_changed_behind_the_services_back_shows_at_once(office, period, judges, kept):
    # QuerySet.update() leaves updated_at as it was: the sums still see it.
    mark = Score.objects.filter(period=period, staff=office.colleague).order_by("pk").first()
    Score.objects.filter(pk=mark.pk).update(tenths=mark.tenths - 300)
    assert read_again(period).row("001002").result != kept.row("001002").result


def test_marks_changed_so_that_their_sums_stay_show_at_once(office, period, judges, kept):
    # +1, −2, +1 tenths on three of a person's marks in id order: the same sum and the same
    # id-weighted sum when the ids are consecutive.
    marks = list(Score.objects.filter(period=period, staff=office.colleague).order_by("pk")[:3])
    assert [m.pk for m in marks] == [marks[0].pk, marks[0].pk + 1, marks[0].pk + 2]
    for mark, change in zip(marks, (1, -2, 1), strict=True):
        Score.objects.filter(pk=mark.pk).update(tenths=mark.tenths + change)
    assert read_again(period).row("001002").result != kept.row("001002").result


def test_a_removed_mark_shows_at_once(office, period, kept):
    Score.objects.filter(period=period, staff=office.other_person).first().delete()
    assert read_again(period).row("002001").progress != kept.row("002001").progress


def test_an_established_incident_shows_at_once(office, period, kept):
    base.established(office, office.colleague, severity="minor")
    row = read_again(period).row("001002")
    assert row.result.deductions_total > kept.row("001002").result.deductions_total


def test_a_standing_shows_at_once(office, period, kept):
    on_probation(office, office.colleague)
    assert read_again(period).row("001002").undetermined
    assert not kept.row("001002").undetermined


def decide_good(office, period):
    reviews.decide(
        actor=office.leader,
        period=period,
        staff=office.other_person,
        grade="good",
        reason="援藏一年，表现突出",
    )


def test_a_decision_shows_at_once(office, period, kept):
    assert kept.row("002001").result.grade != Grade.GOOD
    decide_good(office, period)
    row = read_again(period).row("002001")
    assert row.result.grade == Grade.GOOD
    assert row.override.reason == "援藏一年，表现突出"


def test_a_decision_on_a_closed_quarter_shows_at_once(office, period):
    period_close(actor=office.leader, period=period)
    results.ranking(period)
    decide_good(office, period)
    assert read_again(period).row("002001").result.grade == Grade.GOOD


def test_a_pool_membership_shows_at_once(office, period, judges, kept):
    newcomer = make_staff(office.b, "新同志", "002099", category="institution")
    base.mark(period, judges, newcomer, [("96", "96", "96")] * 3)
    before = results.ranking(period)
    assert before.row("002099").pool == f"p{test_pools.institution_pool().pk}"
    Staff.objects.filter(pk=newcomer.pk).update(category="civil_servant")
    assert read_again(period).row("002099").pool != before.row("002099").pool


def test_a_renamed_person_or_section_shows_at_once(office, period, judges, kept):
    Staff.objects.filter(pk=office.colleague.pk).update(name="李秀云")
    assert read_again(period).row("001002").facts.name == "李秀云"
    base.mark_section(period, judges, office.b)
    results.ranking(period, results.SECTION)
    Section.objects.filter(pk=office.b.pk).update(name="综合股")
    assert read_again(period, results.SECTION).row("ZHK").facts.name == "综合股"


def test_a_new_assessor_shows_at_once(office, period, kept):
    make_user("judge9", Role.ASSESSOR)
    assert read_again(period).row("001002").progress.expected > (
        kept.row("001002").progress.expected
    )


def test_a_criterion_weight_shows_at_once(office, period, kept):
    # Weights 40/40/20 → 60/20/20: the same sum, another base.
    PeriodCriterion.objects.filter(period=period, code="duty").update(weight=Decimal("60"))
    PeriodCriterion.objects.filter(period=period, code="performance").update(weight=Decimal("20"))
    assert read_again(period).row("001001").result.base != kept.row("001001").result.base


def spy(monkeypatch, *names) -> list[str]:
    """Record calls of these functions of efficiency.results (they still run)."""
    calls: list[str] = []
    for name in names:
        real = getattr(results, name)

        def recorded(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(results, name, recorded)
    return calls


def test_a_saved_mark_reads_only_the_marks_again(office, period, judges, kept, monkeypatch):
    """Facts, assessors and decisions are kept under the change counter: a mark moves the
    period's marks counter only, so the next read takes them as they were."""
    score_save(
        assessor=judges[0], period=period, criterion_code="duty", staff=office.colleague, value="61"
    )
    calls = spy(monkeypatch, "_marks", "subject_facts", "_assessors", "_overrides")
    again = results.ranking(period)
    assert calls == ["_marks"]
    monkeypatch.undo()
    assert again == fresh(period)
    assert again.row("001002").result != kept.row("001002").result


def test_a_first_mark_on_someone_out_of_post_shows_at_once(office, period, judges, kept):
    """Someone who left before the quarter is appraised once marked, and no longer when the
    marks are withdrawn, although nothing but the marks changed."""
    left = make_staff(office.b, "调离者", "002098", end_date=datetime.date(2026, 6, 30))
    assert results.ranking(period).row("002098") is None
    base.mark(period, judges[:1], left, [("77", "77", "77")])
    assert read_again(period).row("002098").progress.given == 3
    Score.objects.filter(period=period, staff=left).delete()
    assert read_again(period).row("002098") is None
