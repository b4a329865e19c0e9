"""Reads of the office's calendar, shaped for :mod:`efficiency.workdays`."""

import datetime

from efficiency.models import DayKind, OfficeDay
from efficiency.workdays import Calendar


def office_calendar(first: datetime.date, last: datetime.date) -> Calendar:
    """The office's days off and weekend days worked from ``first`` to ``last`` (inclusive),
    in one query. Counting past ``last`` treats later days by the week alone, so ask for a
    span that covers every day the count may reach."""
    rows = OfficeDay.objects.filter(date__range=(first, last)).values_list("date", "kind")
    off, worked = [], []
    for day, kind in rows:
        (worked if kind == DayKind.WORKED else off).append(day)
    return Calendar.of(off=off, worked=worked)
