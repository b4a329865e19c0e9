"""What a process keeps of the results it computed, and when it may reuse them.

An open or closed period's ranking is reused while the database's change counter and the
period's marks counter read the same (migration 0030: triggers on every table in
:data:`COUNTED` bump one row in the writer's transaction; migration 0032: a write to a mark
bumps the row of the mark's period only, :data:`MARKED`). The key is both rows' values and
random stamps, the period, the kind and the layout of the code: one tiny query, where the key
used to re-read everyone's facts and sum the quarter's marks. A result reading several
periods' marks (the year's roll-up, the trends) reads each quarter's ranking under its own
key. A locked period's ranking is stored in the database instead
(:class:`efficiency.models.StoredRanking`) and keyed here by the token of its write.

Nothing is ever invalidated: a change makes another key, and old keys fall out of the
bounded :class:`Recent` stores.
"""

import json
import threading
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import connection

from efficiency.models import (
    Correction,
    GradeReview,
    Incident,
    IncidentResponsible,
    Period,
    PeriodCriterion,
    Score,
    Section,
    Staff,
    StaffStanding,
)

COUNTER_TABLE = "efficiency_change_counter"
MARKS_TABLE = "efficiency_marks_counter"

# The marks: each row belongs to one period (period_id) and bumps that period's counter in
# MARKS_TABLE (migration 0032), not the change counter; a key reading a period's marks must
# hold that period's counter. A TRUNCATE of the table bumps the change counter.
MARKED = Score

# Every other model a period's results are computed from, with the fields that count (None: all).
# A new incident not yet established and the responsible rows of an incident not established
# leave the counter alone (efficiency/migrations/_incident_counter.py): the results read
# incidents only in ESTABLISHED_STATUSES.
# The migration's triggers must cover exactly these (tests/test_change_counter.py): a new
# input read by efficiency.results goes here and gets its triggers in a migration.
COUNTED: dict[type, tuple[str, ...] | None] = {
    Period: ("code", "year", "quarter", "state", "thresholds", "pools", "frozen"),
    PeriodCriterion: None,
    Incident: (
        "number", "status", "occurred_on", "points", "severity", "kind", "clause_code",
        "section",
    ),
    IncidentResponsible: None,
    StaffStanding: None,
    GradeReview: None,
    Correction: None,
    Staff: ("staff_no", "name", "section", "start_date", "end_date", "category", "user"),
    Section: ("code", "name", "active"),
    Section.heads.through: None,
    User: ("is_active",),
    User.groups.through: None,
    Group: ("name",),
}  # fmt: skip


def counted_columns() -> dict[str, tuple[str, ...] | None]:
    """:data:`COUNTED` as table -> column names, the way the triggers name them."""
    return {
        model._meta.db_table: (
            None if fields is None else tuple(model._meta.get_field(name).column for name in fields)
        )
        for model, fields in COUNTED.items()
    }


def counter(period_pk: int | None = None) -> tuple[int, int, int, int] | None:
    """The change counter's value and stamp, then those of the marks counter of the period
    (``(0, 0)``: no mark of it written since migration 0032, or no period), as this
    connection sees them now, in one statement; None when the change counter's row is
    missing, and then nothing is reused."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.value, c.stamp, COALESCE(m.value, 0), COALESCE(m.stamp, 0) "
            f"FROM {COUNTER_TABLE} c LEFT JOIN {MARKS_TABLE} m ON m.period_id = %s "
            "WHERE c.id = 1",
            [period_pk],
        )
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1], row[2], row[3])


@dataclass(frozen=True)
class PeriodKey:
    """What a reused ranking must share with the call: the counters (the change counter and
    the period's marks counter), and the period as the caller holds it (its fields are read
    from the instance, which could be unsaved)."""

    counter: tuple[int, int, int, int]
    period: int
    kind: str
    shape: str
    state: str
    code: str


def period_key(period: Period, kind: str, shape: str) -> PeriodKey | None:
    seen = counter(period.pk)
    if seen is None:
        return None
    return PeriodKey(seen, period.pk, kind, shape, period.state, period.code)


def settings_of(period: Period) -> list:
    """A copy of the period's JSON settings, compared on reuse (a dict compare is cheap)."""
    return json.loads(json.dumps([period.thresholds, period.pools]))


class Recent:
    """The last few values this process computed, by key, the most recently used last."""

    SIZE = 10  # a ranking at 2,000 staff is a few MB; a year's roll-up reads four

    def __init__(self, size: int = SIZE) -> None:
        self._values: dict = {}
        self._size = size
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._values.pop(key, None)
            if value is not None:
                self._values[key] = value  # the most recent last
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._values.pop(key, None)
            self._values[key] = value
            while len(self._values) > self._size:
                del self._values[next(iter(self._values))]

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
