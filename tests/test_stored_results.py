"""A locked quarter's ranking is computed once, when it locks, and read back from storage.

What is stored reads back into the very objects the computation gives (Decimal exponents
included); a 更正 recorded after the lock still shows; a locked quarter is never computed again
(no mark is read); a quarter locked before the store existed, or stored in an older layout, is
computed on its first read and stored then.
"""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from efficiency import plain_data, results, scoring
from efficiency.models import Period, PeriodState, StaffStanding, StoredRanking
from efficiency.models.standing import StandingKind, StandingReason
from efficiency.scoring import CriterionSpec, Deduction, Severity, SubjectInput, Tenths
from efficiency.services import appraisal as services
from efficiency.services import corrections, reviews
from efficiency.services import incidents as incident_services

from . import test_corrections, test_demo
from .test_period_lock import mark

# The incident appealed after the lock (test_corrections), the demo loaded once a class.
appeal, demo = test_corrections.appeal, test_demo.demo

CODES = ("duty", "performance", "service")

# --- the layout, without a database ------------------------------------------------------

CRITERIA = (
    CriterionSpec("duty", "履职", Decimal("40")),
    CriterionSpec("performance", "实绩", Decimal("35.5")),
    CriterionSpec("service", "服务", Decimal("24.5")),
)
tenths = st.lists(st.integers(min_value=0, max_value=1000), min_size=0, max_size=7)
subject = st.fixed_dictionaries(
    {
        "marks": st.tuples(tenths, tenths, tenths),
        "deductions": st.lists(
            st.tuples(
                st.one_of(st.integers(1, 99), st.text("ABC-0123", min_size=1, max_size=6)),
                st.sampled_from(["0.5", "1", "2.25", "10"]),
                st.sampled_from(list(Severity)),
            ),
            max_size=3,
        ),
        "override": st.one_of(st.none(), st.sampled_from(list(scoring.Grade))),
        "undetermined": st.booleans(),
        "pool": st.sampled_from(["", "p1", "p2"]),
    }
)


def period_result(subjects: list[dict], pooled: bool) -> scoring.PeriodResult:
    inputs = [
        SubjectInput(
            key=f"{n:06d}",
            marks={c.code: Tenths(m) for c, m in zip(CRITERIA, s["marks"], strict=True) if m},
            deductions=tuple(Deduction(i, Decimal(p), sev) for i, p, sev in s["deductions"]),
            override=s["override"] and scoring.GradeOverride(s["override"], "因故调整"),
            standing=scoring.Standing.UNDETERMINED
            if s["undetermined"]
            else scoring.Standing.PARTICIPATING,
            pool=(s["pool"] or "p1") if pooled else "",
        )
        for n, s in enumerate(subjects)
    ]
    pools = (
        {"p1": scoring.PoolSpec(name="一"), "p2": scoring.PoolSpec(minimum=1)} if pooled else None
    )
    return scoring.score_period(
        criteria=CRITERIA,
        subjects=inputs,
        thresholds=scoring.DEFAULT_THRESHOLDS,
        graded=True,
        pools=pools,
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(subject, max_size=12), st.booleans())
def test_a_period_result_reads_back_exactly(subjects, pooled):
    result = period_result(subjects, pooled)
    data = plain_data.encoder(scoring.PeriodResult)(result)
    back = plain_data.decoder(scoring.PeriodResult)(data)
    assert back == result
    assert repr(back) == repr(result)  # the same Decimals, exponents included


def test_the_layout_digest_follows_the_fields():
    assert plain_data.shape(scoring.PeriodResult) == plain_data.shape(scoring.PeriodResult)
    assert plain_data.shape(scoring.PeriodResult) != plain_data.shape(scoring.AnnualResult)
    assert plain_data.shape(CriterionSpec) != plain_data.shape(scoring.GradeOverride)


# --- a locked quarter --------------------------------------------------------------------


def on_probation(office, staff):
    """``staff`` 不定等次 in 2026Q3 (新录用试用期)."""
    StaffStanding.objects.create(
        staff=staff,
        year=2026,
        quarter=3,
        standing=StandingKind.UNDETERMINED,
        reason=StandingReason.PROBATION,
        note="试用期至2026年12月31日",
        set_by=office.leader,
        set_at=datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC),
    )


@pytest.fixture
def locked(office, appeal):
    """2026Q3 locked: marks for three people and a section, a deduction, a decision with a
    reason, one person 不定等次."""
    period = services.period_open(actor=office.leader, code="2026Q3")
    mark(period, office.assessor, value="90", staff=office.person)
    mark(period, office.leader, value="87.5", staff=office.person)
    mark(period, office.assessor, value="85", staff=office.colleague)
    mark(period, office.assessor, value="70", staff=office.other_person)
    mark(period, office.assessor, value="85", section=office.b)
    reviews.decide(
        actor=office.leader,
        period=period,
        staff=office.colleague,
        grade="good",
        reason="年中调岗，按好评定",
    )
    on_probation(office, office.other_person)
    services.period_close(actor=office.leader, period=period)
    services.period_lock(actor=office.leader, period=period)
    return Period.objects.get(pk=period.pk)


def test_locking_stores_both_rankings(locked):
    stored = StoredRanking.objects.filter(period=locked)
    assert sorted(stored.values_list("kind", flat=True)) == [results.SECTION, results.STAFF]
    assert {s.shape for s in stored} == {results.STORED_SHAPE}


@pytest.mark.parametrize("kind", [results.STAFF, results.SECTION])
def test_the_stored_ranking_is_the_computed_one(locked, kind):
    stored = results.ranking(locked, kind)
    computed = results._computed_ranking(locked, kind)
    assert stored == computed
    assert repr(stored) == repr(computed)
    assert [r.override for r in stored.rows] == [r.override for r in computed.rows]


def test_the_fixture_has_what_the_store_must_keep(locked):
    table = results.ranking(locked)
    assert table.row("001001").result.final == Decimal("86.75")  # 88.75 − 2 for the slip
    assert table.row("001001").result.deductions_total == Decimal("2")
    assert table.row("001002").override.reason == "年中调岗，按好评定"
    assert table.row("002001").undetermined
    assert table.row("002001").facts.standing_reason_label.startswith("新录用")


def test_a_locked_quarter_is_never_computed_again(locked, django_assert_num_queries):
    # Which stored ranking, the decisions, the 更正, the stored data: no mark, incident or
    # person is read; once decoded, the data is not read again in this process.
    results.forget_kept()
    with django_assert_num_queries(4), CaptureQueriesContext(connection) as queries:
        table = results.ranking(locked)
    assert table.row("001001") is not None
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "efficiency_score" not in read
    assert "efficiency_incidentresponsible" not in read
    assert "efficiency_staffstanding" not in read
    with django_assert_num_queries(3):
        assert results.ranking(locked) == table
    with django_assert_num_queries(2):
        results.ranking(locked, results.SECTION)
    with django_assert_num_queries(1):
        results.ranking(locked, results.SECTION)


def test_a_correction_after_lock_shows_on_the_stored_path(office, locked, appeal):
    incident_services.incident_appeal(actor=office.named, incident=appeal, text="当天在外出差")
    incident_services.incident_decide_appeal(
        actor=office.supervisor, incident=appeal, uphold=True, reason="出差属实，撤销认定"
    )
    data_before = StoredRanking.objects.get(period=locked, kind=results.STAFF).data
    corrections.correction_record(
        actor=office.leader,
        period=locked,
        staff=office.person,
        corrected_final="88.75",
        corrected_grade="fairly_good",
        what="扣分所依据的事件经申诉撤销",
        why="申诉成立，恢复扣除的分数",
        incident=appeal,
        reference="",
    )
    row = results.ranking(locked).row("001001")
    assert row.result.final == Decimal("86.75")  # the stored result, as it was
    assert row.correction.final == Decimal("88.75")
    assert row.counted_final == Decimal("88.75")
    assert row.counted_grade == scoring.Grade.FAIRLY_GOOD
    # never baked into the stored copy
    assert StoredRanking.objects.get(period=locked, kind=results.STAFF).data == data_before
    rollup = results.annual_rollup(2026)
    assert next(r for r in rollup.rows if r.facts.key == "001001").result.score == Decimal("88.75")


def test_a_rewritten_stored_ranking_is_decoded_again(locked):
    before = results.ranking(locked)
    stored = StoredRanking.objects.get(period=locked, kind=results.STAFF)
    data = stored.data
    data["rows"][0][0][2] = "改过的名字"  # the name of the first row's person
    StoredRanking.objects.filter(pk=stored.pk).update(data=data, token=uuid.uuid4())
    assert results.ranking(locked).rows[0].facts.name == "改过的名字"
    assert before.rows[0].facts.name != "改过的名字"


def test_a_quarter_locked_before_the_store_is_stored_on_first_read(locked):
    before = results.ranking(locked)
    StoredRanking.objects.all().delete()
    first = results.ranking(locked)
    assert first == before
    assert StoredRanking.objects.filter(period=locked).count() == 1
    assert results.ranking(locked) == before


def test_a_stored_ranking_in_another_layout_is_computed_again(locked):
    before = results.ranking(locked)
    StoredRanking.objects.filter(period=locked, kind=results.STAFF).update(
        shape="0-old", data={"rows": "not this layout"}
    )
    assert results.ranking(locked) == before
    stored = StoredRanking.objects.get(period=locked, kind=results.STAFF)
    assert stored.shape == results.STORED_SHAPE


def test_an_unlocked_quarter_is_not_stored(office):
    period = services.period_open(actor=office.leader, code="2026Q3")
    mark(period, office.assessor, value="90", staff=office.person)
    table = results.ranking(period)
    assert not StoredRanking.objects.exists()
    with pytest.raises(ValueError):
        results.store_ranking(table)


@pytest.mark.usefixtures("demo")
class TestTheDemo:
    def test_every_locked_quarter_reads_back_as_computed(self):
        locked = list(Period.objects.filter(state=PeriodState.LOCKED))
        assert locked
        for period in locked:
            for kind in (results.STAFF, results.SECTION):
                stored = results.ranking(period, kind)
                assert StoredRanking.objects.filter(period=period, kind=kind).exists()
                assert repr(stored) == repr(results._computed_ranking(period, kind))
