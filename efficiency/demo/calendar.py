"""The demo office's own calendar: the year 2026, seen from a fixed day in late November.

The demo must be the same office whatever day it is loaded on, so nothing in it is drawn
relative to today. Its steps (an incident reported, verified, handled, appealed; a quarter
opened, marked, closed, locked) are scheduled on this calendar and run in date order by a
:class:`Timeline`. Django stamps history entries and ``auto_now`` fields with
``django.utils.timezone.now()``; while the timeline runs, that reads the timeline's clock, so
every entry carries the moment its step happened in the demo year, not the minute of loading.
"""

import datetime
import heapq
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from efficiency.workdays import Calendar

YEAR = 2026
# The demo's "today": 2026Q4 is open and partly marked, 2026Q3 closed for review (公示).
TODAY = datetime.date(YEAR, 11, 27)
FIRST_DAY = datetime.date(YEAR, 1, 5)

# The demo year's public holidays (and the Spring Festival break): no work is done on them.
HOLIDAYS = [
    (datetime.date(YEAR, 1, 1), datetime.date(YEAR, 1, 3)),
    (datetime.date(YEAR, 2, 14), datetime.date(YEAR, 2, 23)),
    (datetime.date(YEAR, 4, 4), datetime.date(YEAR, 4, 6)),
    (datetime.date(YEAR, 5, 1), datetime.date(YEAR, 5, 5)),
    (datetime.date(YEAR, 6, 19), datetime.date(YEAR, 6, 21)),
    (datetime.date(YEAR, 10, 1), datetime.date(YEAR, 10, 8)),
]

# A step is an iterator that yields when its next piece of work happens; see Timeline.
Steps = Iterator[datetime.datetime]


# The rule for working days is the app's own (efficiency.workdays); only the table is the demo's.
CALENDAR = Calendar.of(
    off=[
        first + datetime.timedelta(days=i)
        for first, last in HOLIDAYS
        for i in range((last - first).days + 1)
    ]
)


def is_working_day(day: datetime.date) -> bool:
    return CALENDAR.is_working_day(day)


def working_day(day: datetime.date, offset: int = 0) -> datetime.date:
    """The working day ``offset`` working days after ``day`` (``day`` itself, or the next one,
    for 0)."""
    first = day if CALENDAR.is_working_day(day) else CALENDAR.add_working_days(day, 1)
    return CALENDAR.add_working_days(first, offset)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment of the office's day, in the office's time zone."""
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


# The moment the demo stands at: the end of its "today".
NOW = at(TODAY, 17, 30)


class Timeline:
    """Runs many step sequences interleaved in the order of their moments.

    Each sequence is a generator that yields the moment of its next step, then does that step
    when resumed (so ``yield when; do_it()``). A sequence may add others while it runs. Steps
    never go back in time within a sequence, and none happens after :data:`NOW`.
    """

    def __init__(self, start: datetime.datetime) -> None:
        self.now = start
        self._queue: list[tuple[datetime.datetime, int, Steps]] = []
        self._order = itertools.count()

    def add(self, steps: Steps) -> None:
        self._push(next(steps, None), steps)

    def _push(self, when: datetime.datetime | None, steps: Steps) -> None:
        if when is None:
            return
        if when < self.now or when > NOW:
            raise ValueError(f"A demo step at {when} falls outside {self.now}–{NOW}.")
        heapq.heappush(self._queue, (when, next(self._order), steps))

    def run(self) -> None:
        with self.clock():
            while self._queue:
                self.now, _order, steps = heapq.heappop(self._queue)
                self._push(next(steps, None), steps)

    @contextmanager
    def clock(self):
        """Django reads the time from the timeline while the demo loads."""
        with mock.patch.object(timezone, "now", lambda: self.now):
            yield
