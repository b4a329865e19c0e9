"""Influence periods (影响期) of three-errors handling decisions and 处分, and the annual vetoes
they bring. Pure: dates and strings in, :class:`efficiency.scoring.Veto` out.

A period starts on the decision's (or the 处分's) date and ends ``months`` later, the day
clipped to the month's last day (31 Aug + 6 months = 28/29 Feb); 取消年度评优资格 ends on
31 December of its year; 0 months means no period. The period covers both ends.

The vetoes for a year (DOMAIN.md "Annual appraisal"):
  * a period of 诫勉谈话 or above overlapping the year: no 优秀;
  * a 警告 dated in the year: no 优秀;
  * a period of 记过 or above not ended by 31 December: 不定等次 (no grade, not in the quota).
"""

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from efficiency.scoring import Veto, VetoCode

# Handling decisions (models.HandlingDecision values) in rising order, with default months.
REMINDER_TALK = "reminder_talk"
CRITICISM = "criticism"
WRITTEN_SELF_CRITICISM = "written_self_criticism"
CIRCULATED_CRITICISM = "circulated_criticism"
ADMONITION_TALK = "admonition_talk"
NO_ANNUAL_AWARD = "no_annual_award"
REASSIGNMENT = "reassignment"

DEFAULT_DECISION_MONTHS: Mapping[str, int] = {
    REMINDER_TALK: 0,
    CRITICISM: 0,
    WRITTEN_SELF_CRITICISM: 3,
    CIRCULATED_CRITICISM: 6,
    ADMONITION_TALK: 6,
    REASSIGNMENT: 12,
}
# 取消年度评优资格 runs to the end of its year whatever the months table says.
YEAR_END_DECISIONS = frozenset({NO_ANNUAL_AWARD})
# 诫勉谈话 or above: a period overlapping the year bars 优秀.
NO_EXCELLENT_DECISIONS = frozenset({ADMONITION_TALK, NO_ANNUAL_AWARD, REASSIGNMENT})

# 处分 kinds (models.SanctionKind values) and their fixed periods in months.
WARNING = "warning"
DEMERIT = "demerit"
MAJOR_DEMERIT = "major_demerit"
DEMOTION = "demotion"
DISMISSAL = "dismissal"
SANCTION_MONTHS: Mapping[str, int] = {
    WARNING: 6,
    DEMERIT: 12,
    MAJOR_DEMERIT: 18,
    DEMOTION: 24,
    DISMISSAL: 24,
}
# 记过 or above: a period not ended by 31 December makes the year 不定等次.
UNDETERMINING_SANCTIONS = frozenset({DEMERIT, MAJOR_DEMERIT, DEMOTION, DISMISSAL})


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, the day clipped to the target month's last day."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def decision_period_end(
    decision: str, decided_on: date, months: Mapping[str, int] = DEFAULT_DECISION_MONTHS
) -> date | None:
    """Last day of a handling decision's influence period; None when it has none."""
    if decision in YEAR_END_DECISIONS:
        return date(decided_on.year, 12, 31)
    count = months.get(decision, 0)
    return add_months(decided_on, count) if count > 0 else None


def sanction_period_end(kind: str, dated: date) -> date:
    """Last day of a 处分's influence period."""
    return add_months(dated, SANCTION_MONTHS[kind])


@dataclass(frozen=True)
class DecisionFact:
    """A handling decision naming the person: when decided, and the year the incident happened
    (a 取消年度评优资格 bars 优秀 for that year too, as before influence periods existed)."""

    decision: str
    label: str  # 诫勉谈话, ... as the page shows it
    decided_on: date
    occurred_year: int
    reference: str = ""  # the incident's number


@dataclass(frozen=True)
class SanctionFact:
    kind: str
    label: str  # 警告, 记过, ...
    dated: date
    reference: str = ""  # 文号


def _overlaps(start: date, end: date, year: int) -> bool:
    return start <= date(year, 12, 31) and end >= date(year, 1, 1)


def vetoes_for_year(
    year: int,
    *,
    decisions: Iterable[DecisionFact] = (),
    sanctions: Iterable[SanctionFact] = (),
    months: Mapping[str, int] = DEFAULT_DECISION_MONTHS,
) -> tuple[Veto, ...]:
    """Every veto on the year's annual grade, in date order."""
    found: list[Veto] = []
    for fact in decisions:
        if fact.decision not in NO_EXCELLENT_DECISIONS:
            continue
        end = decision_period_end(fact.decision, fact.decided_on, months)
        in_period = end is not None and _overlaps(fact.decided_on, end, year)
        legacy = fact.decision == NO_ANNUAL_AWARD and fact.occurred_year == year
        if in_period or legacy:
            code = VetoCode.DISQUALIFIED if legacy and not in_period else VetoCode.INFLUENCE_PERIOD
            found.append(Veto(code, fact.label, fact.decided_on, end, fact.reference))
    for fact in sanctions:
        end = sanction_period_end(fact.kind, fact.dated)
        # dated by 31 Dec and not ended by then (it ends in a later year)
        if fact.kind in UNDETERMINING_SANCTIONS and fact.dated.year <= year < end.year:
            code = VetoCode.SANCTION_PERIOD
        elif fact.kind == WARNING and fact.dated.year == year:
            code = VetoCode.WARNING
        else:
            continue
        found.append(Veto(code, fact.label, fact.dated, end, fact.reference))
    found.sort(key=lambda v: (v.on, v.code, v.what))
    return tuple(found)
