"""The demo office's time: the year 2026, seen from a fixed day in late November, or (the
year-end moment, ``load_demo --year-end``) from a fixed day in late January 2027.

The demo must be the same office whatever day it is loaded on, so nothing in it is drawn
relative to today. Its steps (an incident reported, verified, handled, appealed; a quarter
opened, marked, closed, locked) are scheduled on the office's own calendar (the State
Council's 2026 table, loaded into the database first; :meth:`Timeline.use_calendar`) and run
in date order by a :class:`Timeline`. Django stamps history entries and ``auto_now`` fields with
``django.utils.timezone.now()``; while the timeline runs, that reads the timeline's clock, so
every entry carries the moment its step happened in the demo year, not the minute of loading.

2027: the app's calendar module has no official table for it (``workdays.OFFICIAL_DAYS`` holds
2026 only, the State Council publishes the next year's late in the year), so the year-end
moment takes 2027's working days as Monday to Friday with 1 January (元旦) off, which the demo's
administrator enters in the office's calendar (:data:`NEW_YEAR_2027`).
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

# A step is an iterator that yields when its next piece of work happens; see Timeline.
Steps = Iterator[datetime.datetime]


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment of the office's day, in the office's time zone."""
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


# The moment the demo stands at: the end of its "today".
NOW = at(TODAY, 17, 30)

# The year-end moment: the same office on Friday 29 January 2027, its year 2026 decided, the
# 优秀 published, the result notices issued and a 复核 waiting for the office's answer.
YEAR_END_TODAY = datetime.date(YEAR + 1, 1, 29)
YEAR_END_NOW = at(YEAR_END_TODAY, 17, 30)
# The one day off of 2027 the year-end moment reaches (see the module's docstring).
NEW_YEAR_2027 = datetime.date(YEAR + 1, 1, 1)


class Timeline:
    """Runs many step sequences interleaved in the order of their moments.

    Each sequence is a generator that yields the moment of its next step, then does that step
    when resumed (so ``yield when; do_it()``). A sequence may add others while it runs. Steps
    never go back in time within a sequence, and none happens after ``end`` (:data:`NOW`, or
    :data:`YEAR_END_NOW` for the year-end moment's second part).
    """

    def __init__(self, start: datetime.datetime, end: datetime.datetime = NOW) -> None:
        self.now = start
        self.end = end
        # Weekdays only until the office's calendar is loaded (use_calendar).
        self.calendar = Calendar()
        self._queue: list[tuple[datetime.datetime, int, Steps]] = []
        self._order = itertools.count()

    def use_calendar(self, calendar: Calendar) -> None:
        """Schedule on ``calendar`` from now on: the office's, read from the database."""
        self.calendar = calendar

    def is_working_day(self, day: datetime.date) -> bool:
        return self.calendar.is_working_day(day)

    def working_day(self, day: datetime.date, offset: int = 0) -> datetime.date:
        """The working day ``offset`` working days after ``day`` (``day`` itself, or the next
        one, for 0)."""
        first = day if self.is_working_day(day) else self.calendar.add_working_days(day, 1)
        return self.calendar.add_working_days(first, offset)

    def add(self, steps: Steps) -> None:
        self._push(next(steps, None), steps)

    def _push(self, when: datetime.datetime | None, steps: Steps) -> None:
        if when is None:
            return
        if when < self.now or when > self.end:
            raise ValueError(f"A demo step at {when} falls outside {self.now}–{self.end}.")
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
