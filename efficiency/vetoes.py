"""Reads of influence periods and 处分: a person's periods for their page, and the vetoes on
a year's annual grades, from the stored decisions through :mod:`efficiency.influence`."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from efficiency import influence, scoring
from efficiency.models import IncidentResponsible, InfluenceMonths, Sanction, Staff
from efficiency.models.incidents import ESTABLISHED_STATUSES, HandlingDecision


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def _decisions(staff_nos: Iterable[str] | None = None, kinds: Iterable[str] | None = None):
    rows = IncidentResponsible.objects.filter(incident__status__in=ESTABLISHED_STATUSES).exclude(
        incident__handling_decision=""
    )
    if kinds is not None:
        rows = rows.filter(incident__handling_decision__in=list(kinds))
    if staff_nos is not None:
        rows = rows.filter(staff__staff_no__in=list(staff_nos))
    return rows.values_list(
        "staff__staff_no",
        "incident__number",
        "incident__handling_decision",
        "incident__handled_at",
        "incident__occurred_on",
    )


def decision_facts(
    staff_nos: Iterable[str] | None = None, kinds: Iterable[str] | None = None
) -> dict[str, list]:
    """Staff number -> the handling decisions naming them (only of ``kinds`` when given), as
    plain facts."""
    # Each label translated once, not once a row (thousands of rows on the annual roll-up).
    labels = {value: str(label) for value, label in HandlingDecision.choices}
    facts: dict[str, list] = defaultdict(list)
    for staff_no, number, decision, handled_at, occurred_on in _decisions(staff_nos, kinds):
        facts[staff_no].append(
            influence.DecisionFact(
                decision=decision,
                label=labels.get(decision, decision),
                # a decision entered without its time (old data) counts from the incident
                decided_on=_local_day(handled_at) if handled_at else occurred_on,
                occurred_year=occurred_on.year,
                reference=number,
            )
        )
    return facts


def sanction_facts(staff_nos: Iterable[str] | None = None) -> dict[str, list]:
    """Staff number -> their 处分 in force (withdrawn ones left out), as plain facts."""
    rows = Sanction.objects.filter(withdrawn=False).select_related("staff")
    if staff_nos is not None:
        rows = rows.filter(staff__staff_no__in=list(staff_nos))
    facts: dict[str, list] = defaultdict(list)
    for sanction in rows:
        facts[sanction.staff.staff_no].append(
            influence.SanctionFact(
                kind=sanction.kind,
                label=sanction.get_kind_display(),
                dated=sanction.dated,
                reference=sanction.document_number,
            )
        )
    return facts


FEW = 100  # staff numbers worth an IN list; more, and everyone's rows are read instead


def year_vetoes(year: int, staff_nos: Iterable[str]) -> dict[str, tuple[scoring.Veto, ...]]:
    """Staff number -> the vetoes on their annual grade for ``year`` (people without none)."""
    wanted = set(staff_nos)
    months = InfluenceMonths.table()
    # Only the decisions that can veto 优秀 (thousands fewer rows than all of them). For a
    # page of people, theirs; for the year's roll-up, everyone's: an IN over 2,000 staff
    # numbers cost more than the rows it saved.
    some = list(wanted) if len(wanted) <= FEW else None
    decisions = decision_facts(some, kinds=influence.NO_EXCELLENT_DECISIONS)
    sanctions = sanction_facts(some)
    found = {}
    for key in (set(decisions) | set(sanctions)) & wanted:
        vetoes = influence.vetoes_for_year(
            year, decisions=decisions.get(key, ()), sanctions=sanctions.get(key, ()), months=months
        )
        if vetoes:
            found[key] = vetoes
    return found


@dataclass(frozen=True)
class InfluencePeriod:
    """One line of a person's page: a handling decision or a 处分 and its period."""

    what: str
    starts: datetime.date
    ends: datetime.date | None  # None: no period (0 months)
    reference: str  # incident number or 文号
    is_sanction: bool
    sanction: Sanction | None = None

    @property
    def running(self) -> bool:
        return self.ends is not None and self.ends >= timezone.localdate()


def person_periods(staff: Staff) -> list[InfluencePeriod]:
    """Every influence period of one person, newest first (withdrawn 处分 kept, marked)."""
    months = InfluenceMonths.table()
    periods = [
        InfluencePeriod(
            what=fact.label,
            starts=fact.decided_on,
            ends=influence.decision_period_end(fact.decision, fact.decided_on, months),
            reference=fact.reference,
            is_sanction=False,
        )
        for fact in decision_facts([staff.staff_no]).get(staff.staff_no, [])
    ]
    for sanction in Sanction.objects.filter(staff=staff):
        periods.append(
            InfluencePeriod(
                what=sanction.get_kind_display(),
                starts=sanction.dated,
                ends=None if sanction.withdrawn else sanction.ends_on,
                reference=sanction.document_number,
                is_sanction=True,
                sanction=sanction,
            )
        )
    periods.sort(key=lambda p: p.starts, reverse=True)
    return periods


def incident_period_end(decision: str, handled_at: datetime.datetime | None):
    """Last day of an incident's handling decision's period; None without one."""
    if not decision or handled_at is None:
        return None
    return influence.decision_period_end(decision, _local_day(handled_at), InfluenceMonths.table())
