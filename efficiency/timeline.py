"""A quarter's procedure as a timeline: 开启 → 小结 → 评分 → 审核 → 公示 → 反馈 → 锁定.

Each step is built by its own function from the period and a few counts read here in a constant
number of queries, whatever the office's size; the period page shows the steps with their dates
and counts, the current one highlighted, and one sentence on what comes next and who is waiting
for whom. A step added to the procedure (or new counts for 公示 and 反馈) is one more function in
``STEPS``; nothing else changes.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from efficiency import progress, results, selectors
from efficiency.models import (
    Feedback,
    FeedbackOpinion,
    GradeReview,
    Objection,
    ObjectionAnswer,
    Period,
    PeriodState,
    Score,
    Summary,
    SummaryStatus,
)

DONE, CURRENT, LATER = "done", "current", "later"


@dataclass(frozen=True)
class Counts:
    """The numbers the steps show; ``None`` where a number is not read (no counts asked)."""

    people: int | None = None
    summaries_submitted: int | None = None  # submitted or accepted
    summaries_accepted: int | None = None
    assessors: int | None = None
    assessors_done: int | None = None
    assessed: int | None = None  # marked on every criterion: those whose grade is decided
    proposed: int | None = None
    decided: int | None = None
    stale: int | None = None
    # 公示 and 结果反馈, read while the period is closed.
    window: selectors.PublicityWindow | None = None
    objections: int | None = None
    objections_open: int | None = None  # not answered yet
    feedback_given: int | None = None
    feedback_owed: int | None = None
    feedback_disagree: int | None = None

    @property
    def known(self) -> bool:
        return self.people is not None

    @property
    def published(self) -> bool:
        """Closed with a 公示 window (a quarter closed without one shows no counts)."""
        return self.window is not None and self.window.ends is not None


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    finished: bool  # its work is complete (not yet whether it is the current step)
    dates: tuple[str, ...] = ()
    counts: tuple[str, ...] = ()
    waiting: str = ""  # who is waiting for whom while this step is not finished
    state: str = LATER  # DONE, CURRENT or LATER, set by :func:`timeline`


@dataclass(frozen=True)
class Timeline:
    steps: tuple[Step, ...]
    next_step: str  # the current step's label, or "" once locked
    waiting: str

    @property
    def current(self) -> Step | None:
        return next((s for s in self.steps if s.state == CURRENT), None)


def day(value: datetime.date | datetime.datetime) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return _("%(month)s/%(day)s") % {"month": value.month, "day": value.day}


# --- the counts -----------------------------------------------------------------------------


def counts(period: Period) -> Counts:
    """Everything the steps count, in a constant number of queries (the ranking's, once, only
    while the period is open: a decision goes stale only when marks move)."""
    if period.state == PeriodState.DRAFT:
        return Counts()
    if period.state == PeriodState.CLOSED:
        return publicity_counts(period)
    staff = results.staff_in_period(period)
    people = staff.count()
    summaries = Summary.objects.filter(period=period, staff__in=staff).aggregate(
        submitted=Count(
            "pk", filter=Q(status__in=[SummaryStatus.SUBMITTED, SummaryStatus.ACCEPTED])
        ),
        accepted=Count("pk", filter=Q(status=SummaryStatus.ACCEPTED)),
    )
    assessors = progress.assessor_lines(period)
    criteria = period.criteria.count()
    assessed = (
        Score.objects.filter(period=period, staff__in=staff)
        .values("staff_id")
        .annotate(criteria=Count("criterion_id", distinct=True))
        .filter(criteria__gte=criteria)
        .count()
    )
    reviews = GradeReview.objects.filter(period=period).aggregate(
        proposed=Count("pk", filter=~Q(proposed_grade="")),
        decided=Count("pk", filter=~Q(grade="")),
    )
    stale = len(results.stale_decisions(period)) if period.state == PeriodState.OPEN else 0
    return Counts(
        people=people,
        summaries_submitted=summaries["submitted"],
        summaries_accepted=summaries["accepted"],
        assessors=len(assessors),
        assessors_done=sum(1 for line in assessors if line.done),
        assessed=assessed,
        proposed=reviews["proposed"],
        decided=reviews["decided"],
        stale=stale,
    )


def publicity_counts(period: Period) -> Counts:
    """公示 and 结果反馈 of a closed period: its window, objections and opinions (four queries).
    A quarter closed without a window (only through the service) holds no 公示: nothing read."""
    if period.publicity_ends is None:
        return Counts()
    objections = Objection.objects.filter(period=period).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(answer=ObjectionAnswer.NONE))
    )
    feedback = Feedback.objects.filter(period=period).aggregate(
        given=Count("pk"), disagree=Count("pk", filter=Q(opinion=FeedbackOpinion.DISAGREE))
    )
    window = selectors.publicity_window(period)
    return Counts(
        window=window,
        objections=objections["total"],
        objections_open=objections["open"],
        feedback_given=feedback["given"],
        feedback_owed=selectors.feedback_owed(period).count(),
        feedback_disagree=feedback["disagree"],
    )


# --- one function per step ------------------------------------------------------------------


def open_step(period: Period, n: Counts) -> Step:
    opened = period.state != PeriodState.DRAFT
    return Step(
        key="open",
        label=pgettext("timeline", "Open"),
        finished=opened,
        dates=(_("opened %(day)s") % {"day": day(period.opened_at)},) if period.opened_at else (),
        counts=(_("%(count)s people assessed") % {"count": n.people},) if n.known else (),
        waiting=_("a leader to open the period"),
    )


def summary_step(period: Period, n: Counts) -> Step:
    finished = period.state in (PeriodState.CLOSED, PeriodState.LOCKED) or (
        n.known and n.people > 0 and n.summaries_accepted >= n.people
    )
    waits = []
    if n.known and not finished:
        if n.people > n.summaries_submitted:
            waits.append(
                _("%(count)s people to submit their summaries")
                % {"count": n.people - n.summaries_submitted}
            )
        if n.summaries_submitted > n.summaries_accepted:
            waits.append(
                _("the section heads to accept %(count)s summaries")
                % {"count": n.summaries_submitted - n.summaries_accepted}
            )
    return Step(
        key="summary",
        label=pgettext("timeline", "Summaries"),
        finished=finished,
        dates=(_("due %(day)s") % {"day": day(period.summary_due)},) if period.summary_due else (),
        counts=(
            _("submitted %(submitted)s/%(people)s, accepted %(accepted)s")
            % {
                "submitted": n.summaries_submitted,
                "people": n.people,
                "accepted": n.summaries_accepted,
            },
        )
        if n.known
        else (),
        waiting="，".join(waits),
    )


def marking_step(period: Period, n: Counts) -> Step:
    finished = period.state in (PeriodState.CLOSED, PeriodState.LOCKED) or (
        n.known and n.assessors > 0 and n.assessors_done >= n.assessors
    )
    return Step(
        key="marking",
        label=pgettext("timeline", "Marking"),
        finished=finished,
        dates=(_("due %(day)s") % {"day": day(period.marks_due)},) if period.marks_due else (),
        counts=(
            _("assessors done %(done)s/%(count)s")
            % {"done": n.assessors_done, "count": n.assessors},
        )
        if n.known
        else (),
        waiting=_("%(count)s assessors to finish marking")
        % {"count": n.assessors - n.assessors_done}
        if n.known and not finished
        else "",
    )


def review_step(period: Period, n: Counts) -> Step:
    finished = period.state in (PeriodState.CLOSED, PeriodState.LOCKED) or (
        n.known and n.assessed > 0 and n.decided >= n.assessed and not n.stale
    )
    shown: tuple[str, ...] = ()
    if n.known:
        shown = (
            _("proposed %(proposed)s/%(people)s, decided %(decided)s/%(people)s")
            % {"proposed": n.proposed, "decided": n.decided, "people": n.assessed},
        )
        if n.stale:
            shown += (_("%(count)s decisions to make again") % {"count": n.stale},)
    waits = []
    if n.known and not finished:
        if n.assessed > n.proposed:
            waits.append(
                _("the section heads to propose %(count)s grades")
                % {"count": n.assessed - n.proposed}
            )
        if n.assessed > n.decided or n.stale:
            waits.append(
                _("the leaders to decide %(count)s grades")
                % {"count": max(n.assessed - n.decided, 0) + n.stale}
            )
    return Step(
        key="review",
        label=pgettext("timeline", "Review"),
        finished=finished,
        counts=shown,
        waiting="，".join(waits),
    )


def publicity_step(period: Period, n: Counts) -> Step:
    window = n.window
    running = window is not None and window.running
    unanswered = n.objections_open or 0
    dates: tuple[str, ...] = ()
    if period.closed_at and period.state != PeriodState.OPEN:
        dates = (_("published (%(day)s)") % {"day": day(period.closed_at)},)
        if period.publicity_ends:
            dates += (_("window until %(day)s") % {"day": day(period.publicity_ends)},)
    shown: tuple[str, ...] = ()
    if n.published:
        shown = (
            _("objections %(count)s, unanswered %(open)s")
            % {"count": n.objections, "open": unanswered},
        )
        if running:
            shown += (window.countdown,)
    waits = []
    if running:
        waits.append(_("the publicity window to end"))
    if unanswered:
        waits.append(_("the leaders to answer %(count)s objections") % {"count": unanswered})
    return Step(
        key="publicity",
        label=pgettext("timeline", "Publicity"),
        finished=period.state == PeriodState.LOCKED
        or (n.published and not running and not unanswered),
        dates=dates,
        counts=shown,
        waiting="，".join(waits)
        if waits
        else _("a leader to close the period and publish the grades")
        if period.state in (PeriodState.DRAFT, PeriodState.OPEN)
        else _("the publicity window to end"),
    )


def feedback_step(period: Period, n: Counts) -> Step:
    owed = n.feedback_owed or 0
    shown: tuple[str, ...] = ()
    if n.published:
        shown = (
            _("answered %(given)s, not yet %(owed)s, disagreeing %(disagree)s")
            % {"given": n.feedback_given, "owed": owed, "disagree": n.feedback_disagree},
        )
    elif period.state in (PeriodState.OPEN, PeriodState.CLOSED):
        shown = (_("written by each person after the publicity window"),)
    return Step(
        key="feedback",
        label=pgettext("timeline", "Feedback"),
        finished=period.state == PeriodState.LOCKED or (n.published and not owed),
        counts=shown,
        waiting=_("%(count)s people to record their view of the result") % {"count": owed}
        if owed
        else _("each person to record their view of the result"),
    )


def lock_step(period: Period, n: Counts) -> Step:
    return Step(
        key="lock",
        label=pgettext("timeline", "Lock"),
        finished=period.state == PeriodState.LOCKED,
        dates=(_("locked %(day)s") % {"day": day(period.locked_at)},) if period.locked_at else (),
        waiting=_("a leader to lock the period"),
    )


STEPS: tuple[Callable[[Period, Counts], Step], ...] = (
    open_step,
    summary_step,
    marking_step,
    review_step,
    publicity_step,
    feedback_step,
    lock_step,
)


def timeline(period: Period, *, with_counts: bool = True) -> Timeline:
    """The period's steps. The first unfinished one is current; before it every step is done.
    The summaries, marks and decisions run side by side while the period is open, so while
    any of them is unfinished, whoever they wait for is named."""
    n = counts(period) if with_counts else Counts()
    built = [build(period, n) for build in STEPS]
    current = next((i for i, step in enumerate(built) if not step.finished), None)
    steps = []
    for i, step in enumerate(built):
        if current is None or i < current:
            state = DONE if step.finished else LATER
        elif i == current:
            state = CURRENT
        else:
            state = DONE if step.finished else LATER
        steps.append(replace(step, state=state))
    if current is None:
        return Timeline(steps=tuple(steps), next_step="", waiting="")
    # What comes next is the step the current work leads to: opening a draft; closing (公示)
    # while the summaries, marks and decisions run side by side; then the step after the
    # current one.
    keys = [step.key for step in built]
    if period.state == PeriodState.DRAFT:
        following = current
    elif period.state == PeriodState.OPEN:
        following = max(current, keys.index("publicity"))
    else:
        following = min(current + 1, len(built) - 1)
    if period.state == PeriodState.OPEN:
        # Everything unfinished up to the close is waited for at once.
        waits = [s.waiting for s in built[current:following] if not s.finished and s.waiting]
        waiting = (
            "；".join(waits)
            or built[current].waiting
            or _("the summaries, the marks and the decisions to be finished")
        )
    else:
        waiting = built[current].waiting
    return Timeline(steps=tuple(steps), next_step=built[following].label, waiting=waiting)
