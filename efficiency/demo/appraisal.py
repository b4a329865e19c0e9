"""The demo office's quarterly appraisal: 2026Q1–Q4 marked by six assessors, through the services.

Scheduled by :func:`efficiency.demo.load_demo` on the demo's timeline beside the incidents,
inside its transaction: each quarter opens on its first working day with its two deadlines,
the assessors mark it in the days after it ends while the summaries, attendance and the heads'
proposals are recorded (:mod:`.records`), then the leader decides the grades, closes and
locks it; 2026Q3 is closed (in 公示) and 2026Q4 open mid-way. Every
mark goes through :func:`~efficiency.services.appraisal.score_save`, every state change through
the period services, so the history and the rules (nobody marks themself, a head never marks
their own section, 100 or below 60 needs a reason) apply exactly as they do for users.

Marks are made to look like an office's: each person has a stable level (most 80–95, a few
weaker, one or two strong), drifting a little from quarter to quarter, with each assessor a
little stricter or more lenient than the others. The incidents established by the time a
quarter is marked deduct their points by themselves (:func:`efficiency.results.ranking`).
"""

import datetime
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from efficiency import results, scoring
from efficiency.deadlines import PUBLICITY_DAYS
from efficiency.models import Criterion, Period, SanctionKind, Section, Staff
from efficiency.quarters import Quarter
from efficiency.services.appraisal import (
    marking_rights,
    period_close,
    period_lock,
    period_open,
    proposed_deadlines,
    score_save,
)
from efficiency.services.reviews import decide, decide_all_as_proposed
from efficiency.services.sanctions import sanction_record
from efficiency.services.standing import apply_probation_proposals

from .calendar import FIRST_DAY, Steps, Timeline, at
from .records import QuarterRecords

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
# How far each assessor has got with the open quarter's sheet (share of people, then
# sections): most are done or nearly, one is clearly behind (and is reminded, see records.py).
OPEN_PROGRESS: dict[str, tuple[float, float]] = {
    "assessor2": (1.0, 1.0),
    "assessor3": (1.0, 1.0),
    "leader": (1.0, 1.0),
    "assessor4": (0.8, 0.5),
    "assessor": (0.9, 0.5),
    "assessor5": (0.3, 0.0),
}
# Each quarter opens on its first working day (the demo's first day for 2026Q1) with the
# deadlines the app proposes (小结截止 and 评分截止, 10 and 15 working days after its end).
# After it ends: marking from the next working day (one assessor a working day later than the
# one before), summaries written and reviewed before 小结截止, attendance recorded on day
# ATTENDANCE_DAY, the heads' proposals on PROPOSAL_DAY, the leader's decisions the working day
# after 评分截止 and the close the day after that, all counted in working days.
ATTENDANCE_DAY = 2
SUMMARY_DAY = 1
PROPOSAL_DAY = 12
# The open quarter is marked, and its summaries written, from this day on.
OPEN_MARKING = datetime.date(2026, 11, 16)
# The leader's 催办 to the assessor behind, in the open quarter.
OPEN_REMINDER_DAY = datetime.date(2026, 11, 26)
# Locking comes eight working days after closing: after the 公示 window (PUBLICITY_DAYS) and
# the two days in which everyone records their own opinion.
LOCK_AFTER = 8
# Someone who leaves during a closed quarter is marked for it only if still in post on this day
# of it (in the open quarter, everyone on the roster during it is marked).
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


@dataclass(frozen=True)
class PlannedSanction:
    kind: str
    dated: datetime.date
    document_number: str
    note: str


# A 警告 in the autumn, recorded the day it is decided (see ``AppraisalLoader._sanction``).
SANCTION = PlannedSanction(
    kind=SanctionKind.WARNING,
    dated=datetime.date(2026, 9, 16),
    document_number="桂县纪发〔2026〕27号",
    note="违反中央八项规定精神，接受管理服务对象宴请，给予警告处分。",
)


@dataclass(frozen=True)
class Publicity:
    """What happens in a closed quarter's 公示 window and after it (see ``_quarter``)."""

    feedback: float  # the share of people with a login who record their own opinion
    disagree: int = 0  # how many of them 有异议
    objection: str = ""  # who objects during the window ("" for nobody)
    answered: bool = True  # whether a leader has answered the objection
    closes: datetime.date | None = None  # the close day, when not the usual one


# Closed quarters are published for the default window; Q1 and Q2 then locked with everyone's
# opinion recorded; Q3 is the demo's 公示 under way: the leaders took the 请示 to their meeting
# of 16 November, an objection is waiting for an answer and some opinions are still missing.
PUBLICITY = {
    "2026Q1": Publicity(feedback=1.0),
    "2026Q2": Publicity(feedback=1.0, disagree=1, objection="clerk2"),
    "2026Q3": Publicity(
        feedback=0.6,
        disagree=1,
        objection="clerk2",
        answered=False,
        closes=datetime.date(2026, 11, 16),
    ),
}
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
        timeline: Timeline,
        staff: Sequence[Staff],
        sections: Sequence[Section],
        users: Mapping[str, object],
        criteria: Sequence[str],
        cited: Mapping[str, Mapping[int, Decimal]],
        say: Callable[[str], None] = lambda text: None,
    ) -> None:
        self.timeline = timeline
        self.rng = random.Random(SEED)
        self.staff = sorted(staff, key=lambda s: s.staff_no)
        self.sections = list(sections)
        self.users = users
        self.say = say
        self.criteria = list(criteria)
        self.assessors = [users[name] for name in ASSESSORS]
        self.bias = {name: self.rng.uniform(-1.5, 1.5) for name in ASSESSORS}
        self.cited = cited
        # Neither the strong nor the weak hold a demo account; the strong had no incident.
        regulars = [s for s in self.staff if s.user_id is None and s.end_date is None]
        spotless = [s for s in regulars if not any(s.pk in c for c in self.cited.values())]
        self.strong = self.rng.sample(spotless, 2)
        # The weakest is whoever answers for the most points in a quarter that gets graded.
        graded = [code for code, end in QUARTERS if end != OPEN]
        worst = max(
            (s for s in regulars if s not in self.strong),
            key=lambda s: (
                max(self.cited.get(code, {}).get(s.pk, 0) for code in graded),
                s.staff_no,
            ),
        )
        others = [s for s in regulars if s not in self.strong and s != worst]
        self.weak = [worst, *self.rng.sample(others, 5)]
        self.levels = {("staff", s.pk): self._level(self._base(s)) for s in self.staff}
        self.levels.update(
            {("section", s.pk): self._level(self.rng.uniform(84, 93)) for s in self.sections}
        )
        self.rights = {user.username: marking_rights(user) for user in self.assessors}
        self.records = QuarterRecords(timeline=timeline, users=users, staff=self.staff)

    def _base(self, staff: Staff) -> float:
        if staff in self.strong:
            return self.rng.uniform(96.5, 98.5)
        if staff == self.weak[0]:
            return self.rng.uniform(64, 67)
        if staff in self.weak:
            return self.rng.uniform(66, 77)
        return self.rng.uniform(81, 94)

    def _level(self, base: float) -> _Level:
        return _Level(
            base=base,
            drift=self.rng.uniform(-0.8, 0.8),
            leaning={code: self.rng.uniform(-1.5, 1.5) for code in self.criteria},
        )

    # -- the marks -------------------------------------------------------------------------

    def _mark(
        self,
        rng: random.Random,
        key: tuple[str, int],
        period: Period,
        assessor: str,
        criterion: str,
    ) -> str:
        level = self.levels[key]
        value = (
            level.base
            + level.drift * (period.quarter - 2.5)
            + level.leaning[criterion]
            + self.bias[assessor]
            + rng.gauss(0, 1.6)
        )
        if key[0] == "staff" and key[1] in self.cited.get(period.code, {}):
            value -= 2  # the assessors know about the incident
        # Most assessors give whole marks; some halves.
        step = 1 if rng.random() < 0.7 else 2
        value = round(value * step) / step
        # 100 and below 60 need a reason: those are given on purpose only (EXCEPTIONAL).
        return str(Decimal(str(min(max(value, 61.0), 99.5))).normalize())

    def _marked_people(self, code: str) -> list[Staff]:
        first, last = Quarter.parse(code).bounds
        # The open quarter's sheets list everyone on the roster during it, as its completion
        # board does, so an assessor who has marked all they are shown counts as done.
        open_quarter = dict(QUARTERS)[code] == OPEN
        day = first if open_quarter else first + datetime.timedelta(days=IN_POST_DAY)
        return [
            s
            for s in self.staff
            if (s.start_date is None or s.start_date <= last)
            and (s.end_date is None or s.end_date >= day)
        ]

    def _sheet(
        self,
        code: str,
        username: str,
        share: tuple[float, float],
        start: datetime.datetime,
        *,
        rest: bool = False,
    ) -> Steps:
        """One assessor's sheet for one quarter, a person or section every minute or two:
        the first ``share`` of its people and sections, or (``rest``) the ones after them."""
        # Each sheet draws from its own generator, whatever order the timeline runs them in.
        rng = random.Random(f"{SEED}-{code}-{username}" + ("-rest" if rest else ""))
        when = start
        yield when
        period = Period.objects.get(code=code)
        user = self.users[username]
        people = [
            s
            for s in self._marked_people(period.code)
            if self.rights[username].may_mark_staff(s.pk)
        ]
        sections = [s for s in self.sections if self.rights[username].may_mark_section(s.pk)]
        cut_people, cut_sections = round(len(people) * share[0]), round(len(sections) * share[1])
        if rest:
            people, sections = people[cut_people:], sections[cut_sections:]
        else:
            people, sections = people[:cut_people], sections[:cut_sections]
        exceptional = {
            (e.criterion, self._subject(e).pk): e
            for e in EXCEPTIONAL
            if e.period == period.code and e.assessor == username
        }
        for index, subject in enumerate([*people, *sections]):
            if index:
                when += datetime.timedelta(seconds=rng.randint(40, 150))
                yield when
            is_staff = isinstance(subject, Staff)
            key = ("staff" if is_staff else "section", subject.pk)
            for criterion in self.criteria:
                special = exceptional.get((criterion, subject.pk)) if is_staff else None
                score_save(
                    assessor=user,
                    period=period,
                    criterion_code=criterion,
                    value=special.mark
                    if special
                    else self._mark(rng, key, period, username, criterion),
                    reason=special.reason if special else "",
                    **({"staff": subject} if is_staff else {"section": subject}),
                )

    def _subject(self, exceptional: Exceptional) -> Staff:
        return self.strong[0] if exceptional.subject == "strongest" else self.weak[0]

    # -- the quarters ----------------------------------------------------------------------

    def schedule(self) -> None:
        for code, end in QUARTERS:
            self.timeline.add(self._quarter(code, end))
        self.timeline.add(self._sanction())

    def _sanction(self) -> Steps:
        """The 警告 recorded against one of the strongest: no 优秀 for the year, whatever the
        marks (the annual page says why)."""
        yield at(self.timeline.working_day(SANCTION.dated), 15)
        sanction_record(
            actor=self.users["supervisor"],
            staff=self.strong[1],
            kind=SANCTION.kind,
            dated=SANCTION.dated,
            document_number=SANCTION.document_number,
            note=SANCTION.note,
        )

    def _quarter(self, code: str, end: str) -> Steps:
        leader = self.users["leader"]
        quarter = Quarter.parse(code)
        last = quarter.last_day
        day = self.timeline.working_day  # (day, n): n working days after day
        yield at(max(day(quarter.first_day), FIRST_DAY), 9)
        self.say(f"{code}：开启考核期……")
        summary_due, marks_due = proposed_deadlines(code)
        period_open(actor=leader, code=code, summary_due=summary_due, marks_due=marks_due)
        # The new recruit's probation (试用期截止, from the staff workbook) makes them 不定等次
        # for each quarter it covers and, as it runs past the year end, for the year.
        admin = self.users["admin"]
        apply_probation_proposals(actor=admin, year=quarter.year, quarter=quarter.number)
        if quarter.number == 1:
            apply_probation_proposals(actor=admin, year=quarter.year, quarter=None)
        marking = day(last, 1) if end != OPEN else OPEN_MARKING
        for index, username in enumerate(ASSESSORS):
            share = (1.0, 1.0) if end != OPEN else OPEN_PROGRESS[username]
            start = at(day(marking, index), 9, 30)
            self.timeline.add(self._sheet(code, username, share, start))
        records = self.records
        if end == OPEN:
            records.summaries(code, records.open_plan(code), OPEN_MARKING)
            self.timeline.add(records.reminder(code, at(OPEN_REMINDER_DAY, 9, 15)))
            return
        records.summaries(code, records.closed_plan(code), day(last, SUMMARY_DAY))
        self.timeline.add(records.attendance(code, at(day(last, ATTENDANCE_DAY), 10)))
        records.proposals(code, day(last, PROPOSAL_DAY))
        # The leader decides the day after the marks are due, and closes the day after that.
        plan = PUBLICITY[code]
        yield from self.decide_and_close(
            code,
            decided=day(marks_due, 1),
            closes=plan.closes or day(marks_due, 2),
            plan=plan,
            lock=end == LOCKED,
        )

    def decide_and_close(
        self,
        code: str,
        *,
        decided: datetime.date,
        closes: datetime.date,
        plan: "Publicity",
        lock: bool,
    ) -> Steps:
        """The leader's decisions on ``decided`` (first the one grade they change, with its
        reason, then everyone else as proposed), the close and 公示 on ``closes``, what
        happens in the window, and the lock eight working days after closing."""
        leader = self.users["leader"]
        records = self.records
        day = self.timeline.working_day
        yield at(decided, 9, 30)
        records.refresh_proposals(code)
        yield at(decided, 10)
        if code == OVERRIDE_PERIOD:
            self._override(Period.objects.get(code=code))
        yield at(decided, 10, 30)
        decide_all_as_proposed(actor=leader, period=Period.objects.get(code=code))
        yield at(closes, 10)
        period_close(actor=leader, period=Period.objects.get(code=code), days=PUBLICITY_DAYS)
        if plan.objection:
            self.timeline.add(
                records.objection(
                    code,
                    lodger=plan.objection,
                    when=at(day(closes, 2), 15),
                    answer_at=at(day(closes, 4), 11) if plan.answered else None,
                )
            )
        records.feedback(
            code, day(closes, PUBLICITY_DAYS + 1), share=plan.feedback, disagree=plan.disagree
        )
        if lock:
            yield at(day(closes, LOCK_AFTER), 16)
            period_lock(actor=leader, period=Period.objects.get(code=code))

    # -- the year-end moment ----------------------------------------------------------------

    def carry_on(self, timeline: Timeline) -> None:
        """Schedule further steps on ``timeline`` (the year-end moment's second part)."""
        self.timeline = timeline
        self.records.timeline = timeline

    def finish_sheets(self, code: str, first: datetime.date) -> None:
        """The open quarter's sheets left unfinished, each assessor behind from ``first``,
        one a working day after the other."""
        behind = [name for name in ASSESSORS if OPEN_PROGRESS[name] != (1.0, 1.0)]
        for index, username in enumerate(behind):
            start = at(self.timeline.working_day(first, index), 9, 30)
            self.timeline.add(
                self._sheet(code, username, OPEN_PROGRESS[username], start, rest=True)
            )

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
        decide(
            actor=self.users["leader"],
            period=period,
            staff=Staff.objects.get(pk=chosen.facts.pk),
            grade=scoring.Grade.GOOD,
            reason=OVERRIDE_REASON,
        )


def load_appraisal(
    *,
    timeline: Timeline,
    staff: Sequence[Staff],
    sections: Sequence[Section],
    users: Mapping[str, object],
    cited: Mapping[str, Mapping[int, Decimal]],
    say: Callable[[str], None] = lambda text: None,
) -> AppraisalLoader:
    """Schedule the opening, marking, closing and locking of the demo year's quarters; the
    loader carries the year-end moment on (:mod:`.yearend`)."""
    criteria = list(Criterion.objects.filter(active=True).values_list("code", flat=True))
    loader = AppraisalLoader(
        timeline=timeline,
        staff=staff,
        sections=sections,
        users=users,
        criteria=criteria,
        cited=cited,
        say=say,
    )
    loader.schedule()
    return loader
