"""The demo office's quarterly appraisal: 2026Q1–Q4 marked by six assessors, through the services.

Called by :func:`efficiency.demo.load_demo` after the incidents, inside its transaction. Every
mark goes through :func:`~efficiency.services.appraisal.score_save`, every state change through
the period services, so the history and the rules (nobody marks themself, a head never marks
their own section, 100 or below 60 needs a reason) apply exactly as they do for users.

Marks are made to look like an office's: each person has a stable level (most 80–95, a few
weaker, one or two strong), drifting a little from quarter to quarter, with each assessor a
little stricter or more lenient than the others. The incidents already in the demo deduct their
points in their quarters by themselves (:func:`efficiency.results.ranking` does that).
"""

import datetime
import random
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from efficiency import results, scoring
from efficiency.models import Criterion, IncidentResponsible, Period, Section, Staff
from efficiency.models.incidents import ESTABLISHED_STATUSES
from efficiency.selectors import quarter_bounds, quarter_of
from efficiency.services.appraisal import (
    grade_override,
    period_close,
    period_lock,
    period_open,
    score_save,
)

SEED = 20261
# The quarters and where each ends: marked while open, then closed and (the older ones) locked.
LOCKED, CLOSED, OPEN = "locked", "closed", "open"
QUARTERS: list[tuple[str, str]] = [
    ("2026Q1", LOCKED),
    ("2026Q2", LOCKED),
    ("2026Q3", CLOSED),
    ("2026Q4", OPEN),
]
# The assessment group (考评小组), in the order they mark; all are demo accounts.
ASSESSORS = ("leader", "assessor", "assessor2", "assessor3", "assessor4", "assessor5")
# How far each assessor has got with the open quarter's sheet (share of people, then sections).
OPEN_PROGRESS: dict[str, tuple[float, float]] = {
    "assessor2": (1.0, 1.0),
    "assessor3": (1.0, 1.0),
    "assessor4": (0.8, 0.5),
    "assessor": (0.6, 0.0),
    "leader": (0.45, 0.0),
    "assessor5": (0.3, 0.0),
}
# Someone who leaves during a quarter is marked for it only if still in post on this day of it.
IN_POST_DAY = 45


@dataclass(frozen=True)
class Exceptional:
    """A mark of 100 or below 60, which needs the assessor's written reason."""

    period: str
    assessor: str
    subject: str  # "strongest" or "weakest" of the people
    criterion: str
    mark: str
    reason: str


EXCEPTIONAL = [
    Exceptional(
        "2026Q2",
        "leader",
        "strongest",
        "duty",
        "100",
        "牵头起草全县经济工作会议主报告，三易其稿均提前完成，质量高，受到县委主要领导书面表扬。",
    ),
    Exceptional(
        "2026Q2",
        "assessor",
        "weakest",
        "service",
        "58",
        "本季度接听群众来电两次态度生硬、推诿，经科室提醒后仍未改进，服务质量差。",
    ),
]
OVERRIDE_PERIOD = "2026Q3"
OVERRIDE_REASON = (
    "该同志本季度牵头承办全县防汛工作调度会会务保障，圆满完成省市检查迎检任务，"
    "经办公室主任办公会研究，等次确定为好。"
)


@dataclass(frozen=True)
class _Level:
    """A subject's stable level: base, drift per quarter, and per-criterion leaning."""

    base: float
    drift: float
    leaning: dict[str, float]


class AppraisalLoader:
    def __init__(
        self,
        *,
        staff: Sequence[Staff],
        sections: Sequence[Section],
        users: Mapping[str, object],
        criteria: Sequence[str],
        say: Callable[[str], None] = lambda text: None,
    ) -> None:
        self.rng = random.Random(SEED)
        self.staff = sorted(staff, key=lambda s: s.staff_no)
        self.sections = list(sections)
        self.users = users
        self.say = say
        self.criteria = list(criteria)
        self.assessors = [users[name] for name in ASSESSORS]
        self.bias = {name: self.rng.uniform(-1.5, 1.5) for name in ASSESSORS}
        self.cited = self._cited_people()
        # Neither the strong nor the weak hold a demo account; the strong had no incident.
        regulars = [s for s in self.staff if s.user_id is None and s.end_date is None]
        spotless = [s for s in regulars if not any(s.pk in c for c in self.cited.values())]
        self.strong = self.rng.sample(spotless, 2)
        self.weak = self.rng.sample([s for s in regulars if s not in self.strong], 6)
        self.levels = {("staff", s.pk): self._level(self._base(s)) for s in self.staff}
        self.levels.update(
            {("section", s.pk): self._level(self.rng.uniform(84, 93)) for s in self.sections}
        )
        self.headed = {
            user.username: set(user.headed_sections.values_list("pk", flat=True))
            for user in self.assessors
        }

    def _base(self, staff: Staff) -> float:
        if staff in self.strong:
            return self.rng.uniform(96.5, 98.5)
        if staff in self.weak:
            return self.rng.uniform(66, 77)
        return self.rng.uniform(81, 94)

    def _level(self, base: float) -> _Level:
        return _Level(
            base=base,
            drift=self.rng.uniform(-0.8, 0.8),
            leaning={code: self.rng.uniform(-1.5, 1.5) for code in self.criteria},
        )

    def _cited_people(self) -> dict[str, set[int]]:
        """Quarter code -> people named in an established incident then (assessors know)."""
        cited: dict[str, set[int]] = defaultdict(set)
        for staff_id, day in IncidentResponsible.objects.filter(
            incident__status__in=ESTABLISHED_STATUSES
        ).values_list("staff_id", "incident__occurred_on"):
            cited[quarter_of(day)].add(staff_id)
        return cited

    # -- the marks -------------------------------------------------------------------------

    def _mark(self, key: tuple[str, int], period: Period, assessor: str, criterion: str) -> str:
        level = self.levels[key]
        value = (
            level.base
            + level.drift * (period.quarter - 2.5)
            + level.leaning[criterion]
            + self.bias[assessor]
            + self.rng.gauss(0, 1.6)
        )
        if key[0] == "staff" and key[1] in self.cited[period.code]:
            value -= 2  # the assessors know about the incident
        # Most assessors give whole marks; some halves.
        step = 1 if self.rng.random() < 0.7 else 2
        value = round(value * step) / step
        # 100 and below 60 need a reason: those are given on purpose only (EXCEPTIONAL).
        return str(Decimal(str(min(max(value, 61.0), 99.5))).normalize())

    def _marked_people(self, code: str) -> list[Staff]:
        first, last = quarter_bounds(code)
        day = first + datetime.timedelta(days=IN_POST_DAY)
        return [
            s
            for s in self.staff
            if (s.start_date is None or s.start_date <= last)
            and (s.end_date is None or s.end_date >= day)
        ]

    def _sheet(self, period: Period, username: str, share: tuple[float, float]) -> None:
        user = self.users[username]
        own = getattr(user, "staff", None)
        people = [s for s in self._marked_people(period.code) if s != own]
        sections = [s for s in self.sections if s.pk not in self.headed[username]]
        people = people[: round(len(people) * share[0])]
        sections = sections[: round(len(sections) * share[1])]
        exceptional = {
            (e.criterion, self._subject(e).pk): e
            for e in EXCEPTIONAL
            if e.period == period.code and e.assessor == username
        }
        for subject in [*people, *sections]:
            is_staff = isinstance(subject, Staff)
            key = ("staff" if is_staff else "section", subject.pk)
            for code in self.criteria:
                special = exceptional.get((code, subject.pk)) if is_staff else None
                score_save(
                    assessor=user,
                    period=period,
                    criterion_code=code,
                    value=special.mark if special else self._mark(key, period, username, code),
                    reason=special.reason if special else "",
                    **({"staff": subject} if is_staff else {"section": subject}),
                )

    def _subject(self, exceptional: Exceptional) -> Staff:
        return self.strong[0] if exceptional.subject == "strongest" else self.weak[0]

    # -- the quarters ----------------------------------------------------------------------

    def run(self) -> None:
        leader = self.users["leader"]
        for code, end in QUARTERS:
            self.say(f"{code}：开启考核期并评分……")
            # The demo year is fixed, whatever today is: a quarter not begun yet opens too.
            period = period_open(actor=leader, code=code, future=True)
            for username in ASSESSORS:
                share = (1.0, 1.0) if end != OPEN else OPEN_PROGRESS[username]
                self._sheet(period, username, share)
            if end == OPEN:
                continue
            period = period_close(actor=leader, period=period)
            if code == OVERRIDE_PERIOD:
                self._override(period)
            if end == LOCKED:
                period_lock(actor=leader, period=period)

    def _override(self, period: Period) -> None:
        """The leader lifts someone to 好: whom the quota held back, else the best-ranked 较好
        without an incident (in the demo the quota does not bite: incidents cap too many)."""
        table = results.ranking(period, results.STAFF)
        held_back = {scoring.ReasonCode.QUOTA_DEMOTION, scoring.ReasonCode.TIE_ON_QUOTA_LINE}
        candidates = [
            row
            for row in table.rows
            if row.result.assessed
            and row.result.grade == scoring.Grade.FAIRLY_GOOD
            and not row.result.deductions
        ]
        chosen = next(
            (row for row in candidates if held_back & set(row.result.explanation)),
            candidates[0] if candidates else None,
        )
        if chosen is None:
            return
        grade_override(
            actor=self.users["leader"],
            period=period,
            staff=Staff.objects.get(pk=chosen.facts.pk),
            grade=scoring.Grade.GOOD,
            reason=OVERRIDE_REASON,
        )


def load_appraisal(
    *,
    staff: Sequence[Staff],
    sections: Sequence[Section],
    users: Mapping[str, object],
    say: Callable[[str], None] = lambda text: None,
) -> None:
    """Open, mark, close and lock the demo year's quarters (see the module docstring)."""
    criteria = list(Criterion.objects.filter(active=True).values_list("code", flat=True))
    AppraisalLoader(staff=staff, sections=sections, users=users, criteria=criteria, say=say).run()
