"""The arithmetic of DOMAIN.md, tested without a database (efficiency.scoring is pure)."""

from collections.abc import Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from efficiency import scoring
from efficiency.scoring import (
    AnnualGrade,
    AnnualInput,
    CriterionSpec,
    Deduction,
    Grade,
    GradeOverride,
    PeriodResult,
    ReasonCode,
    Severity,
    SubjectInput,
    Thresholds,
    WarningCode,
    competition_ranks,
    quota_limit,
    round2,
    score_period,
    score_year,
    trimmed_mean,
)

D = Decimal
CRITERIA = (
    CriterionSpec(code="duty", name="履行职责", weight=D(40)),
    CriterionSpec(code="performance", name="工作绩效", weight=D(40)),
    CriterionSpec(code="service", name="服务质量", weight=D(20)),
)
GOOD, FAIRLY_GOOD, AVERAGE, POOR = Grade.GOOD, Grade.FAIRLY_GOOD, Grade.AVERAGE, Grade.POOR


def ms(*values: str | int) -> tuple[Decimal, ...]:
    return tuple(D(str(v)) for v in values)


def person(
    key: str,
    mark: str | int,
    *,
    deductions: Sequence[Deduction] = (),
    override: GradeOverride | None = None,
) -> SubjectInput:
    """Four assessors give ``mark`` on every criterion, so base == mark."""
    four = ms(mark, mark, mark, mark)
    return SubjectInput(
        key=key,
        marks={"duty": four, "performance": four, "service": four},
        deductions=deductions,
        override=override,
    )


def ded(points: str | int, severity: Severity = Severity.MINOR, incident: int = 1) -> Deduction:
    return Deduction(incident_id=incident, points=D(str(points)), severity=severity)


def grades_of(result: PeriodResult) -> dict[str, Grade | None]:
    return {r.key: r.grade for r in result.results}


def score(*subjects: SubjectInput, **kwargs: object) -> PeriodResult:
    return score_period(criteria=CRITERIA, subjects=subjects, **kwargs)  # type: ignore[arg-type]


# --- labels ---------------------------------------------------------------------------------


def test_enums_carry_chinese_labels() -> None:
    assert [g.label for g in Grade] == ["好", "较好", "一般", "较差"]
    assert [g.label for g in AnnualGrade] == ["优秀", "称职", "基本称职", "不称职"]
    assert [s.label for s in Severity] == ["一般", "较重", "严重"]


# --- trimmed means --------------------------------------------------------------------------


def test_four_marks_are_all_averaged() -> None:
    avg = trimmed_mean(ms(80, 85, 90, 95), code="duty")
    assert avg.used == ms(80, 85, 90, 95)
    assert avg.dropped_high is None and avg.dropped_low is None
    assert avg.average == D("87.50")
    assert avg.raw_average == D("87.5")


def test_five_marks_drop_one_highest_and_one_lowest() -> None:
    avg = trimmed_mean(ms(70, 80, 85, 90, 100))
    assert avg.dropped_high == D(100) and avg.dropped_low == D(70)
    assert avg.used == ms(80, 85, 90)
    assert avg.average == D("85.00")


def test_only_one_of_equal_extremes_is_dropped() -> None:
    avg = trimmed_mean(ms(60, 90, 90, 90, 60))
    assert avg.used == ms(90, 90, 60)  # the first 90 and the first 60 are dropped
    assert avg.average == D("80.00")


def test_average_is_rounded_for_display_only() -> None:
    avg = trimmed_mean(ms("80.0", "80.0", "81.0", "81.0", "90.0"))  # 242 / 3
    assert avg.average == D("80.67")
    assert str(avg.raw_average).startswith("80.6666666666")


@pytest.mark.parametrize(
    ("marks", "error"),
    [((), ValueError), (ms("100.1"), ValueError), (ms(-1), ValueError), ((80.5,), TypeError)],
)
def test_trimmed_mean_rejects_bad_marks(marks: tuple[object, ...], error: type) -> None:
    with pytest.raises(error):
        trimmed_mean(marks)  # type: ignore[arg-type]


# --- ranks and rounding ---------------------------------------------------------------------


def test_competition_ranks_share_and_skip() -> None:
    assert competition_ranks(ms(90, 85, 85, 80)) == [1, 2, 2, 4]
    assert competition_ranks(ms(85, 90, 80, "85.00")) == [2, 1, 4, 2]
    assert competition_ranks([]) == []


def test_round2_is_half_up() -> None:
    assert round2(D("1.005")) == D("1.01")
    assert round2(D("2.675")) == D("2.68")
    assert round2(D("2.6749999")) == D("2.67")
    assert round2(D("0.004")) == D("0.00")


def test_a_base_of_exactly_x_xx5_rounds_up() -> None:
    # service 85.025 (4 marks) x 20% = 17.005; base = 34 + 34 + 17.005 = 85.005
    four = ms(85, 85, 85)
    subject = SubjectInput(
        key="a",
        marks={"duty": four + ms(85), "performance": four + ms(85), "service": four + ms("85.1")},
    )
    result = score(subject).get("a")
    assert result.raw_base == D("85.005")
    assert result.base == D("85.01")
    assert result.final == D("85.01")
    assert result.averages[2].average == D("85.03")  # shown: 85.025 half-up


def test_base_uses_unrounded_averages() -> None:
    # duty and performance: 80, 80, 80.1 after dropping 95 and 70 -> 80.0333..., shown 80.03
    # base = 0.8 x 80.0333... + 0.2 x 80 = 80.02666... -> 80.03 (rounded averages give 80.02)
    five = ms(70, 80, 80, "80.1", 95)
    subject = SubjectInput(
        key="a", marks={"duty": five, "performance": five, "service": ms(80, 80, 80, 80)}
    )
    result = score(subject).get("a")
    assert [a.average for a in result.averages] == [D("80.03"), D("80.03"), D("80.00")]
    assert result.base == D("80.03")


def test_an_exact_x_xx5_reached_through_thirds_still_rounds_up() -> None:
    # weights 50/25/25; 240.1/3 on two criteria, 80 on the third:
    # base = 0.75 x 80.0333... + 20 = 80.025 exactly (28-digit Decimal division gives 80.0249...)
    criteria = (
        CriterionSpec(code="a", name="A", weight=D(50)),
        CriterionSpec(code="b", name="B", weight=D(25)),
        CriterionSpec(code="c", name="C", weight=D(25)),
    )
    five = ms(70, 80, 80, "80.1", 95)
    subject = SubjectInput(key="x", marks={"a": five, "b": five, "c": ms(80, 80, 80, 80)})
    result = score_period(criteria=criteria, subjects=[subject]).get("x")
    assert result.base == D("80.03")
    assert result.final == D("80.03")


def test_worked_example_with_dropped_marks_and_a_deduction() -> None:
    # duty: drop 95 and 70 -> (88 + 92 + 90) / 3 = 90; performance: 342 / 4 = 85.5;
    # service: drop 100 and 60 -> (90 + 80 + 95 + 85) / 4 = 87.5
    # base = 36 + 34.2 + 17.5 = 87.70; final = 87.70 - 2 = 85.70
    subject = SubjectInput(
        key="a",
        marks={
            "duty": ms(88, 92, 90, 95, 70),
            "performance": ms(85, 87, 86, 84),
            "service": ms(90, 80, 100, 95, 85, 60),
        },
        deductions=[ded(2, Severity.SERIOUS)],
    )
    result = score(subject).get("a")
    assert [a.average for a in result.averages] == [D("90.00"), D("85.50"), D("87.50")]
    assert result.base == D("87.70")
    assert result.deductions_total == D("2.00")
    assert result.final == D("85.70")
    assert result.rank == 1


def test_final_is_never_negative() -> None:
    result = score(person("a", 10, deductions=[ded(12, Severity.GRAVE)])).get("a")
    assert result.base == D("10.00")
    assert result.final == D("0.00")
    assert result.grade is POOR


def test_ranks_order_results_by_rank_then_key() -> None:
    result = score(person("d", 80), person("c", 90), person("b", 90), person("a", 95))
    assert [(r.key, r.rank) for r in result.results] == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]


# --- grades and the quota -------------------------------------------------------------------


def test_thresholds() -> None:
    result = score(
        person("a", 90), person("b", "89.9"), person("c", 75), person("d", 60), person("e", 59)
    )
    assert grades_of(result) == {
        "a": GOOD,
        "b": FAIRLY_GOOD,
        "c": FAIRLY_GOOD,
        "d": AVERAGE,
        "e": POOR,
    }
    assert result.get("a").explanation == (ReasonCode.THRESHOLD,)


def test_grades_and_ranks_use_the_rounded_final() -> None:
    # service (89.9 + 90 + 90 + 90) / 4 = 89.975 -> base 72 + 17.995 = 89.995, shown 90.00
    nearly = SubjectInput(
        key="a",
        marks={"duty": ms(90, 90, 90, 90), "performance": ms(90, 90, 90, 90),
               "service": ms("89.9", 90, 90, 90)},
    )  # fmt: skip
    result = score(nearly, person("b", 90), *(person(f"z{i}", 50) for i in range(3)))
    a = result.get("a")
    assert a.raw_final == D("89.995") and a.final == D("90.00")
    assert a.grade is GOOD
    assert a.rank == result.get("b").rank == 1


def test_quota_demotes_the_lowest_ranked_beyond_40_percent() -> None:
    result = score(*(person(k, m) for k, m in zip("abcde", (99, 98, 97, 96, 95), strict=True)))
    assert result.quota == 2  # floor(0.4 x 5)
    assert grades_of(result) == {
        "a": GOOD,
        "b": GOOD,
        "c": FAIRLY_GOOD,
        "d": FAIRLY_GOOD,
        "e": FAIRLY_GOOD,
    }
    assert result.get("c").explanation == (ReasonCode.THRESHOLD, ReasonCode.QUOTA_DEMOTION)
    assert result.get("c").computed_grade is FAIRLY_GOOD
    assert result.warnings == ()


def test_a_tie_straddling_the_quota_line_drops_everyone_tied() -> None:
    result = score(*(person(k, m) for k, m in zip("abcde", (99, 97, 97, 96, 50), strict=True)))
    assert result.quota == 2
    assert grades_of(result) == {
        "a": GOOD,
        "b": FAIRLY_GOOD,
        "c": FAIRLY_GOOD,
        "d": FAIRLY_GOOD,
        "e": POOR,
    }
    assert result.get("b").explanation[-1] is ReasonCode.TIE_ON_QUOTA_LINE
    assert result.get("c").explanation[-1] is ReasonCode.TIE_ON_QUOTA_LINE
    assert result.get("d").explanation[-1] is ReasonCode.QUOTA_DEMOTION
    (warning,) = result.warnings
    assert warning.code is WarningCode.TIE_ON_QUOTA_LINE
    assert warning.subject_keys == ("b", "c")


def test_ties_inside_or_beyond_the_line_are_not_a_straddle() -> None:
    inside = score(*(person(k, m) for k, m in zip("abcde", (99, 99, 96, 50, 50), strict=True)))
    assert [g for g in grades_of(inside).values()].count(GOOD) == 2
    assert inside.get("c").grade is FAIRLY_GOOD and inside.warnings == ()
    beyond = score(*(person(k, m) for k, m in zip("abcde", (99, 98, 97, 97, 50), strict=True)))
    assert {k for k, g in grades_of(beyond).items() if g is GOOD} == {"a", "b"}
    assert beyond.warnings == ()
    fits = score(*(person(k, m) for k, m in zip("abcde", (97, 97, 50, 50, 50), strict=True)))
    assert {k for k, g in grades_of(fits).items() if g is GOOD} == {"a", "b"}


@pytest.mark.parametrize(("n", "quota"), [(0, 0), (1, 0), (2, 0), (3, 1), (5, 2), (10, 4)])
def test_quota_is_40_percent_rounded_down(n: int, quota: int) -> None:
    result = score(*(person(f"s{i}", 95) for i in range(n)))
    assert result.quota == quota == quota_limit(share=D("0.40"), graded_count=n)
    assert sum(g is GOOD for g in grades_of(result).values()) <= quota


def test_an_established_incident_caps_at_fairly_good() -> None:
    result = score(person("a", 100, deductions=[ded(1)]), *(person(f"z{i}", 50) for i in range(4)))
    a = result.get("a")
    assert a.final == D("99.00")
    assert a.grade is FAIRLY_GOOD
    assert a.explanation == (ReasonCode.THRESHOLD, ReasonCode.CAP_INCIDENT)


def test_a_zero_point_incident_still_caps() -> None:
    result = score(person("a", 95, deductions=[ded(0)]), *(person(f"z{i}", 50) for i in range(4)))
    assert result.get("a").final == D("95.00")
    assert result.get("a").grade is FAIRLY_GOOD


def test_a_grave_incident_caps_at_average() -> None:
    result = score(person("a", 100, deductions=[ded(1), ded(12, Severity.GRAVE, incident=2)]))
    a = result.get("a")
    assert a.final == D("87.00")
    assert a.deductions_total == D("13.00")
    assert a.grade is AVERAGE
    assert a.explanation == (ReasonCode.THRESHOLD, ReasonCode.CAP_GRAVE_INCIDENT)


def test_caps_never_raise_a_grade() -> None:
    result = score(person("a", 60, deductions=[ded(4, Severity.GRAVE)]))
    assert result.get("a").final == D("56.00")
    assert result.get("a").grade is POOR
    assert result.get("a").explanation == (ReasonCode.THRESHOLD,)


def test_caps_apply_before_the_quota_so_a_capped_person_takes_no_slot() -> None:
    # a is ranked first but capped; the two 好 slots go to b and c, d is beyond the line.
    result = score(
        person("a", 100, deductions=[ded(1)]),
        person("b", 97),
        person("c", 96),
        person("d", 95),
        person("e", 50),
    )
    assert result.quota == 2
    assert grades_of(result) == {
        "a": FAIRLY_GOOD,
        "b": GOOD,
        "c": GOOD,
        "d": FAIRLY_GOOD,
        "e": POOR,
    }
    assert result.get("a").explanation == (ReasonCode.THRESHOLD, ReasonCode.CAP_INCIDENT)
    assert result.get("d").explanation == (ReasonCode.THRESHOLD, ReasonCode.QUOTA_DEMOTION)
    assert result.get("a").rank == 1


# --- not assessed and empty periods ---------------------------------------------------------


def test_not_assessed_is_left_out_of_ranks_and_quota() -> None:
    missing = SubjectInput(key="m", marks={"duty": ms(99), "performance": ms(99), "service": ()})
    absent = SubjectInput(key="n", marks={"duty": ms(99)})
    others = (person(k, m) for k, m in zip("abcde", (99, 98, 97, 96, 95), strict=True))
    result = score(missing, absent, *others)
    assert result.graded_count == 5 and result.assessed_count == 5
    assert result.not_assessed_count == 2
    assert result.quota == 2  # floor(0.4 x 5)
    assert [r.key for r in result.results] == ["a", "b", "c", "d", "e", "m", "n"]
    assert [r.rank for r in result.results[:5]] == [1, 2, 3, 4, 5]
    m = result.get("m")
    assert not m.assessed
    assert m.missing_criteria == ("service",)
    assert m.final is None and m.base is None and m.rank is None
    assert m.grade is None and m.computed_grade is None
    assert result.get("n").missing_criteria == ("performance", "service")


def test_not_assessed_changes_the_quota_denominator() -> None:
    # 3 assessed -> quota 1, even though 5 subjects are listed.
    blanks = [SubjectInput(key=f"x{i}", marks={}) for i in range(2)]
    result = score(person("a", 99), person("b", 98), person("c", 97), *blanks)
    assert result.quota == 1
    assert {k for k, g in grades_of(result).items() if g is GOOD} == {"a"}


def test_an_empty_period() -> None:
    result = score()
    assert result.results == () and result.warnings == ()
    assert (result.quota, result.graded_count, result.not_assessed_count) == (0, 0, 0)


def test_a_period_where_nobody_is_assessed() -> None:
    result = score(SubjectInput(key="a", marks={}), SubjectInput(key="b", marks={"duty": ms(90)}))
    assert result.graded_count == 0 and result.quota == 0
    assert result.not_assessed_count == 2
    assert all(r.rank is None and r.grade is None for r in result.results)


# --- overrides ------------------------------------------------------------------------------


def five_at_the_top(**overrides: GradeOverride) -> PeriodResult:
    marks = dict(zip("abcde", (99, 98, 97, 96, 95), strict=True))
    return score(*(person(k, m, override=overrides.get(k)) for k, m in marks.items()))


def test_an_override_replaces_the_grade_and_is_recorded() -> None:
    result = five_at_the_top(a=GradeOverride(grade=FAIRLY_GOOD, reason="组织调整"))
    a = result.get("a")
    assert a.computed_grade is GOOD and a.grade is FAIRLY_GOOD
    assert a.overridden and a.override is not None and a.override.reason == "组织调整"
    assert a.grade_steps[-1].code is ReasonCode.OVERRIDE
    assert result.warnings == ()
    assert not result.get("b").overridden


def test_overrides_count_against_the_quota() -> None:
    result = five_at_the_top(c=GradeOverride(grade=GOOD, reason="重大贡献"))
    assert result.get("c").computed_grade is FAIRLY_GOOD and result.get("c").grade is GOOD
    (warning,) = result.warnings
    assert warning.code is WarningCode.OVER_QUOTA_AFTER_OVERRIDES
    assert warning.subject_keys == ("a", "b", "c")


def test_a_swap_within_the_quota_raises_no_warning() -> None:
    result = five_at_the_top(
        b=GradeOverride(grade=FAIRLY_GOOD, reason="x"), c=GradeOverride(grade=GOOD, reason="y")
    )
    assert {k for k, g in grades_of(result).items() if g is GOOD} == {"a", "c"}
    assert result.warnings == ()


def test_an_override_above_an_incident_cap_is_flagged() -> None:
    result = score(
        person("a", 95, deductions=[ded(1)], override=GradeOverride(grade=GOOD, reason="x")),
        *(person(f"z{i}", 50) for i in range(4)),
    )
    assert result.get("a").grade is GOOD
    assert [w.code for w in result.warnings] == [WarningCode.OVERRIDE_ABOVE_CAP]


def test_an_override_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="reason"):
        GradeOverride(grade=GOOD, reason="  ")


def test_an_override_on_someone_not_assessed_is_ignored() -> None:
    subject = SubjectInput(key="a", marks={}, override=GradeOverride(grade=GOOD, reason="x"))
    result = score(subject)
    assert result.get("a").grade is None and not result.get("a").overridden
    assert [w.code for w in result.warnings] == [WarningCode.OVERRIDE_IGNORED]


# --- sections -------------------------------------------------------------------------------


def test_sections_get_a_final_and_a_rank_but_no_grade() -> None:
    result = score(
        person("秘书科", 95, deductions=[ded(2), ded(4, Severity.GRAVE, incident=2)]),
        person("综合科", 91),
        person("文电科", 89),
        graded=False,
    )
    assert [(r.key, r.final, r.rank) for r in result.results] == [
        ("综合科", D("91.00"), 1),
        ("文电科", D("89.00"), 2),  # equal ranks: by key
        ("秘书科", D("89.00"), 2),
    ]
    assert all(r.grade is None and r.computed_grade is None for r in result.results)
    assert all(r.grade_steps == () for r in result.results)
    assert (result.quota, result.graded_count, result.assessed_count) == (0, 0, 3)
    assert result.warnings == ()


# --- validation -----------------------------------------------------------------------------


def test_weights_must_sum_to_100() -> None:
    criteria = (*CRITERIA[:2], CriterionSpec(code="service", name="服务质量", weight=D(10)))
    with pytest.raises(ValueError, match="sum to 100, they sum to 90"):
        score_period(criteria=criteria, subjects=[])


@pytest.mark.parametrize(
    "criteria",
    [
        (),
        (CriterionSpec(code="a", name="A", weight=D(50)),) * 2,
    ],
)
def test_criteria_must_be_present_and_unique(criteria: tuple[CriterionSpec, ...]) -> None:
    with pytest.raises(ValueError):
        score_period(criteria=criteria, subjects=[])


def test_a_weight_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        CriterionSpec(code="a", name="A", weight=D(-10))


def test_marks_on_unknown_criteria_and_duplicate_keys_are_rejected() -> None:
    stray = SubjectInput(key="a", marks={"duty": ms(90), "typo": ms(90)})
    with pytest.raises(ValueError, match="unknown criteria"):
        score(stray)
    with pytest.raises(ValueError, match="unique"):
        score(person("a", 90), person("a", 80))


def test_negative_deductions_are_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        ded(-1)


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(ValueError):
        Thresholds(good=D(70), fairly_good=D(75))


# --- annual ---------------------------------------------------------------------------------


def annual(
    key: str,
    finals: Sequence[str | int],
    grades: Sequence[Grade] = (),
    *,
    grave: bool = False,
    disqualified: bool = False,
) -> AnnualInput:
    return AnnualInput(
        key=key,
        quarter_finals=ms(*finals),
        quarter_grades=tuple(grades) or tuple(FAIRLY_GOOD for _ in finals),
        has_grave_incident=grave,
        disqualified_from_excellence=disqualified,
    )


def fillers(n: int) -> list[AnnualInput]:
    return [annual(f"z{i}", [80, 80, 80, 80]) for i in range(n)]


def test_annual_score_is_the_rounded_mean_of_quarterly_finals() -> None:
    result = score_year(
        subjects=[annual("a", ["90.00", "91.00", "92.01"]), annual("b", ["90.00", "90.01"])]
    )
    assert result.get("a").score == D("91.00")  # 273.01 / 3 = 91.00333...
    assert result.get("b").score == D("90.01")  # 90.005 half-up
    assert result.get("b").quarters_assessed == 2


@pytest.mark.parametrize(
    ("finals", "grades", "expected", "reason"),
    [
        (["59.99"], [POOR], AnnualGrade.INCOMPETENT, ReasonCode.THRESHOLD),
        (
            [80, 80, 80, 80],
            [POOR, POOR, GOOD, GOOD],
            AnnualGrade.INCOMPETENT,
            ReasonCode.POOR_QUARTERS,
        ),
        ([60], [AVERAGE], AnnualGrade.BASIC, ReasonCode.THRESHOLD),
        (["69.99"], [AVERAGE], AnnualGrade.BASIC, ReasonCode.THRESHOLD),
        ([85, 85, 85, 85], [POOR, GOOD, GOOD, GOOD], AnnualGrade.BASIC, ReasonCode.POOR_QUARTERS),
        ([70], [AVERAGE], AnnualGrade.COMPETENT, ReasonCode.THRESHOLD),
        (["89.99"], [GOOD], AnnualGrade.COMPETENT, ReasonCode.THRESHOLD),
        (
            [90, 90, 90, 90],
            [GOOD, GOOD, FAIRLY_GOOD, FAIRLY_GOOD],
            AnnualGrade.EXCELLENT,
            ReasonCode.THRESHOLD,
        ),
        (
            [95, 95, 95, 95],
            [GOOD, FAIRLY_GOOD, FAIRLY_GOOD, FAIRLY_GOOD],
            AnnualGrade.COMPETENT,
            ReasonCode.NOT_ENOUGH_GOOD_QUARTERS,
        ),
    ],
)
def test_annual_grades(
    finals: list[int | str], grades: list[Grade], expected: AnnualGrade, reason: ReasonCode
) -> None:
    # four fillers make five graded, so the 优秀 quota is 1
    result = score_year(subjects=[annual("a", finals, grades), *fillers(4)])
    assert result.quota == 1
    assert result.get("a").grade is expected
    assert reason in result.get("a").explanation


def test_annual_records_every_reason_at_the_tier() -> None:
    result = score_year(subjects=[annual("a", [50, 50], [POOR, POOR])])
    assert result.get("a").explanation == (ReasonCode.THRESHOLD, ReasonCode.POOR_QUARTERS)


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"grave": True}, ReasonCode.GRAVE_INCIDENT),
        ({"disqualified": True}, ReasonCode.DISQUALIFIED),
    ],
)
def test_a_grave_incident_or_disqualification_bars_excellence(
    kwargs: dict[str, bool], reason: ReasonCode
) -> None:
    a = annual("a", [95, 95, 95, 95], [GOOD] * 4, **kwargs)
    result = score_year(subjects=[a, *fillers(4)])
    assert result.get("a").grade is AnnualGrade.COMPETENT
    assert result.get("a").explanation == (reason,)


def test_annual_excellence_quota_is_20_percent_by_rank() -> None:
    top = [annual(k, [s] * 4, [GOOD] * 4) for k, s in zip("abc", (95, 94, 93), strict=True)]
    result = score_year(subjects=[*top, *fillers(7)])
    assert result.quota == 2  # floor(0.2 x 10)
    assert result.get("a").grade is AnnualGrade.EXCELLENT
    assert result.get("b").grade is AnnualGrade.EXCELLENT
    assert result.get("c").grade is AnnualGrade.COMPETENT
    assert result.get("c").explanation[-1] is ReasonCode.QUOTA_DEMOTION
    assert result.warnings == ()


def test_annual_tie_on_the_quota_line_drops_everyone_tied() -> None:
    top = [annual(k, [s] * 4, [GOOD] * 4) for k, s in zip("abc", (95, 94, 94), strict=True)]
    result = score_year(subjects=[*top, *fillers(7)])
    assert [result.get(k).grade for k in "abc"] == [
        AnnualGrade.EXCELLENT,
        AnnualGrade.COMPETENT,
        AnnualGrade.COMPETENT,
    ]
    (warning,) = result.warnings
    assert warning.code is WarningCode.TIE_ON_QUOTA_LINE
    assert warning.subject_keys == ("b", "c")


def test_annual_without_an_assessed_quarter_is_not_graded_nor_counted() -> None:
    top = annual("a", [95] * 4, [GOOD] * 4)
    blanks = [AnnualInput(key=f"x{i}", quarter_finals=(), quarter_grades=()) for i in range(5)]
    result = score_year(subjects=[top, *fillers(4), *blanks])
    assert result.graded_count == 5 and result.not_graded_count == 5
    assert result.quota == 1
    assert result.get("a").grade is AnnualGrade.EXCELLENT
    x0 = result.get("x0")
    assert not x0.graded and x0.score is None and x0.rank is None and x0.grade is None
    assert [r.key for r in result.results][-5:] == ["x0", "x1", "x2", "x3", "x4"]


def test_annual_ranks_are_competition_ranks() -> None:
    result = score_year(
        subjects=[annual("a", [90]), annual("b", [85]), annual("c", [85]), annual("d", [80])]
    )
    assert [(r.key, r.rank) for r in result.results] == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]


def test_an_empty_year() -> None:
    result = score_year(subjects=[])
    assert result.results == () and result.quota == 0 and result.graded_count == 0


# --- properties -----------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

mark = st.one_of(
    st.sampled_from([D(60), D(80), D(90), D(95), D(100)]),
    st.integers(min_value=850, max_value=1000).map(lambda i: D(i).scaleb(-1)),
    st.integers(min_value=0, max_value=1000).map(lambda i: D(i).scaleb(-1)),
)
mark_list = st.one_of(st.lists(mark, min_size=1, max_size=7), st.just([]))
deduction = st.builds(
    Deduction,
    incident_id=st.integers(min_value=1, max_value=99),
    points=st.sampled_from([D(0), D("0.5"), D(1), D(2), D(4), D(8), D(12)]),
    severity=st.sampled_from(list(Severity)),
)
subject_spec = st.tuples(
    st.fixed_dictionaries({"duty": mark_list, "performance": mark_list, "service": mark_list}),
    st.lists(deduction, max_size=3),
)
subject_specs = st.lists(subject_spec, max_size=12)


def build(specs: Sequence[tuple[dict[str, list[Decimal]], list[Deduction]]]) -> list[SubjectInput]:
    return [
        SubjectInput(key=f"s{i:02d}", marks=marks, deductions=deductions)
        for i, (marks, deductions) in enumerate(specs)
    ]


def exact_final(subject: SubjectInput) -> Decimal:
    """An independent computation with Fraction: trimmed means, base, deductions, half-up."""
    base = Fraction(0)
    for spec in CRITERIA:
        values = sorted(Fraction(m) for m in subject.marks[spec.code])
        if len(values) >= 5:
            values = values[1:-1]
        base += Fraction(spec.weight) * sum(values, Fraction(0)) / len(values) / 100
    final = max(Fraction(0), base - sum((Fraction(d.points) for d in subject.deductions), 0))
    cents = (final * 200 + 1) // 2
    return D(cents).scaleb(-2)


@PROPERTY_SETTINGS
@given(st.lists(st.integers(min_value=0, max_value=5).map(D), max_size=12))
def test_competition_ranks_property(values: list[Decimal]) -> None:
    ranks = competition_ranks(values)
    assert ranks == [1 + sum(other > v for other in values) for v in values]


@PROPERTY_SETTINGS
@given(subject_specs)
def test_period_properties(specs: list[tuple[dict[str, list[Decimal]], list[Deduction]]]) -> None:
    subjects = build(specs)
    result = score(*subjects)
    assessed = [r for r in result.results if r.assessed]
    assert result.graded_count == len(assessed)
    assert result.quota == len(assessed) * 2 // 5
    # a valid competition ranking over the rounded finals, results in rank order
    finals = [r.final for r in assessed]
    assert [r.rank for r in assessed] == competition_ranks(finals)  # type: ignore[arg-type]
    assert [r.rank for r in assessed] == sorted(r.rank for r in assessed)  # type: ignore[misc]
    # without overrides, at most floor(40% n) are 好
    assert sum(r.grade is GOOD for r in assessed) <= result.quota
    by_key = {s.key: s for s in subjects}
    for r in assessed:
        assert r.final is not None and r.final >= 0
        assert r.final == exact_final(by_key[r.key])
        if r.deductions:
            assert r.grade is not GOOD
        if any(d.severity is Severity.GRAVE for d in r.deductions):
            assert r.grade in (AVERAGE, POOR)
    for r in result.results:
        if not r.assessed:
            assert r.rank is None and r.grade is None and r.final is None


@PROPERTY_SETTINGS
@given(st.lists(subject_spec, min_size=1, max_size=12), deduction, st.data())
def test_adding_a_deduction_never_raises_a_final_or_a_grade(
    specs: list[tuple[dict[str, list[Decimal]], list[Deduction]]],
    extra: Deduction,
    data: st.DataObject,
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(specs) - 1))
    before = score(*build(specs))
    marks, deductions = specs[index]
    specs = [*specs[:index], (marks, [*deductions, extra]), *specs[index + 1 :]]
    after = score(*build(specs))
    key = f"s{index:02d}"
    old, new = before.get(key), after.get(key)
    if old.final is None:
        assert new.final is None
        return
    assert new.final is not None and new.final <= old.final
    assert new.grade is not None and old.grade is not None
    assert new.grade.level <= old.grade.level
    for other in before.results:
        if other.key != key:
            assert after.get(other.key).final == other.final


annual_input = st.tuples(
    st.lists(
        st.integers(min_value=5000, max_value=10000).map(lambda i: D(i).scaleb(-2)), max_size=4
    ),
    st.lists(st.sampled_from(list(Grade)), min_size=4, max_size=4),
    st.booleans(),
    st.booleans(),
)


@PROPERTY_SETTINGS
@given(st.lists(annual_input, max_size=15))
def test_annual_properties(specs: list[tuple[list[Decimal], list[Grade], bool, bool]]) -> None:
    subjects = [
        AnnualInput(
            key=f"s{i:02d}",
            quarter_finals=finals,
            quarter_grades=grades[: len(finals)],
            has_grave_incident=grave,
            disqualified_from_excellence=dq,
        )
        for i, (finals, grades, grave, dq) in enumerate(specs)
    ]
    result = score_year(subjects=subjects)
    graded = [r for r in result.results if r.graded]
    assert result.quota == len(graded) // 5
    assert sum(r.grade is AnnualGrade.EXCELLENT for r in graded) <= result.quota
    assert [r.rank for r in graded] == competition_ranks([r.score for r in graded])  # type: ignore[misc]
    for r in graded:
        if r.poor_quarters >= 2:
            assert r.grade is AnnualGrade.INCOMPETENT
        if r.grade is AnnualGrade.EXCELLENT:
            assert r.score is not None and r.score >= 90 and r.good_quarters >= 2


# --- ties on the quota line (DOMAIN.md: a tie straddling the line drops everyone tied) ----------
#
# Few distinct finals, so that ties on the line are common. With one mark per criterion the
# final is the mark itself (less any deduction); a zero-point incident caps the grade at 较好
# without moving the final, so capped and uncapped people share finals too.

line_final = st.sampled_from([D(85), D(90), D(92), D(95), D(98)])
line_subject = st.tuples(line_final, st.booleans())


def line_people(specs: Sequence[tuple[Decimal, bool]]) -> list[SubjectInput]:
    return [
        SubjectInput(
            key=f"s{i:02d}",
            marks={"duty": [final], "performance": [final], "service": [final]},
            deductions=[ded(0)] if incident else [],
        )
        for i, (final, incident) in enumerate(specs)
    ]


def check_the_line(result, *, top, value, eligible: set[str]) -> None:
    """DOMAIN.md's quota line, stated from the inputs alone: ``eligible`` are those who reach
    the ``top`` grade on their ``value`` (final or annual score) and nothing else bars."""
    results, quota, warnings = result.results, result.quota, result.warnings
    # People in the same position (same value, both eligible) always get the same grade.
    for one in results:
        for other in results:
            if value(one) == value(other) and {one.key, other.key} <= eligible:
                assert one.grade is other.grade, (one.key, other.key, value(one))
    # The quota is never exceeded, not even by people tied on the line.
    tops = {r.key for r in results if r.grade is top}
    assert len(tops) <= quota
    # The top grade goes exactly to the candidates (90 or more, eligible) above the line; the
    # line is the value of the first candidate who does not fit in the quota.
    candidates = sorted(
        (value(r) for r in results if r.key in eligible and value(r) >= 90), reverse=True
    )
    line = candidates[quota] if len(candidates) > quota else D(-1)
    assert tops == {
        r.key for r in results if r.key in eligible and value(r) >= 90 and value(r) > line
    }
    # A tie is never broken silently: it is reported, naming exactly those tied on the line.
    straddles = 0 < quota < len(candidates) and candidates[quota - 1] == line
    tied = sorted(r.key for r in results if r.key in eligible and value(r) == line)
    warned = [w for w in warnings if w.code is WarningCode.TIE_ON_QUOTA_LINE]
    assert [sorted(w.subject_keys) for w in warned] == ([tied] if straddles else [])


def check_the_quota_line(result: PeriodResult, subjects: Sequence[SubjectInput]) -> None:
    """The 40% 好 quota; an incident bars 好 (the cap) without moving the final."""
    uncapped = {s.key for s in subjects if not s.deductions}
    check_the_line(result, top=GOOD, value=lambda r: r.final, eligible=uncapped)


@PROPERTY_SETTINGS
@given(st.lists(line_subject, max_size=12))
def test_ties_on_the_quota_line_property(specs: list[tuple[Decimal, bool]]) -> None:
    subjects = line_people(specs)
    check_the_quota_line(score(*subjects), subjects)


annual_line_subject = st.tuples(line_final, st.sampled_from(["eligible", "grave", "one 好"]))


def annual_line_people(specs: Sequence[tuple[Decimal, str]]) -> list[AnnualInput]:
    return [
        annual(
            f"s{i:02d}",
            [final] * 4,
            [GOOD, FAIRLY_GOOD, FAIRLY_GOOD, FAIRLY_GOOD] if bar == "one 好" else [GOOD] * 4,
            grave=bar == "grave",
        )
        for i, (final, bar) in enumerate(specs)
    ]


def check_the_annual_quota_line(result, subjects: Sequence[AnnualInput]) -> None:
    """The 20% 优秀 quota; a grave incident or a single 好 quarter bars 优秀."""
    eligible = {s.key for s in subjects if not s.has_grave_incident and s.quarter_grades[1] is GOOD}
    check_the_line(result, top=AnnualGrade.EXCELLENT, value=lambda r: r.score, eligible=eligible)


@PROPERTY_SETTINGS
@given(st.lists(annual_line_subject, max_size=15))
def test_ties_on_the_annual_quota_line_property(specs: list[tuple[Decimal, str]]) -> None:
    subjects = annual_line_people(specs)
    check_the_annual_quota_line(score_year(subjects=subjects), subjects)


def no_tie_rule(candidates, quota):
    """The quota cut without the tie rule: whoever sorts first keeps the slot."""
    ordered = sorted(candidates, key=lambda item: (-item[1], item[0]))
    return [key for key, _ in ordered[quota:]], []


def test_the_properties_catch_a_quota_cut_without_the_tie_rule(monkeypatch) -> None:
    """The properties above are not vacuous: without the tie rule, a straddling tie fails them."""
    quarter = line_people(
        [(D(99), False), (D(97), False), (D(97), False), (D(96), False)] + [(D(50), False)]
    )
    year = annual_line_people([(D(95), "eligible"), (D(94), "eligible"), (D(94), "eligible")])
    year += fillers(7)
    check_the_quota_line(score(*quarter), quarter)
    check_the_annual_quota_line(score_year(subjects=year), year)
    monkeypatch.setattr(scoring, "_quota_cut", no_tie_rule)
    with pytest.raises(AssertionError):
        check_the_quota_line(score(*quarter), quarter)
    with pytest.raises(AssertionError):
        check_the_annual_quota_line(score_year(subjects=year), year)


@given(st.lists(mark, min_size=1, max_size=9))
def test_the_raw_average_is_the_quotient_to_fifty_significant_digits(marks):
    average = trimmed_mean(marks)
    with localcontext() as ctx:
        ctx.prec = 50
        expected = sum(average.used, D(0)) / len(average.used)
    assert average.raw_average == expected
    assert str(average.raw_average) == str(expected)  # the same digits, not only the same value
