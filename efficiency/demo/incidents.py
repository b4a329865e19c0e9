"""The demo office's year of three-errors incidents: planned from a seeded generator, then each
reported, explained, verified or dismissed, handled and appealed through the services on the
demo's calendar (:mod:`efficiency.demo.calendar`), so each has its full history.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation

from efficiency.models import (
    HandlingDecision,
    Incident,
    Severity,
    Staff,
    Standard,
)
from efficiency.models.incidents import IncidentSource, ResultUse
from efficiency.quarters import Quarter
from efficiency.selectors import suggested_handling
from efficiency.services.attachments import attachment_add
from efficiency.services.incidents import (
    incident_appeal,
    incident_decide_appeal,
    incident_dismiss,
    incident_explain,
    incident_handle,
    incident_report,
    incident_verify,
)
from efficiency.services.roster import save_audited

from . import evidence
from .calendar import FIRST_DAY, NOW, TODAY, Steps, Timeline, at
from .roster import CLERK_SECTIONS, DEMO_ACCOUNTS, Roster, Slot
from .texts import (
    ACCEPTED_DISMISSAL,
    ACCEPTED_EXPLANATION,
    APPEAL_LIGHTENED,
    APPEAL_UPHELD,
    CLAUSE_BY_CODE,
    CLAUSES,
    DELAY,
    DISMISS_AWAY,
    DISMISS_MINOR,
    DISMISS_REASONS,
    DISMISS_UNPROVEN,
    DOCS,
    ERROR,
    EVENTS,
    GUESTS,
    HANDLING_NOTES,
    HEAD_APPEALS,
    HEAD_EXPLANATIONS,
    INFOS,
    LEADERS,
    SELF_APPEAL,
    SELF_EXPLANATION,
    SLIP,
    TOPICS,
    TOWNS,
    VERIFIED_AFTER_EXPLANATION,
    VERIFY_NOTES,
    Clause,
    bare,
    fits,
)

SEED = 2026
# The roster's names and start dates were once drawn from this generator before the plan; they
# are the workbooks now, and the plan skips the 32-bit words they took, so that the same seed
# still plans the very same year.
ROSTER_WORDS = 850
INCIDENT_COUNT = 80
# The catalogue was revised in April: YW-06 gave way to YW-07 (the workbook's dates say when).
SUPERSEDED = "YW-06"

MINOR, SERIOUS, GRAVE = Severity.MINOR, Severity.SERIOUS, Severity.GRAVE

# How incidents come to light in such an office: mostly the 督查室's own checks, then the
# sections' self-checks, complaints from the public and matters a leader handed down. Drawn
# from a generator of their own, so that the year's plan (and every number) stays the same.
SOURCE_WEIGHTS = {
    IncidentSource.INSPECTION: 45,
    IncidentSource.SELF_CHECK: 20,
    IncidentSource.COMPLAINT: 15,
    IncidentSource.ASSIGNED: 15,
    IncidentSource.OTHER: 5,
}

ASSESSOR: Slot = ("DYS", "副主任", 1)
# One person moves from 文电科 to 信息科 in June; incidents before keep the old section.
MOVER: Slot = ("WDK", "科员", 2)
MOVE_TO = "XXK"
MOVE_DAY = datetime.date(2026, 6, 1)
# People who collect repeat incidents, so that handling visibly escalates.
REPEATERS: list[Slot] = [("WDK", "文书", 1), ("ZBS", "值班员", 2), ("XXK", "信息员", 1)]


@dataclass
class PlannedIncident:
    occurred_on: datetime.date
    status: str  # reported, verified, handled or dismissed (before any appeal)
    section: str = ""
    severity: str = ""
    clause: Clause | None = None
    standard: Standard | None = None  # the catalogue's clause of the same code
    template: str = ""
    people: list[Staff] = field(default_factory=list)
    explain_by: str = ""  # "head" (of 秘书科) or "self" (the named account holder)
    appeal: str = ""  # "pending", "rejected", "partial" or "upheld"
    named: Slot | None = None  # a person named in advance (an account holder, the mover)
    clause_code: str = ""  # a clause fixed in advance
    context: dict = field(default_factory=dict)  # the incident's places, papers and events


def _lighter_step(decision: str) -> HandlingDecision:
    steps = HandlingDecision.ordered()
    return steps[max(steps.index(HandlingDecision(decision)) - 1, 0)]


def cited(plans: list[PlannedIncident]) -> dict[str, dict[int, Decimal]]:
    """The points of the incidents each person ends up answering for, by quarter and staff id:
    the assessors know of them."""
    points: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for plan in plans:
        if plan.status in {"verified", "handled"} and plan.appeal != "upheld":
            for staff in plan.people:
                points[Quarter.of(plan.occurred_on).code][staff.pk] += plan.standard.points_for(
                    plan.severity
                )
    return points


class IncidentYear:
    """Plans the year's incidents over the imported roster and puts each one's life on the
    timeline."""

    def __init__(self, *, roster: Roster, timeline: Timeline) -> None:
        self.rng = random.Random(SEED)
        self.source_rng = random.Random(SEED + 1)
        for _word in range(ROSTER_WORDS):
            self.rng.getrandbits(32)
        self.timeline = timeline
        self.last_day = TODAY
        self.sections = roster.sections
        self.staff = roster.staff
        self.standards = roster.standards
        self.users = roster.users
        self.account_staff = roster.account_staff
        superseded = self.standards[SUPERSEDED]
        self.revision_day = superseded.valid_until + datetime.timedelta(days=1)
        self._rejections: dict[int, str] = {}

    # -- the plan --------------------------------------------------------------------------

    def _dates(self) -> list[datetime.date]:
        span = (self.last_day - FIRST_DAY).days
        dates: list[datetime.date] = []
        while len(dates) < INCIDENT_COUNT:
            day = FIRST_DAY + datetime.timedelta(days=self.rng.randint(0, span))
            if self.timeline.is_working_day(day):
                dates.append(day)
        return sorted(dates)

    def plan(self) -> list[PlannedIncident]:
        rng = self.rng
        # Statuses follow the calendar: the newest still wait, the older ones are closed.
        recent = ["reported"] * 12 + ["verified"] * 6
        middle = ["verified"] * 6 + ["handled"] * 5 + ["dismissed"]
        early = ["handled"] * 41 + ["dismissed"] * 9
        for group in (recent, middle, early):
            rng.shuffle(group)
        plans = [
            PlannedIncident(occurred_on=day, status=status)
            for day, status in zip(self._dates(), early + middle + recent, strict=True)
        ]

        def free(status: str, among: list[PlannedIncident] = plans) -> list[PlannedIncident]:
            return [p for p in among if p.status == status and not p.section]

        # Explanations: the head of 秘书科 writes for his people, the assessor for himself.
        for plan in rng.sample(free("reported"), 3):
            plan.section, plan.explain_by = "MSK", "head"
        for plan in rng.sample(free("reported"), 1):
            plan.section, plan.explain_by, plan.named = "DYS", "self", ASSESSOR
            plan.clause_code, plan.template = "YW-03", CLAUSE_BY_CODE["YW-03"].templates[1]
        for plan in rng.sample(free("verified"), 1):
            plan.section, plan.explain_by = "MSK", "head"
        for plan in rng.sample(free("dismissed"), 1):
            # The head's explanation is accepted: the delay happened with a stand-in.
            plan.section, plan.explain_by = "MSK", "head"
            plan.clause_code = rng.choice(["YW-01", "YW-02", "YW-08"])
        # Appeals: the two newest handled incidents are pending, older ones were decided.
        handled = [p for p in plans if p.status == "handled"]
        for plan in handled[-2:]:
            plan.section, plan.appeal = "MSK", "pending"
        for plan in rng.sample(free("handled", handled[:30]), 2):
            plan.section, plan.appeal = "MSK", "rejected"
        for plan in rng.sample(free("handled", handled[:30]), 1):
            plan.section, plan.appeal = "MSK", "partial"
        for plan in rng.sample(free("handled", handled[:30]), 1):
            plan.section, plan.appeal, plan.named = "DYS", "upheld", ASSESSOR
            plan.clause_code, plan.template = "CW-04", CLAUSE_BY_CODE["CW-04"].templates[1]
        # The mover was named once in the old section, before moving.
        early_handled = [p for p in free("handled") if p.occurred_on < MOVE_DAY]
        for plan in rng.sample(early_handled, 1):
            plan.section, plan.named = MOVER[0], MOVER
        # The clause superseded in April was used before it was (for a handled incident).
        before_revision = [
            p for p in free("handled") if p.occurred_on < self.revision_day and p.severity != GRAVE
        ]
        for plan in rng.sample(before_revision, 1):
            plan.clause_code = SUPERSEDED
            plan.section = rng.choice(CLAUSE_BY_CODE[SUPERSEDED].sections)
        # A few grave incidents, among the closed and the verified.
        for plan in rng.sample(free("handled"), 3) + rng.sample(free("verified"), 1):
            plan.severity = GRAVE

        for plan in plans:
            self._fill(plan)
        return plans

    def _fill(self, plan: PlannedIncident) -> None:
        rng = self.rng
        day = plan.occurred_on
        in_force = [c for c in CLAUSES if self.standards[c.code].applies_on(day)]
        if plan.clause_code:
            plan.clause = CLAUSE_BY_CODE[plan.clause_code]
        elif plan.severity == GRAVE:
            choices = [(c, t) for c in in_force for t in c.grave]
            plan.clause, plan.template = rng.choice(choices)
            plan.section = rng.choice(plan.template.partition("|")[0].split(","))
        elif plan.section:
            plan.clause = rng.choice([c for c in in_force if plan.section in c.sections])
        else:
            kind = rng.choices([DELAY, SLIP, ERROR], weights=[42, 38, 20])[0]
            plan.clause = rng.choice([c for c in in_force if self.standards[c.code].kind == kind])
            weights = [0.5 if code == "MSK" else 1.0 for code in plan.clause.sections]
            plan.section = rng.choices(plan.clause.sections, weights=weights)[0]
        plan.standard = self.standards[plan.clause.code]
        if not plan.template:
            plan.template = rng.choice([t for t in plan.clause.templates if fits(t, plan.section)])
        if not plan.severity:
            plan.severity = rng.choices([MINOR, SERIOUS], weights=[78, 22])[0]
        plan.context = self._context(day)
        if plan.named:
            plan.people = [self.staff[plan.named]]
            return
        count = rng.choices([1, 2, 3], weights=[75, 19, 6])[0]
        candidates = self._members(plan.section, day)
        repeaters = {self.staff[slot].pk for slot in REPEATERS}
        while candidates and len(plan.people) < count:
            weights = [4.0 if staff.pk in repeaters else 1.0 for staff in candidates]
            chosen = rng.choices(candidates, weights=weights)[0]
            plan.people.append(chosen)
            candidates.remove(chosen)

    def _source(self, plan: PlannedIncident) -> str:
        if plan.severity == GRAVE:  # a grave matter is rarely found by the section itself
            return self.source_rng.choice([IncidentSource.INSPECTION, IncidentSource.ASSIGNED])
        sources, weights = zip(*SOURCE_WEIGHTS.items(), strict=True)
        return self.source_rng.choices(sources, weights=weights)[0]

    def _members(self, code: str, day: datetime.date) -> list[Staff]:
        """Who may be named in section ``code`` on ``day``: no account holder, no one gone."""
        members = []
        for slot, staff in self.staff.items():
            section = slot[0]
            if slot == MOVER and day >= MOVE_DAY:
                section = MOVE_TO
            if section != code or staff.pk in self.account_staff:
                continue
            if staff.end_date is not None and staff.end_date < day:
                continue
            members.append(staff)
        return members

    # -- through the services -----------------------------------------------------------

    def _context(self, day: datetime.date) -> dict:
        """One incident's particulars, shared by its description, explanation and appeal."""
        rng = self.rng
        return dict(
            md=f"{day.month}月{day.day}日",
            doc=rng.choice(DOCS),
            event=rng.choice(EVENTS),
            leader=rng.choice(LEADERS),
            topic=rng.choice(TOPICS),
            town=rng.choice(TOWNS),
            info=rng.choice(INFOS),
            guest=rng.choice(GUESTS),
            days=rng.randint(1, 4),
            weeks=rng.randint(2, 3),
            hours=rng.randint(1, 5),
            mins=rng.choice([10, 15, 20, 30, 40]),
            num=day.timetuple().tm_yday // 4 + 1,
            few=rng.choice(["2", "3", "4"]),
        )

    @staticmethod
    def _text(template: str, plan: PlannedIncident) -> str:
        return bare(template).format(**plan.context)

    def _account(self, slot: Slot):
        return self.users[next(a.username for a in DEMO_ACCOUNTS if a.slot == slot)]

    def schedule(self, plans: list[PlannedIncident]) -> None:
        """Put every incident's life, the move and the catalogue's revision on the timeline."""
        head_appeals = iter(HEAD_APPEALS * 2)
        for plan in plans:
            self.timeline.add(self._life(plan, head_appeals))
        self.timeline.add(self._on(at(MOVE_DAY, 8), self._move))
        self.timeline.add(self._on(at(self.revision_day, 8), self._revise))

    @staticmethod
    def _on(when: datetime.datetime, step) -> Steps:
        yield when
        step()

    def _later(self, after: datetime.datetime, days: tuple[int, int]) -> datetime.datetime:
        """A moment in office hours some working days after ``after``, never past the demo's now."""
        day = self.timeline.working_day(after.date(), self.rng.randint(*days))
        when = at(day, self.rng.randint(9, 16), self.rng.randint(0, 59))
        if when <= after:
            when = after + datetime.timedelta(minutes=self.rng.randint(10, 50))
        if when > NOW:
            when = after + (NOW - after) * self.rng.uniform(0.2, 0.6)
        return when

    def _life(self, plan: PlannedIncident, head_appeals) -> Steps:
        """One incident, step by step: each ``yield`` says when the next step happens."""
        rng = self.rng
        supervisor = self.users["supervisor"]
        # Clerks record an incident the day it happens.
        when = at(plan.occurred_on, 9) + datetime.timedelta(minutes=rng.randint(0, 420))
        yield when
        reporter = self.users["clerk" if plan.section in CLERK_SECTIONS else "clerk2"]
        incident = incident_report(
            reporter=reporter,
            kind=plan.standard.kind,
            standard=plan.standard,
            severity=plan.severity,
            occurred_on=plan.occurred_on,
            section=self.sections[plan.section],
            responsible=plan.people,
            description=self._text(plan.template, plan),
            source=self._source(plan),
        )
        if plan.status == "reported" and incident.source == IncidentSource.INSPECTION:
            # The inspection team's record sheet goes with the report: the evidence a
            # supervisor sees before 认定.
            attachment_add(
                actor=reporter,
                incident=incident,
                upload=evidence.inspection_record(
                    incident, inspector=self.users["supervisor"].first_name
                ),
                name=evidence.file_name(incident),
            )
        if plan.explain_by:
            when = self._later(when, (0, 2))
            yield when
            if plan.explain_by == "self":
                author, template = self._account(plan.named), SELF_EXPLANATION
            elif plan.status == "dismissed":
                author, template = self.users["head"], ACCEPTED_EXPLANATION
            else:
                author = self.users["head"]
                template = rng.choice(HEAD_EXPLANATIONS[plan.standard.kind])
            incident_explain(
                actor=author,
                incident=incident,
                staff=plan.people[0],
                text=self._text(template, plan),
            )
        if plan.status == "reported":
            return
        when = self._later(when, (1, 4))
        yield when
        if plan.status == "dismissed":
            incident_dismiss(actor=supervisor, incident=incident, reason=self._dismissal(plan))
            return
        note = VERIFIED_AFTER_EXPLANATION if plan.explain_by else rng.choice(VERIFY_NOTES)
        incident = incident_verify(actor=supervisor, incident=incident, note=note)
        if plan.status == "verified":
            return
        when = self._later(when, (2, 6))
        yield when
        decision = self._decision(incident, plan)
        incident = incident_handle(
            actor=supervisor,
            incident=incident,
            decision=decision,
            note=HANDLING_NOTES[decision],
            result_use=self._result_use(decision, plan.severity),
        )
        if not plan.appeal:
            return
        when = self._later(when, (1, 4))
        yield when
        incident = self._appeal(plan, incident, head_appeals)
        if plan.appeal == "pending":
            return
        when = self._later(when, (3, 8))
        yield when
        upheld = plan.appeal == "upheld"
        if plan.appeal == "partial":
            # The supervisor agrees the handling was heavy: the incident stands, a step lighter.
            lighter = _lighter_step(incident.handling_decision)
            with translation.override("zh-hans"):
                reason = APPEAL_LIGHTENED.format(lighter=str(lighter.label))
            incident_decide_appeal(
                actor=self.users["supervisor"],
                incident=incident,
                uphold=False,
                reason=reason,
                lighten_to=lighter,
            )
            return
        incident_decide_appeal(
            actor=self.users["supervisor"],
            incident=incident,
            uphold=upheld,
            reason=self._text(APPEAL_UPHELD, plan) if upheld else self._rejections[incident.pk],
        )

    def _dismissal(self, plan: PlannedIncident) -> str:
        if plan.explain_by:
            return self._text(ACCEPTED_DISMISSAL, plan)
        kind = plan.standard.kind
        reasons = list(DISMISS_REASONS.get(plan.clause.code, []))
        reasons += [DISMISS_UNPROVEN] if kind == ERROR else [DISMISS_MINOR]
        if kind == DELAY:
            reasons.append(DISMISS_AWAY)
        return self.rng.choice(reasons)

    def _move(self) -> None:
        mover = self.staff[MOVER]
        mover.section = self.sections[MOVE_TO]
        save_audited(actor=None, obj=mover)

    def _revise(self) -> None:
        superseded = self.standards[SUPERSEDED]
        superseded.active = False
        save_audited(actor=None, obj=superseded)

    def _decision(self, incident: Incident, plan: PlannedIncident) -> HandlingDecision:
        """Mostly the suggested step (a repeat escalates); a heavier case starts higher."""
        steps = HandlingDecision.ordered()
        floor = steps[0]
        severity = plan.severity
        if plan.appeal == "partial":
            # Handled heavily enough for the appeal to ask, and get, a lighter step.
            floor = HandlingDecision.WRITTEN_SELF_CRITICISM
        elif severity == GRAVE:
            floor = HandlingDecision.CIRCULATED_CRITICISM
        elif severity == SERIOUS and self.rng.random() < 0.5:
            floor = HandlingDecision.CRITICISM
        return max(suggested_handling(incident), floor, key=steps.index)

    def _result_use(self, decision: str, severity: str) -> str:
        if decision == HandlingDecision.NO_ANNUAL_AWARD:
            return ResultUse.AWARDS
        if severity == GRAVE:
            return ResultUse.ACCOUNTABILITY
        if self.rng.random() < 0.12:
            return self.rng.choice([ResultUse.AWARDS, ResultUse.PROMOTION])
        return ResultUse.NONE

    def _appeal(self, plan: PlannedIncident, incident: Incident, head_appeals) -> Incident:
        """Lodge the appeal; the reason a rejection will give is kept for the decision."""
        if plan.named:
            appellant = self._account(plan.named)
            text, rejection = self._text(SELF_APPEAL, plan), ""
        elif plan.appeal == "partial":
            appellant, rejection = self.users["head"], ""
            with translation.override("zh-hans"):
                lighter = str(_lighter_step(incident.handling_decision).label)
            text = HEAD_APPEALS[0][0].format(lighter=lighter)
        else:
            appellant = self.users["head"]
            text, rejection = next(head_appeals)
            if "{lighter}" in text:
                # Asking for a lighter step only makes sense above the lightest one.
                steps = HandlingDecision.ordered()
                index = steps.index(HandlingDecision(incident.handling_decision))
                if index == 0:
                    text, rejection = next(head_appeals)
                else:
                    with translation.override("zh-hans"):
                        text = text.format(lighter=str(steps[index - 1].label))
        self._rejections[incident.pk] = rejection
        return incident_appeal(actor=appellant, incident=incident, text=text)
