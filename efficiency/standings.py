"""Reads about standings (考核情况): who is 不定等次 or 不参加考核 in a quarter or a year, and
the 不定等次（新录用试用期） that staff records' probation dates propose.

``quarter`` None always means the annual appraisal.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from efficiency.models import Staff, StaffStanding, StandingKind
from efficiency.quarters import Quarter


def period_label(year: int, quarter: int | None) -> str:
    return f"{year}Q{quarter}" if quarter else str(year)


def bounds(year: int, quarter: int | None) -> tuple[datetime.date, datetime.date]:
    if quarter:
        return Quarter(year, quarter).bounds
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def standings_of(year: int, quarter: int | None):
    """The period's non-default standings, with their people (one query)."""
    rows = StaffStanding.objects.filter(year=year).select_related("staff__section", "set_by")
    return rows.filter(quarter=quarter) if quarter else rows.filter(quarter__isnull=True)


def by_staff(year: int, quarter: int | None) -> dict[int, StaffStanding]:
    return {row.staff_id: row for row in standings_of(year, quarter)}


def absent_ids(year: int, quarter: int | None):
    """A subquery of the staff ids 不参加考核 in the period: they are listed nowhere."""
    return standings_of(year, quarter).filter(standing=StandingKind.ABSENT).values("staff_id")


@dataclass(frozen=True)
class Proposal:
    """不定等次（新录用试用期） proposed by a probation date on the staff record."""

    staff: Staff
    probation_ends: datetime.date


def _in_post(first: datetime.date, last: datetime.date) -> Q:
    return (Q(start_date__isnull=True) | Q(start_date__lte=last)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=first)
    )


def probation_proposals(year: int, quarter: int | None) -> list[Proposal]:
    """People on probation in the period who have no standing set for it yet.

    A quarter is covered when the probation ends after its first day; the year, when the
    probation has not ended before its last day (the annual appraisal looks at the year end).
    """
    first, last = bounds(year, quarter)
    covered = Q(probation_ends__gt=first) if quarter else Q(probation_ends__gte=last)
    already = standings_of(year, quarter).values("staff_id")
    people = (
        Staff.objects.filter(covered & _in_post(first, last))
        .exclude(pk__in=already)
        .select_related("section")
        .order_by("staff_no")
    )
    return [Proposal(staff=person, probation_ends=person.probation_ends) for person in people]


def new_starters_without_probation(year: int, quarter: int | None) -> list[Staff]:
    """People who started inside the period with no probation date and no standing: a hint to
    check (a transfer is appraised as usual; a new recruit is on probation)."""
    first, last = bounds(year, quarter)
    already = standings_of(year, quarter).values("staff_id")
    return list(
        Staff.objects.filter(
            start_date__range=(first, last), probation_ends__isnull=True, end_date__isnull=True
        )
        .exclude(pk__in=already)
        .select_related("section")
        .order_by("staff_no")
    )
