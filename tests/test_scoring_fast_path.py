"""The integer fast path over marks in whole tenths gives exactly the Decimal path's results.

``scoring.Tenths`` marks (what the results layer passes: stored scores are whole tenths) are
averaged in integers; any other Decimal marks take the exact Decimal path. Equality here is
strict: ``repr`` of the results, so every Decimal has the same value *and* exponent
(Decimal("85.50") and Decimal("85.5") would differ), as pages and exports print them.
"""

import math
from decimal import Decimal, Inexact, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from efficiency import scoring
from efficiency.scoring import (
    CriterionSpec,
    Deduction,
    Severity,
    SubjectInput,
    Tenths,
    score_period,
    trimmed_mean,
)

D = Decimal
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None)


def as_decimals(tenths: list[int]) -> tuple[Decimal, ...]:
    """The marks as the results layer built them before the fast path: Decimal(tenths) / 10."""
    return tuple(Decimal(t) / 10 for t in tenths)


# Marks biased to the edges and to ties: 0, 100, whole points, and a few repeated values.
tenth = st.one_of(
    st.integers(min_value=0, max_value=1000),
    st.sampled_from([0, 1000, 999, 1, 900, 850, 855, 600, 750]),
    st.integers(min_value=0, max_value=100).map(lambda points: points * 10),
)
marks_list = st.lists(tenth, min_size=1, max_size=12)
WEIGHT_SETS = [
    (D(40), D(40), D(20)),
    (D("33.3"), D("33.3"), D("33.4")),
    (D(100),),
    (D("12.5"), D("87.5")),
    (D("0.01"), D("99.99")),
    (D(30), D("30.00"), D(40)),  # equal weights written with other exponents
]
points = st.one_of(
    st.sampled_from([D(0), D(1), D("0.5"), D(2), D("2.0"), D(5), D(100), D(150)]),
    st.decimals(min_value=0, max_value=200, places=2),
)
deduction = st.builds(
    Deduction, st.integers(min_value=1, max_value=99), points, st.sampled_from(Severity)
)


@st.composite
def subjects(draw: st.DrawFn, weights: tuple[Decimal, ...]) -> list[tuple[str, dict, tuple]]:
    """(key, criterion code -> marks in tenths, deductions); some criteria without marks."""
    count = draw(st.integers(min_value=1, max_value=8))
    result = []
    for index in range(count):
        marks = {}
        for position in range(len(weights)):
            if draw(st.integers(min_value=0, max_value=9)):  # one in ten: no marks
                marks[f"c{position}"] = draw(marks_list)
        result.append((f"k{index}", marks, tuple(draw(st.lists(deduction, max_size=3)))))
    return result


def criteria_for(weights: tuple[Decimal, ...]) -> tuple[CriterionSpec, ...]:
    return tuple(
        CriterionSpec(code=f"c{position}", name=f"c{position}", weight=weight)
        for position, weight in enumerate(weights)
    )


@PROPERTY_SETTINGS
@given(marks_list)
def test_the_fast_trimmed_mean_is_the_decimal_one(tenths: list[int]) -> None:
    fast = trimmed_mean(Tenths(tenths), code="duty")
    exact = trimmed_mean(as_decimals(tenths), code="duty")
    assert repr(fast) == repr(exact)


@pytest.mark.parametrize(
    "tenths",
    [
        [800, 850, 900, 950],  # four marks: none dropped
        [700, 800, 850, 900, 1000],  # five: 100 and 70 dropped
        [900, 900, 900, 900, 900],  # all tied: one of each dropped
        [0, 0, 0, 0],
        [1000, 1000, 1000, 1000, 1000, 1000],
        [800, 800, 810, 810, 900],  # 242 / 3: an inexact raw average
        [855, 855, 855, 855],  # average 85.5, whole tenths
        [5],
    ],
)
def test_the_fast_trimmed_mean_on_known_cases(tenths: list[int]) -> None:
    assert repr(trimmed_mean(Tenths(tenths))) == repr(trimmed_mean(as_decimals(tenths)))


def test_a_hand_computed_case() -> None:
    average = trimmed_mean(Tenths([800, 800, 810, 810, 900]))  # 90 and 80 dropped: 242 / 3
    assert average.average == D("80.67") and average.average.as_tuple().exponent == -2
    assert average.used == (D(80), D(81), D(81))
    assert (average.dropped_high, average.dropped_low) == (D(90), D(80))
    assert average.raw_average == D("80.666666666666666666666666666666666666666666666667")


@PROPERTY_SETTINGS
@given(st.sampled_from(WEIGHT_SETS).flatmap(lambda w: st.tuples(st.just(w), subjects(w))))
def test_a_period_scored_from_tenths_is_the_decimal_one(drawn) -> None:
    weights, people = drawn
    criteria = criteria_for(weights)
    fast = score_period(
        criteria=criteria,
        subjects=[
            SubjectInput(key, {c: Tenths(t) for c, t in marks.items()}, deductions)
            for key, marks, deductions in people
        ],
    )
    exact = score_period(
        criteria=criteria,
        subjects=[
            SubjectInput(key, {c: as_decimals(t) for c, t in marks.items()}, deductions)
            for key, marks, deductions in people
        ],
    )
    assert repr(fast) == repr(exact)


def reference_base(
    weights: tuple[Decimal, ...], used: list[tuple[Decimal, ...]], deducted: Decimal
) -> tuple[Decimal, Decimal]:
    """The base and final numerators as scoring computed them before the fast path: the same
    products and sums inside a local 1000-digit context with Inexact trapped."""
    common = math.lcm(*(len(marks) for marks in used))
    with localcontext() as ctx:
        ctx.prec = 1000
        ctx.traps[Inexact] = True
        numerator = sum(
            (
                w * sum(marks, D(0)) * (common // len(marks))
                for w, marks in zip(weights, used, strict=True)
            ),
            D(0),
        )
        final = max(D(0), numerator - deducted * (100 * common))
    return numerator, final


@PROPERTY_SETTINGS
@given(
    st.sampled_from(WEIGHT_SETS).flatmap(
        lambda w: st.tuples(st.just(w), st.lists(marks_list, min_size=len(w), max_size=len(w)))
    ),
    st.lists(deduction, max_size=3),
    st.booleans(),
)
def test_base_and_final_are_those_of_the_local_context(drawn, deductions, as_tenths) -> None:
    weights, tenths = drawn
    criteria = criteria_for(weights)
    marks = {f"c{i}": (Tenths(t) if as_tenths else as_decimals(t)) for i, t in enumerate(tenths)}
    result = score_period(
        criteria=criteria, subjects=[SubjectInput("k", marks, tuple(deductions))]
    ).results[0]
    used = [trimmed_mean(as_decimals(t)).used for t in tenths]
    deducted = sum((d.points for d in deductions), D(0))
    numerator, final = reference_base(weights, used, deducted)
    denominator = 100 * math.lcm(*(len(u) for u in used))
    assert repr(result.raw_base) == repr(scoring._raw_quotient(numerator, denominator))
    assert repr(result.raw_final) == repr(scoring._raw_quotient(final, denominator))
    assert repr(result.base) == repr(scoring._round2_quotient(numerator, denominator))
    assert repr(result.final) == repr(scoring._round2_quotient(final, denominator))


def test_deductions_bigger_than_the_base_give_zero() -> None:
    criteria = criteria_for((D(100),))
    result = score_period(
        criteria=criteria,
        subjects=[SubjectInput("k", {"c0": Tenths([500] * 4)}, (Deduction(1, D(80), "minor"),))],
    ).results[0]
    assert (result.base, result.final, result.raw_final) == (D("50.00"), D("0.00"), D(0))


@pytest.mark.parametrize("tenths", [[0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 5, 0, 0, 0]])
@pytest.mark.parametrize("deductions", [(), (Deduction(1, D("0.0"), "minor"),)])
def test_a_zero_base_keeps_the_decimal_paths_exponents(tenths, deductions) -> None:
    """max(0, base - deductions) keeps 0, not the numerator, when both are zero."""
    criteria = criteria_for((D(100),))
    fast, exact = (
        score_period(criteria=criteria, subjects=[SubjectInput("k", {"c0": m}, deductions)])
        for m in (Tenths(tenths), as_decimals(tenths))
    )
    assert repr(fast) == repr(exact)


def test_a_zero_base_written_with_a_tenth_keeps_zero_as_the_final() -> None:
    """Marks of 0.0 (exponent -1) and no deductions: raw_final is max(0, 0.0) = 0, as before."""
    marks = (D("0.0"),) * 4
    result = score_period(
        criteria=criteria_for((D(100),)), subjects=[SubjectInput("k", {"c0": marks})]
    ).results[0]
    numerator, final = reference_base((D(100),), [marks], D(0))
    assert repr(result.raw_base) == repr(scoring._raw_quotient(numerator, 400)) == "Decimal('0.0')"
    assert repr(result.raw_final) == repr(scoring._raw_quotient(final, 400)) == "Decimal('0')"


def test_other_decimals_take_the_exact_path() -> None:
    """85.50 is not a tenths mark as stored: its exponent is kept, as before."""
    average = trimmed_mean((D("85.50"), D("85.50"), D("85.50"), D("85.50")))
    assert str(average.raw_average) == "85.50"
    assert str(trimmed_mean(Tenths([855] * 4)).raw_average) == "85.5"


def test_tenths_reads_as_the_decimals_it_stands_for() -> None:
    marks = Tenths([875, 900, 0])
    assert list(marks) == [D("87.5"), D(90), D(0)] and len(marks) == 3
    assert marks[1] == D(90) and marks[-1] == D(0) and marks[:2] == (D("87.5"), D(90))
    assert D(90) in marks and marks == Tenths([875, 900, 0]) and marks != Tenths([875])
    assert not Tenths([])


@pytest.mark.parametrize("bad", [[1001], [-1], [87.5], [True], [D(875)], ["875"]])
def test_tenths_refuses_what_is_not_a_stored_mark(bad: list) -> None:
    with pytest.raises(ValueError, match="whole numbers 0-1000"):
        Tenths(bad)


def test_no_marks_is_refused_as_before() -> None:
    with pytest.raises(ValueError, match="no marks on duty"):
        trimmed_mean(Tenths([]), code="duty")


# --- a subject scored before is taken as it was scored (scoring._SCORED) -------------------


def scored_afresh(criteria, subjects) -> scoring.PeriodResult:
    scoring._SCORED.clear()
    return score_period(criteria=criteria, subjects=subjects)


def not_scored_again(criteria, subject):
    raise AssertionError(f"{subject.key} was scored again")


@PROPERTY_SETTINGS
@given(st.sampled_from(WEIGHT_SETS).flatmap(lambda w: st.tuples(st.just(w), subjects(w))))
def test_a_period_scored_again_is_scored_the_same(drawn) -> None:
    weights, people = drawn
    criteria = criteria_for(weights)
    given_subjects = [
        SubjectInput(key, {c: Tenths(t) for c, t in marks.items()}, deductions)
        for key, marks, deductions in people
    ]
    first = scored_afresh(criteria, given_subjects)
    real, scoring._score_subject = scoring._score_subject, not_scored_again
    try:
        again = score_period(criteria=criteria, subjects=given_subjects)
    finally:
        scoring._score_subject = real
    assert repr(again) == repr(first)


def one_subject(weight: Decimal, points: Decimal):
    return {
        "criteria": criteria_for((weight,)),
        "subjects": [
            SubjectInput("k", {"c0": Tenths([850] * 4)}, (Deduction(1, points, "minor"),))
        ],
    }


@pytest.mark.parametrize(
    ("before", "then"),
    [
        ((D(100), D(1)), (D("100.0"), D(1))),
        ((D(100), D(1)), (D(100), D("1.0"))),
        ((D(100), D("0.00")), (D(100), D(0))),
    ],
)
def test_inputs_equal_in_value_but_not_in_exponent_are_scored_apart(before, then) -> None:
    """Decimal("1") == Decimal("1.0") and they hash alike, but the sums they make print
    differently: a subject scored with one is not taken for one scored with the other."""
    first = scored_afresh(**one_subject(*before))
    again = score_period(**one_subject(*then))
    assert repr(again.results[0].raw_final) != repr(first.results[0].raw_final)
    assert repr(again) == repr(scored_afresh(**one_subject(*then)))
