"""Working days on the office's calendar: which days are worked, and counting them.

Pure: no database. A day is worked when the calendar says so (a weekend day worked, 调休上班),
not worked when the calendar takes it off (法定节假日, 调休), and otherwise by the week: Monday
to Friday. The office's days come from :func:`efficiency.selectors.office_calendar`;
:data:`OFFICIAL_DAYS` is the State Council's published holiday table, which the
``office_days load`` command copies into the office's calendar.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

OFF, WORKED = "off", "worked"  # the stored kinds of efficiency.models.DayKind

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Calendar:
    """The days off and the weekend days worked; every other day follows the week."""

    off: frozenset[datetime.date] = frozenset()
    worked: frozenset[datetime.date] = frozenset()

    @classmethod
    def of(
        cls, off: Iterable[datetime.date] = (), worked: Iterable[datetime.date] = ()
    ) -> "Calendar":
        return cls(frozenset(off), frozenset(worked))

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.worked:
            return True
        if day in self.off:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The day ``n`` working days after ``start`` (``start`` itself is not counted, and
        need not be a working day); ``start`` when ``n`` is 0."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        while n:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, a: datetime.date, b: datetime.date) -> int:
        """How many working days come after ``a`` up to and including ``b``; negative when
        ``b`` is before ``a``. So ``working_days_between(d, add_working_days(d, n)) == n``."""
        if b < a:
            return -self.working_days_between(b, a)
        count, day = 0, a
        while day < b:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count


def _span(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + ONE_DAY * i for i in range((last - first).days + 1)]


def _official_2026() -> list[tuple[datetime.date, str, str]]:
    """国务院办公厅关于2026年部分节假日安排的通知 (4 November 2025): each holiday's days off,
    weekend included, and the weekend days worked in exchange."""
    d = datetime.date
    holidays = [
        ("元旦", d(2026, 1, 1), d(2026, 1, 3), [d(2026, 1, 4)]),
        ("春节", d(2026, 2, 15), d(2026, 2, 23), [d(2026, 2, 14), d(2026, 2, 28)]),
        ("清明节", d(2026, 4, 4), d(2026, 4, 6), []),
        ("劳动节", d(2026, 5, 1), d(2026, 5, 5), [d(2026, 5, 9)]),
        ("端午节", d(2026, 6, 19), d(2026, 6, 21), []),
        ("中秋节", d(2026, 9, 25), d(2026, 9, 27), []),
        ("国庆节", d(2026, 10, 1), d(2026, 10, 7), [d(2026, 9, 20), d(2026, 10, 10)]),
    ]
    days = []
    for name, first, last, worked in holidays:
        days += [(day, OFF, name) for day in _span(first, last)]
        days += [(day, WORKED, name) for day in worked]
    return sorted(days)


# Year -> (date, kind, holiday name) for each day that does not follow the week.
OFFICIAL_DAYS: dict[int, list[tuple[datetime.date, str, str]]] = {2026: _official_2026()}
