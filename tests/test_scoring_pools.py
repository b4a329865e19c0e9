"""Quota pools (名额) in efficiency.scoring: places per pool, the line rule within each pool."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from efficiency.scoring import (
    AnnualGrade,
    AnnualInput,
    CriterionSpec,
    Grade,
    GradeOverride,
    PoolRounding,
    PoolSpec,
    ReasonCode,
    SubjectInput,
    WarningCode,
    pool_places,
    score_period,
    score_year,
)

D = Decimal
CRITERIA = (CriterionSpec(code="duty", name="履行职责", weight=D(100)),)
DOWN, NEAREST, UP = PoolRounding.DOWN, PoolRounding.NEAREST, PoolRounding.UP


def person(key: str, mark: int, pool: str = "", override: GradeOverride | None = None):
    return SubjectInput(key=key, marks={"duty": (D(mark),) * 4}, pool=pool, override=override)


def score(*subjects: SubjectInput, pools=None):
    return score_period(criteria=CRITERIA, subjects=subjects, pools=pools)


# --- pool_places, by hand -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "graded", "rounding", "minimum", "places"),
    [
        ("0.40", 7, DOWN, 0, 2),  # 2.8 down
        ("0.40", 7, NEAREST, 0, 3),  # 2.8 nearest
        ("0.40", 7, UP, 0, 3),  # 2.8 up
        ("0.40", 5, UP, 0, 2),  # exactly 2.0 stays 2 whatever the rounding
        ("0.50", 5, NEAREST, 0, 3),  # 2.5: half up
        ("0.50", 5, DOWN, 0, 2),
        ("0.40", 6, NEAREST, 0, 2),  # 2.4 nearest
        ("0.20", 3, DOWN, 0, 0),  # 0.6 down
        ("0.20", 3, DOWN, 1, 1),  # raised to the minimum
        ("0.20", 3, UP, 0, 1),  # 0.6 up
        ("0.40", 2, DOWN, 5, 2),  # minimum never above the people graded
        ("0.40", 0, UP, 1, 0),  # nobody graded: no place, whatever the minimum
        ("1", 4, DOWN, 0, 4),
        ("0", 4, UP, 0, 0),
    ],
)
def test_pool_places_by_hand(share, graded, rounding, minimum, places) -> None:
    assert pool_places(share=D(share), graded=graded, rounding=rounding, minimum=minimum) == places


def test_pool_spec_checks_its_values() -> None:
    with pytest.raises(ValueError, match="share_good"):
        PoolSpec(share_good=D("1.2"))
    with pytest.raises(ValueError, match="minimum"):
        PoolSpec(minimum=-1)
    assert PoolSpec(rounding="up").rounding is UP  # type: ignore[arg-type]


# --- the quarter ----------------------------------------------------------------------------


def test_each_pool_has_its_own_places_and_line() -> None:
    pools = {"lead": PoolSpec(name="领导班子", minimum=1), "rest": PoolSpec(name="其他")}
    result = score(
        person("l1", 95, "lead"),
        person("l2", 94, "lead"),
        person("r1", 93, "rest"),
        person("r2", 92, "rest"),
        person("r3", 91, "rest"),
        person("r4", 80, "rest"),
        person("r5", 70, "rest"),
        pools=pools,
    )
    # lead: floor(0.4 x 2) = 0, raised to 1; rest: floor(0.4 x 5) = 2
    lead, rest = result.pools
    assert (lead.key, lead.name, lead.graded_count, lead.places, lead.used) == (
        "lead",
        "领导班子",
        2,
        1,
        1,
    )
    assert (rest.graded_count, rest.places, rest.used) == (5, 2, 2)
    assert result.quota == 3
    grades = {r.key: r.grade for r in result.results}
    assert grades == {
        "l1": Grade.GOOD,
        "l2": Grade.FAIRLY_GOOD,  # beyond the lead pool's one place, though 94 > 93
        "r1": Grade.GOOD,
        "r2": Grade.GOOD,
        "r3": Grade.FAIRLY_GOOD,
        "r4": Grade.FAIRLY_GOOD,
        "r5": Grade.AVERAGE,
    }
    assert result.get("l2").explanation[-1] is ReasonCode.QUOTA_DEMOTION
    # over the whole office the same people would give 40% of 7 = 2: l1 and l2
    whole = score(*(replace(s, pool="") for s in _subjects(result)))
    assert {r.key for r in whole.results if r.grade is Grade.GOOD} == {"l1", "l2"}


def _subjects(result):
    marks = {r.key: int(r.final) for r in result.results}
    return [person(k, m) for k, m in marks.items()]


def tie_in_pool_a():
    """Five in each pool (2 places each); a2 and a3 tie at 92 on a's line, b1 has 92 too."""
    a = [("a1", 95), ("a2", 92), ("a3", 92), ("a4", 70), ("a5", 70)]
    b = [("b1", 92), ("b2", 91), ("b3", 60), ("b4", 60), ("b5", 60)]
    return score(
        *(person(key, mark, key[0]) for key, mark in a + b),
        pools={"a": PoolSpec(), "b": PoolSpec(rounding=UP)},
    )


def test_a_tie_on_the_line_drops_only_within_its_pool() -> None:
    result = tie_in_pool_a()
    grades = {r.key: r.grade for r in result.results}
    assert grades["a1"] is Grade.GOOD
    assert grades["a2"] is grades["a3"] is Grade.FAIRLY_GOOD  # tied at 92 on a's line (2)
    assert grades["b1"] is grades["b2"] is Grade.GOOD  # 92 in pool b is not on any line
    ties = [w for w in result.warnings if w.code is WarningCode.TIE_ON_QUOTA_LINE]
    assert [w.subject_keys for w in ties] == [("a2", "a3")]
    assert "pool 'a'" in ties[0].detail


def test_a_pool_with_nobody_graded_has_no_place() -> None:
    pools = {"a": PoolSpec(minimum=1), "empty": PoolSpec(minimum=1)}
    result = score(person("a1", 95, "a"), pools=pools)
    assert [(p.key, p.graded_count, p.places, p.used) for p in result.pools] == [
        ("a", 1, 1, 1),
        ("empty", 0, 0, 0),
    ]
    assert result.quota == 1


def test_overrides_over_a_pools_places_warn_for_that_pool() -> None:
    pools = {"a": PoolSpec(), "b": PoolSpec(rounding=UP)}
    override = GradeOverride(Grade.GOOD, "集体研究")
    result = score(
        person("a1", 95, "a"),
        person("a2", 80, "a", override),
        person("b1", 80, "b"),
        pools=pools,
    )
    # a: floor(0.8) = 0 places; b: ceil(0.4) = 1 place, unused
    assert [(p.places, p.used, p.over) for p in result.pools] == [(0, 1, True), (1, 0, False)]
    over = [w for w in result.warnings if w.code is WarningCode.OVER_QUOTA_AFTER_OVERRIDES]
    assert [w.subject_keys for w in over] == [("a2",)]
    assert result.get("a1").grade is Grade.FAIRLY_GOOD  # computed: no place in pool a


def test_an_unknown_pool_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown pool"):
        score(person("x", 95, "nowhere"), pools={"a": PoolSpec()})


def test_sections_are_not_graded_so_pools_give_no_place() -> None:
    result = score_period(
        criteria=CRITERIA,
        subjects=[person("s1", 95, "a")],
        graded=False,
        pools={"a": PoolSpec()},
    )
    assert [(p.graded_count, p.places, p.used) for p in result.pools] == [(0, 0, 0)]
    assert result.quota == 0


# --- the year -------------------------------------------------------------------------------


def annual(key: str, score: int, pool: str = "") -> AnnualInput:
    return AnnualInput(
        key=key, quarter_finals=[D(score)] * 4, quarter_grades=[Grade.GOOD] * 4, pool=pool
    )


def test_excellent_places_per_pool() -> None:
    pools = {
        "lead": PoolSpec(share_excellent=D("0.20"), minimum=1),
        "rest": PoolSpec(share_excellent=D("0.20"), rounding=NEAREST),
    }
    result = score_year(
        subjects=[
            annual("l1", 96, "lead"),
            annual("l2", 95, "lead"),
            annual("r1", 94, "rest"),
            annual("r2", 93, "rest"),
            annual("r3", 92, "rest"),
            annual("r4", 91, "rest"),
            annual("r5", 90, "rest"),
            annual("r6", 90, "rest"),
            annual("r7", 85, "rest"),
        ],
        pools=pools,
    )
    # lead: floor(0.4) = 0 -> minimum 1; rest: 0.2 x 7 = 1.4 -> 1
    assert [(p.graded_count, p.places, p.used) for p in result.pools] == [(2, 1, 1), (7, 1, 1)]
    excellent = {r.key for r in result.results if r.grade is AnnualGrade.EXCELLENT}
    assert excellent == {"l1", "r1"}
    assert result.quota == 2


# --- properties -----------------------------------------------------------------------------

marks = st.integers(min_value=50, max_value=100)
pool_keys = st.sampled_from(["a", "b", "c"])
specs = st.builds(
    PoolSpec,
    share_good=st.sampled_from([D("0"), D("0.2"), D("0.4"), D("0.5"), D("1")]),
    share_excellent=st.sampled_from([D("0"), D("0.2"), D("0.5")]),
    rounding=st.sampled_from(list(PoolRounding)),
    minimum=st.integers(min_value=0, max_value=3),
)
PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(st.lists(st.tuples(marks, pool_keys), max_size=15), specs, specs, specs)
def test_no_pool_grants_more_than_its_places(people, spec_a, spec_b, spec_c) -> None:
    pools = {"a": spec_a, "b": spec_b, "c": spec_c}
    subjects = [person(f"p{i:02d}", m, p) for i, (m, p) in enumerate(people)]
    result = score(*subjects, pools=pools)
    for pool in result.pools:
        in_pool = [
            r for r in result.results if r.key in {s.key for s in subjects if s.pool == pool.key}
        ]
        goods = sum(r.grade is Grade.GOOD for r in in_pool)
        assert goods == pool.used <= pool.places <= pool.graded_count == len(in_pool)
        assert pool.places >= min(pools[pool.key].minimum, pool.graded_count)
    assert result.quota == sum(p.places for p in result.pools)


@PROPERTY
@given(st.lists(marks, max_size=15), st.data())
def test_one_default_pool_is_todays_rule(values, data) -> None:
    overrides = data.draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values)))
    subjects = [
        person(f"p{i:02d}", m, override=GradeOverride(Grade.GOOD, "研究") if o else None)
        for i, (m, o) in enumerate(zip(values, overrides, strict=True))
    ]
    today = score(*subjects)
    pooled = score(*subjects, pools={"": PoolSpec()})
    assert today.pools == ()
    assert pooled.results == today.results
    assert pooled.warnings == today.warnings
    assert pooled.quota == today.quota == pooled.pools[0].places


@PROPERTY
@given(st.lists(st.tuples(marks, pool_keys), max_size=15), specs, specs)
def test_no_pool_exceeds_its_excellent_places(people, spec_a, spec_b) -> None:
    pools = {"a": spec_a, "b": spec_b, "c": PoolSpec()}
    subjects = [annual(f"p{i:02d}", m, p) for i, (m, p) in enumerate(people)]
    result = score_year(subjects=subjects, pools=pools)
    for pool in result.pools:
        assert pool.used <= pool.places <= pool.graded_count
    today = score_year(subjects=[replace(s, pool="") for s in subjects])
    one = score_year(subjects=[replace(s, pool="") for s in subjects], pools={"": PoolSpec()})
    assert one.results == today.results and one.quota == today.quota


def test_a_tie_warning_gives_its_pools_places() -> None:
    from django.utils import translation

    from efficiency import wording

    result = tie_in_pool_a()
    assert result.quota == 4
    names = {r.key: r.key.upper() for r in result.results}
    with translation.override("zh-hans"):
        (text,) = wording.quarter_warnings(result, names)
    # pool a's 2 places, not the 4 of both pools together
    assert "并列于“好”等次名额线上（名额 2 个）：A2（a2）、A3（a3）" in text
