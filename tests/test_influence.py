"""Influence periods and the annual vetoes (efficiency.influence, scoring.Veto): no database."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from efficiency import influence
from efficiency.influence import (
    DecisionFact,
    SanctionFact,
    add_months,
    decision_period_end,
    sanction_period_end,
    vetoes_for_year,
)
from efficiency.scoring import (
    AnnualGrade,
    AnnualInput,
    Grade,
    ReasonCode,
    Veto,
    VetoCode,
    score_year,
)

GOOD = Grade.GOOD


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 5, 14), 6, date(2026, 11, 14)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # clipped to February's last day
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
        (date(2026, 3, 10), 24, date(2028, 3, 10)),
        (date(2026, 3, 10), 0, date(2026, 3, 10)),
    ],
)
def test_add_months_clips_the_day(day, months, expected):
    assert add_months(day, months) == expected


def test_add_months_refuses_negative():
    with pytest.raises(ValueError):
        add_months(date(2026, 1, 1), -1)


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        ("reminder_talk", None),  # 0 months: no period
        ("criticism", None),
        ("written_self_criticism", date(2026, 8, 14)),
        ("circulated_criticism", date(2026, 11, 14)),
        ("admonition_talk", date(2026, 11, 14)),
        ("no_annual_award", date(2026, 12, 31)),  # to the end of that year
        ("reassignment", date(2027, 5, 14)),
    ],
)
def test_decision_period_ends_by_default(decision, expected):
    assert decision_period_end(decision, date(2026, 5, 14)) == expected


def test_decision_months_follow_the_table_but_not_for_no_annual_award():
    months = {"admonition_talk": 0, "criticism": 2, "no_annual_award": 1}
    assert decision_period_end("admonition_talk", date(2026, 5, 14), months) is None
    assert decision_period_end("criticism", date(2026, 5, 14), months) == date(2026, 7, 14)
    assert decision_period_end("no_annual_award", date(2026, 5, 14), months) == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("warning", date(2026, 9, 3)),
        ("demerit", date(2027, 3, 3)),
        ("major_demerit", date(2027, 9, 3)),
        ("demotion", date(2028, 3, 3)),
        ("dismissal", date(2028, 3, 3)),
    ],
)
def test_sanction_period_ends(kind, expected):
    assert sanction_period_end(kind, date(2026, 3, 3)) == expected


def talk(on: date, decision: str = "admonition_talk", occurred: int | None = None):
    return DecisionFact(decision, "诫勉谈话", on, occurred or on.year, "2026-0007")


def sanction(kind: str, on: date, label: str = "警告"):
    return SanctionFact(kind, label, on, "县办发〔2026〕3号")


def codes(vetoes):
    return [v.code for v in vetoes]


def test_admonition_talk_period_overlapping_the_year_bars_excellent():
    vetoes = vetoes_for_year(2026, decisions=[talk(date(2026, 5, 14))])
    end = date(2026, 11, 14)
    assert vetoes == (
        Veto(VetoCode.INFLUENCE_PERIOD, "诫勉谈话", date(2026, 5, 14), end, "2026-0007"),
    )


def test_period_crossing_into_the_next_year_bars_both_years():
    fact = talk(date(2025, 10, 1))  # ends 2026-04-01
    assert codes(vetoes_for_year(2025, decisions=[fact])) == [VetoCode.INFLUENCE_PERIOD]
    assert codes(vetoes_for_year(2026, decisions=[fact])) == [VetoCode.INFLUENCE_PERIOD]
    assert vetoes_for_year(2027, decisions=[fact]) == ()


def test_period_ending_31_december_does_not_reach_the_next_year():
    fact = talk(date(2026, 6, 30), "reassignment")  # 12 months: ends 2027-06-30
    assert codes(vetoes_for_year(2027, decisions=[fact])) == [VetoCode.INFLUENCE_PERIOD]
    ending_31_dec = talk(date(2025, 12, 31), "reassignment")  # ends 2026-12-31
    assert codes(vetoes_for_year(2026, decisions=[ending_31_dec])) == [VetoCode.INFLUENCE_PERIOD]
    assert vetoes_for_year(2027, decisions=[ending_31_dec]) == ()
    ending_30_jun = talk(date(2025, 12, 31))  # 6 months: ends 2026-06-30
    assert vetoes_for_year(2027, decisions=[ending_30_jun]) == ()


def test_decisions_below_admonition_never_veto():
    facts = [talk(date(2026, 5, 14), d) for d in ("circulated_criticism", "written_self_criticism")]
    assert vetoes_for_year(2026, decisions=facts) == ()


def test_zero_months_means_no_period_and_no_veto():
    months = {**influence.DEFAULT_DECISION_MONTHS, "admonition_talk": 0}
    assert vetoes_for_year(2026, decisions=[talk(date(2026, 5, 14))], months=months) == ()


def test_no_annual_award_keeps_its_old_rule_for_the_incident_year():
    # incident of 2025 handled in January 2026: the old rule (incident year) and the period
    # (to 31 Dec 2026) both hold, each for its year.
    fact = talk(date(2026, 1, 10), "no_annual_award", occurred=2025)
    assert codes(vetoes_for_year(2025, decisions=[fact])) == [VetoCode.DISQUALIFIED]
    assert codes(vetoes_for_year(2026, decisions=[fact])) == [VetoCode.INFLUENCE_PERIOD]
    assert vetoes_for_year(2027, decisions=[fact]) == ()


def test_warning_dated_in_the_year_bars_excellent_only_that_year():
    fact = sanction("warning", date(2026, 9, 1))  # period runs to 2027-03-01
    assert codes(vetoes_for_year(2026, sanctions=[fact])) == [VetoCode.WARNING]
    assert vetoes_for_year(2027, sanctions=[fact]) == ()
    assert vetoes_for_year(2025, sanctions=[fact]) == ()


@pytest.mark.parametrize(
    ("dated", "year", "vetoed"),
    [
        (date(2025, 12, 31), 2025, True),  # ends 2026-12-31: not ended by 31 Dec 2025
        (date(2025, 12, 31), 2026, False),  # ends on 31 Dec 2026: ended by then
        (date(2026, 1, 1), 2026, True),  # ends 1 Jan 2027
        (date(2026, 1, 1), 2027, False),
        (date(2027, 1, 1), 2026, False),  # not yet
    ],
)
def test_demerit_period_not_ended_by_31_december_undetermines(dated, year, vetoed):
    vetoes = vetoes_for_year(year, sanctions=[sanction("demerit", dated, "记过")])
    assert codes(vetoes) == ([VetoCode.SANCTION_PERIOD] if vetoed else [])


def test_dismissal_undetermines_two_years():
    fact = sanction("dismissal", date(2025, 3, 1), "撤职")  # ends 2027-03-01
    for year in (2025, 2026):
        assert codes(vetoes_for_year(year, sanctions=[fact])) == [VetoCode.SANCTION_PERIOD]
    assert vetoes_for_year(2027, sanctions=[fact]) == ()


# --- the vetoes in score_year ---------------------------------------------------------------

WARNING_VETO = Veto(VetoCode.WARNING, "警告", date(2026, 3, 1), date(2026, 9, 1), "3号")
DEMERIT_VETO = Veto(VetoCode.SANCTION_PERIOD, "记过", date(2026, 3, 1), date(2027, 3, 1))


def person(key, final, vetoes=(), grades=(GOOD, GOOD, GOOD, GOOD)):
    return AnnualInput(key, [Decimal(final)] * 4, list(grades), vetoes=tuple(vetoes))


def fillers(n):
    return [person(f"z{i}", 80, grades=()) for i in range(n)]


def test_no_excellent_veto_makes_an_excellent_person_competent():
    year = score_year(subjects=[person("a", 95, [WARNING_VETO]), *fillers(4)])
    result = year.get("a")
    assert result.grade is AnnualGrade.COMPETENT
    assert result.explanation == (ReasonCode.VETO,)
    assert result.vetoes == (WARNING_VETO,)
    assert not result.undetermined


def test_veto_on_someone_below_excellent_changes_nothing_but_is_shown():
    year = score_year(subjects=[person("a", 85, [WARNING_VETO]), *fillers(4)])
    assert year.get("a").grade is AnnualGrade.COMPETENT
    assert year.get("a").explanation == (ReasonCode.THRESHOLD,)
    assert year.get("a").vetoes == (WARNING_VETO,)


def test_undetermined_person_is_ranked_but_not_graded_nor_counted():
    # five graded people give one 优秀 place; the undetermined one leaves four: no place.
    subjects = [person("a", 95, [DEMERIT_VETO]), person("b", 92), *fillers(3)]
    year = score_year(subjects=subjects)
    a = year.get("a")
    assert (a.undetermined, a.grade, a.rank, a.score) == (True, None, 1, Decimal("95.00"))
    assert year.graded_count == 4
    assert year.quota == 0
    assert year.get("b").grade is AnnualGrade.COMPETENT
    # with five others, the place is back and goes to b, not to the undetermined a
    year = score_year(subjects=[*subjects, person("c", 70, grades=())])
    assert year.graded_count == 5 and year.quota == 1
    assert year.get("b").grade is AnnualGrade.EXCELLENT


def test_legacy_disqualified_flag_still_bars_excellent():
    subject = AnnualInput("a", [Decimal(95)] * 4, [GOOD] * 4, disqualified_from_excellence=True)
    year = score_year(subjects=[subject, *fillers(4)])
    assert year.get("a").grade is AnnualGrade.COMPETENT
    assert year.get("a").explanation == (ReasonCode.DISQUALIFIED,)


veto_codes = st.sampled_from(list(VetoCode))
people = st.lists(
    st.tuples(
        st.integers(min_value=50, max_value=100),
        st.lists(veto_codes, max_size=2),
        st.integers(min_value=0, max_value=4),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(people)
def test_vetoed_never_excellent_and_undetermined_never_in_the_quota(rows):
    subjects = [
        AnnualInput(
            f"p{i}",
            [Decimal(final)] * 4,
            [GOOD] * good + [Grade.FAIRLY_GOOD] * (4 - good),
            vetoes=tuple(Veto(code, "x", date(2026, 1, 1)) for code in codes_),
        )
        for i, (final, codes_, good) in enumerate(rows)
    ]
    year = score_year(subjects=subjects)
    undetermined = [r for r in year.results if r.undetermined]
    assert year.graded_count == len(year.results) - len(undetermined)
    assert year.quota == int(Decimal("0.20") * year.graded_count)
    excellent = [r for r in year.results if r.grade is AnnualGrade.EXCELLENT]
    assert len(excellent) <= year.quota
    for subject, result in ((s, year.get(s.key)) for s in subjects):
        if subject.vetoes:
            assert result.grade is not AnnualGrade.EXCELLENT
        if any(v.code.undetermines for v in subject.vetoes):
            assert result.undetermined and result.grade is None and result.rank is not None
