"""复核 and 申诉 after the result notice, for a person graded 不称职 (事业编: 不合格).

The clocks, in calendar days (not working days):
  复核申请   the person (or the administrator from paper) within ``REVIEW_DAYS`` of the notice;
  复核决定   the office (a leader) within ``REVIEW_DECISION_DAYS`` of the request;
  申诉       the person within ``APPEAL_DAYS`` of the review decision;
  申诉处理   recorded by a leader when the appeal body answers (no clock here).
A decision that changes the grade updates the annual decision with a record. Each step is kept
once, with who, when and the text.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency.models import (
    AnnualClockStep,
    AnnualReview,
    ClockOutcome,
    ClockStep,
    Staff,
)
from efficiency.models.audit import AuditAction
from efficiency.models.publicity import REPLY_MAX_LENGTH
from efficiency.reasons import check_reason
from efficiency.scoring import AnnualGrade

from . import ServiceError
from . import annual as decisions
from .annual_publicity import APPEAL_DAYS, REVIEW_DAYS, may_record_opinion, notice_of
from .audit import record
from .reviews import may_decide

REVIEW_DECISION_DAYS = 30
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Clock:
    """Where one person's 复核 and 申诉 stand: the steps taken, the next one and its last day."""

    staff: Staff
    review: AnnualReview
    steps: dict[str, AnnualClockStep]
    next_step: str  # a ClockStep value, "" when nothing more is due
    due: datetime.date | None  # the last day of the next step (None: no clock on it)
    today: datetime.date

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.today > self.due

    @property
    def next_step_label(self) -> str:
        return str(ClockStep(self.next_step).label) if self.next_step else ""

    @property
    def office_waits(self) -> bool:
        """The next step is the office's (a review decision)."""
        return self.next_step == ClockStep.REVIEW_DECISION


def clock_of(year: int, staff: Staff, today: datetime.date | None = None) -> Clock | None:
    """None unless the person has a notice graded 不称职."""
    notice = notice_of(year, staff)
    if notice is None or notice.grade != AnnualGrade.INCOMPETENT and not _steps(notice.review):
        return None
    return _clock(notice.review, notice.notice_date, today or timezone.localdate())


def _steps(review: AnnualReview) -> dict[str, AnnualClockStep]:
    return {s.step: s for s in review.clock_steps.all()}


def _clock(review: AnnualReview, notice_date, today) -> Clock:
    steps = _steps(review)
    if ClockStep.REVIEW_REQUEST not in steps:
        next_step, due = ClockStep.REVIEW_REQUEST, notice_date + REVIEW_DAYS * DAY
    elif ClockStep.REVIEW_DECISION not in steps:
        next_step = ClockStep.REVIEW_DECISION
        due = steps[ClockStep.REVIEW_REQUEST].on + REVIEW_DECISION_DAYS * DAY
    elif ClockStep.APPEAL not in steps:
        next_step, due = ClockStep.APPEAL, steps[ClockStep.REVIEW_DECISION].on + APPEAL_DAYS * DAY
    elif ClockStep.APPEAL_DECISION not in steps:
        next_step, due = ClockStep.APPEAL_DECISION, None
    else:
        next_step, due = "", None
    return Clock(review.staff, review, steps, next_step, due, today)


def open_clocks(year: int, today: datetime.date | None = None) -> list[Clock]:
    """Every 不称职 person's clock still running (or overdue), for the leaders' home page."""
    today = today or timezone.localdate()
    reviews = (
        AnnualReview.objects.filter(appraisal__year=year, appraisal__notice_date__isnull=False)
        .filter(grade=AnnualGrade.INCOMPETENT)
        .select_related("staff", "appraisal")
        .prefetch_related("clock_steps")
    )
    clocks = [_clock(r, r.appraisal.notice_date, today) for r in reviews]
    # A person who let the request clock run out has nothing more due.
    return [
        c
        for c in clocks
        if c.next_step
        and not (c.next_step in (ClockStep.REVIEW_REQUEST, ClockStep.APPEAL) and c.overdue)
    ]


def _text(text: str, missing: str) -> str:
    text = check_reason(text, missing=missing)
    if len(text) > REPLY_MAX_LENGTH:
        raise ServiceError(
            _("The text is %(length)s characters long; at most %(max)s.")
            % {"length": len(text), "max": REPLY_MAX_LENGTH}
        )
    return text


def _save(actor, clock: Clock, step: str, text: str, outcome="", new_grade="") -> AnnualClockStep:
    saved = AnnualClockStep.objects.create(
        review=clock.review,
        step=step,
        on=timezone.localdate(),
        text=text,
        outcome=outcome,
        new_grade=new_grade,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    changes = {"step": str(ClockStep(step).label)}
    if outcome:
        changes["outcome"] = str(ClockOutcome(outcome).label)
    if actor.pk != clock.staff.user_id:
        changes["recorded for"] = clock.staff.name
    record(
        actor=actor, obj=clock.staff, action=AuditAction.ANNUAL_CLOCK, reason=text, changes=changes
    )
    return saved


def _expect(year: int, staff: Staff, step: str) -> Clock:
    clock = clock_of(year, staff)
    if clock is None:
        raise ServiceError(
            _("%(name)s was not graded 不称职 in %(year)s: there is no review to ask for.")
            % {"name": staff.name, "year": year}
        )
    if clock.next_step != step:
        raise ServiceError(_("This step is not the next one for %(name)s.") % {"name": staff.name})
    if clock.overdue and step in (ClockStep.REVIEW_REQUEST, ClockStep.APPEAL):
        raise ServiceError(
            _("The time for this ended on %(date)s.") % {"date": clock.due.isoformat()}
        )
    return clock


@transaction.atomic
def person_step(*, actor, year: int, staff: Staff, step: str, text: str) -> AnnualClockStep:
    """复核申请 or 申诉, by the person or the administrator from paper."""
    if step not in (ClockStep.REVIEW_REQUEST, ClockStep.APPEAL):
        raise ServiceError(_("Choose a step from the list."))
    if not may_record_opinion(actor, staff):
        raise ServiceError(
            _("Only %(name)s, or the administrator from paper, asks for a review or appeals.")
            % {"name": staff.name}
        )
    clock = _expect(year, staff, step)
    text = _text(text, _("Write why you ask for it."))
    return _save(actor, clock, step, text)


@transaction.atomic
def office_step(
    *, actor, year: int, staff: Staff, step: str, outcome: str, text: str, new_grade: str = ""
) -> AnnualClockStep:
    """复核决定 or 申诉处理, recorded by a leader; a changed grade updates the decision."""
    if step not in (ClockStep.REVIEW_DECISION, ClockStep.APPEAL_DECISION):
        raise ServiceError(_("Choose a step from the list."))
    if not may_decide(actor):
        raise ServiceError(_("Only a leader records the review or appeal decision."))
    clock = _expect(year, staff, step)
    if outcome not in (ClockOutcome.KEPT, ClockOutcome.CHANGED):
        raise ServiceError(_("Choose whether the grade is kept or changed."))
    text = _text(text, _("Write the decision and its grounds."))
    if outcome == ClockOutcome.CHANGED:
        if new_grade not in {g.value for g in AnnualGrade} or new_grade == clock.review.grade:
            raise ServiceError(_("A changed grade needs the new grade."))
        review = clock.review
        decision = decisions.Decision(
            grade=AnnualGrade(new_grade),
            computed=AnnualGrade(review.computed_at_decision or review.grade),
            proposal=AnnualGrade(review.proposed_grade or review.grade),
            reason=text,
        )
        decisions._save_decision(
            actor=actor,
            year=year,
            staff=staff,
            decision=decision,
            why=str(ClockStep(step).label),
            changes={"after": str(ClockStep(step).label)},
        )
    else:
        new_grade = ""
    return _save(actor, clock, step, text, outcome=outcome, new_grade=new_grade)
