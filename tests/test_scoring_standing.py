"""不定等次 in the arithmetic: scored and ranked, no grade, outside every quota (pure)."""

import dataclasses
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from efficiency.scoring import (
    AnnualGrade,
    AnnualInput,
    CriterionSpec,
    Grade,
    GradeOverride,
    Standing,
    SubjectInput,
    WarningCode,
    score_period,
    score_year,
)

D = Decimal
CRITERIA = (CriterionSpec(code="all", name="综合", weight=D(100)),)


def person(key: str, mark, standing=Standing.PARTICIPATING, override=None) -> SubjectInput:
    return SubjectInput(
        key=key, marks={"all": (D(mark),) * 4}, override=override, standing=standing
    )


def test_undetermined_is_ranked_but_not_graded_nor_counted():
    # Five people 95, 94, 93, 92, 91 and one undetermined at 99: graded 5, quota floor(2.0) = 2.
    people = [person(f"p{i}", 95 - i) for i in range(5)]
    people.append(person("new", 99, Standing.UNDETERMINED))
    result = score_period(criteria=CRITERIA, subjects=people)
    assert result.graded_count == 5
    assert result.assessed_count == 6
    assert result.quota == 2
    new = result.get("new")
    assert (new.final, new.rank, new.grade, new.computed_grade) == (D("99.00"), 1, None, None)
    assert new.undetermined and new.grade_steps == ()
    grades = [result.get(f"p{i}").grade for i in range(5)]
    assert grades == [Grade.GOOD, Grade.GOOD] + [Grade.FAIRLY_GOOD] * 3
    assert result.get("p0").rank == 2  # ranked among everyone assessed


def test_without_the_undetermined_the_quota_would_differ():
    # Four graded people at 95..92: quota floor(1.6) = 1; one undetermined does not make it 2.
    people = [person(f"p{i}", 95 - i) for i in range(4)] + [person("x", 80, Standing.UNDETERMINED)]
    result = score_period(criteria=CRITERIA, subjects=people)
    assert (result.quota, result.graded_count) == (1, 4)
    assert [r.grade for r in result.results if r.key != "x"].count(Grade.GOOD) == 1


def test_override_on_an_undetermined_person_is_ignored_with_a_warning():
    override = GradeOverride(Grade.GOOD, "leaders decided")
    result = score_period(
        criteria=CRITERIA,
        subjects=[person("a", 95), person("b", 91, Standing.UNDETERMINED, override)],
    )
    b = result.get("b")
    assert b.grade is None and not b.overridden
    assert any(
        w.code is WarningCode.OVERRIDE_IGNORED and w.subject_keys == ("b",) for w in result.warnings
    )


def test_sections_run_ungraded_is_never_undetermined():
    result = score_period(
        criteria=CRITERIA, subjects=[person("s", 90, Standing.UNDETERMINED)], graded=False
    )
    assert not result.get("s").undetermined


def test_annual_undetermined_has_a_score_no_grade_and_leaves_the_quota():
    subjects = [
        AnnualInput(key=f"p{i}", quarter_finals=[D(95 - i)] * 4, quarter_grades=[Grade.GOOD] * 4)
        for i in range(5)
    ]
    subjects.append(
        AnnualInput(
            key="x",
            quarter_finals=[D(99)] * 4,
            quarter_grades=[Grade.GOOD] * 4,
            standing=Standing.UNDETERMINED,
        )
    )
    result = score_year(subjects=subjects)
    assert (result.graded_count, result.quota) == (5, 1)  # floor(20% x 5), not floor(20% x 6)
    x = result.get("x")
    assert (x.score, x.rank, x.grade, x.undetermined) == (D("99.00"), 1, None, True)
    assert result.get("p0").grade is AnnualGrade.EXCELLENT
    assert result.get("p1").grade is AnnualGrade.COMPETENT


marks = st.integers(min_value=500, max_value=1000).map(lambda i: D(i).scaleb(-1))


@settings(max_examples=150, deadline=None)
@given(
    finals=st.lists(marks, min_size=0, max_size=12),
    extra=marks,
    position=st.integers(min_value=0, max_value=12),
)
def test_adding_an_undetermined_person_changes_no_one_elses_grade(finals, extra, position):
    people = [person(f"p{i:02}", mark) for i, mark in enumerate(finals)]
    before = score_period(criteria=CRITERIA, subjects=people)
    people.insert(min(position, len(people)), person("new", extra, Standing.UNDETERMINED))
    after = score_period(criteria=CRITERIA, subjects=people)
    assert after.get("new").grade is None and after.get("new").computed_grade is None
    assert (after.quota, after.graded_count) == (before.quota, before.graded_count)
    for r in before.results:
        assert after.get(r.key).grade == r.grade
        assert after.get(r.key).grade_steps == r.grade_steps


@settings(max_examples=150, deadline=None)
@given(
    scores=st.lists(st.tuples(marks, st.integers(min_value=0, max_value=4)), max_size=12),
    extra=marks,
)
def test_adding_an_undetermined_person_changes_no_annual_grade(scores, extra):
    subjects = [
        AnnualInput(
            key=f"p{i:02}",
            quarter_finals=[score] * 4,
            quarter_grades=[Grade.GOOD] * good + [Grade.FAIRLY_GOOD] * (4 - good),
        )
        for i, (score, good) in enumerate(scores)
    ]
    before = score_year(subjects=subjects)
    extra_input = AnnualInput(
        key="new",
        quarter_finals=[extra],
        quarter_grades=[Grade.GOOD],
        standing=Standing.UNDETERMINED,
    )
    after = score_year(subjects=[*subjects, extra_input])
    assert after.get("new").grade is None
    assert (after.quota, after.graded_count) == (before.quota, before.graded_count)
    for r in before.results:
        assert dataclasses.replace(after.get(r.key), rank=r.rank) == r
