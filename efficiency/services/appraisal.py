"""Writes to the appraisal: period lifecycle and marks (grades are reviewed in ``reviews``).

A locked period refuses every write here, and database triggers refuse them again for any
route that does not come through these services.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from efficiency import deadlines, pool_schemes, results, scoring, selectors
from efficiency.models import (
    Criterion,
    GradeReview,
    Objection,
    Period,
    PeriodCriterion,
    PeriodState,
    Score,
    Section,
    Staff,
)
from efficiency.models.audit import AuditAction
from efficiency.quarters import Quarter
from efficiency.reasons import check_reason

from . import ServiceError
from .audit import record

THRESHOLD_FIELDS = [
    "good",
    "fairly_good",
    "average",
    "good_quota",
    "excellent",
    "competent_floor",
    "fail_floor",
    "excellent_quota",
]


# The right to type in marks other assessors gave on paper.
ENTER_FOR_OTHERS = "efficiency.enter_marks_for_others"
# The key in a mark's history entry naming the assessor whose mark someone else entered; the
# entry's actor is the one who entered it (录入人).
ENTERED_FOR = "assessor"


def thresholds_snapshot(thresholds: scoring.Thresholds = scoring.DEFAULT_THRESHOLDS) -> dict:
    return {name: str(getattr(thresholds, name)) for name in THRESHOLD_FIELDS}


def _locked_period(period: Period) -> Period:
    return Period.objects.select_for_update().get(pk=period.pk)


def _transition(*, actor, period: Period, to: str, action: str, reason: str = "") -> Period:
    old = period.state
    period.state = to
    period.save()
    record(actor=actor, obj=period, action=action, from_status=old, to_status=to, reason=reason)
    return period


def state_error(period: Period, wanted: str) -> ServiceError:
    return ServiceError(
        _("Period %(code)s is “%(state)s”; it must be “%(wanted)s” for this.")
        % {
            "code": period.code,
            "state": period.get_state_display(),
            "wanted": PeriodState(wanted).label,
        }
    )


def has_begun(code: str) -> bool:
    """Whether the quarter's first day has come (today in the office's time zone)."""
    return Quarter.parse(code).first_day <= timezone.localdate()


def check_open(*, code: str, future: bool = False, lock: bool = False):
    """Every reason a quarter cannot be opened now, as a ServiceError; checked without writing,
    so a page can ask for confirmation only when opening would succeed.

    Returns the normalised code, its draft period (or None) and the active criteria.
    """
    quarter = Quarter.parse(code)
    if quarter is None:
        raise ServiceError(
            _("“%(code)s” is not a quarter; write it like 2026Q3.")
            % {"code": (code or "").strip().upper()}
        )
    code = quarter.code
    periods = Period.objects.select_for_update() if lock else Period.objects
    period = periods.filter(code=code).first()
    if period is not None and period.state != PeriodState.DRAFT:
        if period.state == PeriodState.CLOSED:
            raise ServiceError(
                _("Period %(code)s is closed; reopen it with a reason instead.") % {"code": code}
            )
        raise state_error(period, PeriodState.DRAFT)
    if not future and not has_begun(code):
        raise ServiceError(
            _(
                "Period %(code)s has not begun yet (it starts on %(first)s). To open it early, "
                "tick “open a quarter that has not begun”."
            )
            % {"code": code, "first": quarter.first_day.isoformat()}
        )
    criteria = list(Criterion.objects.filter(active=True))
    if not criteria:
        raise ServiceError(_("There are no active criteria to appraise with."))
    total = sum((c.weight for c in criteria), Decimal(0))
    if total != 100:
        raise ServiceError(
            _("The active criteria's weights add up to %(total)s, not 100.") % {"total": total}
        )
    return code, period, criteria


def proposed_deadlines(code: str) -> tuple[datetime.date, datetime.date] | None:
    """(小结截止, 评分截止) proposed for a quarter: 10 and 15 working days after its end on the
    office's calendar; None when ``code`` is not a quarter."""
    quarter = Quarter.parse(code)
    if quarter is None:
        return None
    last = quarter.last_day
    calendar = selectors.office_calendar(last, last + deadlines.CALENDAR_SPAN)
    return deadlines.default_deadlines(last, calendar)


def check_deadlines(
    code: str, summary_due: datetime.date | None, marks_due: datetime.date | None
) -> None:
    """Refuse deadlines that do not fit the quarter (all reasons in one message)."""
    errors = deadlines.deadline_errors(Quarter.parse(code).last_day, summary_due, marks_due)
    if errors:
        raise ServiceError(" ".join(errors))


@transaction.atomic
def period_open(
    *,
    actor,
    code: str,
    future: bool = False,
    summary_due: datetime.date | None = None,
    marks_due: datetime.date | None = None,
) -> Period:
    """Open a quarter for scoring, copying the active criteria and the thresholds into it.

    A quarter that has not begun is opened only when asked for explicitly (``future``): a
    default or a typo must not open next year's quarter. The two deadlines are optional.
    """
    code, period, criteria = check_open(code=code, future=future, lock=True)
    check_deadlines(code, summary_due, marks_due)
    if period is None:
        quarter = Quarter.parse(code)
        period = Period(code=code, year=quarter.year, quarter=quarter.number)
    period.summary_due, period.marks_due = summary_due, marks_due
    period.thresholds = thresholds_snapshot()
    period.opened_at = timezone.now()
    period.full_clean()
    period.save()
    # The quota pools too, with the pool each person is counted in (efficiency.pools).
    period.pools = pool_schemes.freeze(
        results.staff_in_period(period).values_list("pk", "category", "section_id")
    )
    period.save(update_fields=["pools"])
    # A draft takes the scheme as it stands when it opens, not when it was drafted.
    period.criteria.all().delete()
    PeriodCriterion.objects.bulk_create(
        PeriodCriterion(period=period, code=c.code, name=c.name, weight=c.weight, order=c.order)
        for c in criteria
    )
    return _transition(
        actor=actor, period=period, to=PeriodState.OPEN, action=AuditAction.PERIOD_OPEN
    )


def refuse_stale_decisions(period: Period) -> None:
    """Closing publishes the decided grades: none may be a decision the marks have overtaken."""
    stale = results.stale_decisions(period)
    if stale:
        raise ServiceError(
            _(
                "Period %(code)s cannot be closed: the computed grade has changed since these "
                "decisions were made without a reason: %(names)s. Decide them again or withdraw "
                "them on the decisions page."
            )
            % {
                "code": period.code,
                "names": "、".join(
                    _("%(name)s (%(then)s → %(now)s)")
                    % {
                        "name": s.name,
                        "then": s.then.label,
                        "now": s.now.label if s.now else _("not assessed"),
                    }
                    for s in stale
                ),
            }
        )


def check_publicity_days(days) -> int:
    """The 公示 window asked for when closing: a whole number of working days, 1–30."""
    try:
        days = int(str(days).strip())
    except (TypeError, ValueError):
        days = 0
    if not deadlines.PUBLICITY_MIN_DAYS <= days <= deadlines.PUBLICITY_MAX_DAYS:
        raise ServiceError(
            _("The publicity window is %(min)s to %(max)s working days.")
            % {"min": deadlines.PUBLICITY_MIN_DAYS, "max": deadlines.PUBLICITY_MAX_DAYS}
        )
    return days


def publicity_end(closed_on: datetime.date, days: int) -> datetime.date:
    """The window's last day on the office's calendar (see ``deadlines.publicity_end``)."""
    calendar = selectors.office_calendar(closed_on, closed_on + deadlines.CALENDAR_SPAN)
    return deadlines.publicity_end(closed_on, days, calendar)


@transaction.atomic
def period_close(*, actor, period: Period, days: int | None = None) -> Period:
    """Close the quarter and publish its decided grades (公示) for ``days`` working days.

    The pages and the command always ask for a window (5 days unless changed); ``days=None``
    closes without one, as quarters were closed before 公示 existed: no objections can then be
    lodged, and feedback is not awaited before locking.
    """
    period = _locked_period(period)
    if period.state != PeriodState.OPEN:
        raise state_error(period, PeriodState.OPEN)
    refuse_stale_decisions(period)
    period.closed_at = timezone.now()
    if days is not None:
        days = check_publicity_days(days)
        period.publicity_days = days
        period.publicity_ends = publicity_end(timezone.localdate(), days)
    else:
        period.publicity_days = period.publicity_ends = None
    return _transition(
        actor=actor, period=period, to=PeriodState.CLOSED, action=AuditAction.PERIOD_CLOSE
    )


@transaction.atomic
def period_reopen(*, actor, period: Period, reason: str) -> Period:
    period = _locked_period(period)
    if period.state == PeriodState.LOCKED:
        raise ServiceError(
            _("Period %(code)s is locked; it never reopens.") % {"code": period.code}
        )
    if period.state != PeriodState.CLOSED:
        raise state_error(period, PeriodState.CLOSED)
    reason = check_reason(reason, missing=_("Reopening a closed period needs a reason."))
    # A re-close sets a new window.
    period.publicity_days = period.publicity_ends = None
    return _transition(
        actor=actor,
        period=period,
        to=PeriodState.OPEN,
        action=AuditAction.PERIOD_REOPEN,
        reason=reason,
    )


def may_withdraw(period: Period) -> bool:
    """Opened by mistake: open, never closed, and nobody has marked or graded anything in it."""
    return (
        period.state == PeriodState.OPEN
        and period.closed_at is None
        and not Score.objects.filter(period=period).exists()
        and not GradeReview.objects.filter(period=period).exists()
    )


def check_withdraw(period: Period, reason: str) -> str:
    """Every reason an opening cannot be withdrawn, without writing; returns the reason."""
    if period.state != PeriodState.OPEN:
        raise state_error(period, PeriodState.OPEN)
    if period.closed_at is not None:
        raise ServiceError(
            _(
                "Period %(code)s has already been closed and published once; its opening "
                "cannot be withdrawn."
            )
            % {"code": period.code}
        )
    if not may_withdraw(period):
        raise ServiceError(
            _("Period %(code)s already has marks; its opening cannot be withdrawn.")
            % {"code": period.code}
        )
    return check_reason(reason, missing=_("Withdrawing an opening needs a reason."))


@transaction.atomic
def period_withdraw(*, actor, period: Period, reason: str) -> Period:
    """Take back an opening made by mistake (撤销): the period returns to draft, recorded."""
    period = _locked_period(period)
    reason = check_withdraw(period, reason)
    period.opened_at = None
    # The scheme is copied again when the period is next opened.
    period.criteria.all().delete()
    return _transition(
        actor=actor,
        period=period,
        to=PeriodState.DRAFT,
        action=AuditAction.PERIOD_WITHDRAW,
        reason=reason,
    )


# Who may lock despite blockers: a leader, the one who decides grades (services.reviews
# imports this module, so its constant is not imported here).
DECIDE_PERMISSION = "efficiency.override_grade"
BLOCKER_NAMES = 10  # people named in the feedback blocker; the rest are counted


def lock_blockers(period: Period) -> list[str]:
    """Every step of 公示 and 结果反馈 still outstanding, one sentence each; empty: lock.

    A quarter closed without a window (``period_close(days=None)``) awaits no feedback."""
    blockers = []
    ends = period.publicity_ends
    if ends is not None and timezone.localdate() <= ends:
        blockers.append(
            _("The publicity window has not ended (until %(date)s).")
            % {"date": deadlines.long_date(ends)}
        )
    unanswered = Objection.objects.filter(period=period, answer="").count()
    if unanswered:
        blockers.append(
            ngettext(
                "%(count)s objection has not been answered.",
                "%(count)s objections have not been answered.",
                unanswered,
            )
            % {"count": unanswered}
        )
    if ends is not None:
        owed = list(selectors.feedback_owed(period).values_list("name", flat=True))
        if owed:
            names = "、".join(owed[:BLOCKER_NAMES])
            if len(owed) > BLOCKER_NAMES:
                names += _(" and others")
            blockers.append(
                ngettext(
                    "%(count)s person has not given their own opinion: %(names)s.",
                    "%(count)s people have not given their own opinion: %(names)s.",
                    len(owed),
                )
                % {"count": len(owed), "names": names}
            )
    return blockers


def check_lock(*, actor, period: Period, reason: str = "") -> str:
    """Every refusal of a lock, without writing; returns the reason to record (may be empty).

    With blockers only a leader locks, and only with a written reason (someone on leave)."""
    if period.state != PeriodState.CLOSED:
        raise state_error(period, PeriodState.CLOSED)
    reason = (reason or "").strip()
    blockers = lock_blockers(period)
    if not blockers:
        return reason
    if actor is None or not actor.has_perm(DECIDE_PERMISSION):
        raise ServiceError(
            _("Period %(code)s cannot be locked yet: %(blockers)s")
            % {"code": period.code, "blockers": " ".join(blockers)}
        )
    return check_reason(
        reason,
        missing=_(
            "Period %(code)s cannot be locked yet: %(blockers)s To lock it all the same, write why."
        )
        % {"code": period.code, "blockers": " ".join(blockers)},
    )


@transaction.atomic
def period_lock(*, actor, period: Period, reason: str = "") -> Period:
    """Freeze the period: its inputs are copied so its results can never change again.

    Refused while 公示 or 结果反馈 is outstanding (:func:`lock_blockers`), unless a leader
    writes why; the reason is recorded on the lock's history entry."""
    period = _locked_period(period)
    reason = check_lock(actor=actor, period=period, reason=reason)
    period.frozen = results.freeze_inputs(period)
    period.locked_at = timezone.now()
    period = _transition(
        actor=actor,
        period=period,
        to=PeriodState.LOCKED,
        action=AuditAction.PERIOD_LOCK,
        reason=reason,
    )
    # Computed once from the frozen inputs and kept for good, in the lock's transaction.
    results.store_rankings(period)
    return period


def parse_mark(value) -> Decimal | None:
    """A mark as typed: blank clears it; otherwise 0–100 with at most one decimal."""
    text = str(value if value is not None else "").strip().replace("，", ".").replace("。", ".")
    if not text:
        return None
    try:
        mark = Decimal(text)
    except InvalidOperation:
        raise ServiceError(_("“%(value)s” is not a number.") % {"value": text}) from None
    if not mark.is_finite() or not 0 <= mark <= 100:
        raise ServiceError(_("A mark must be between 0 and 100."))
    if mark != mark.quantize(Decimal("0.1")):
        raise ServiceError(_("A mark has at most one decimal place."))
    return mark


def needs_reason(mark: Decimal | None) -> bool:
    return mark is not None and (mark == 100 or mark < 60)


@dataclass(frozen=True)
class MarkingRights:
    """Whom one assessor may mark: nobody marks themself, and a section head never marks a
    section they head. Fetched once (:func:`marking_rights`) for a whole sheet or file."""

    own_staff_id: int | None
    headed_section_ids: frozenset[int]

    def may_mark_staff(self, staff_id: int) -> bool:
        return staff_id != self.own_staff_id

    def may_mark_section(self, section_id: int) -> bool:
        return section_id not in self.headed_section_ids

    def refusal(self, *, staff: Staff | None = None, section: Section | None = None) -> str:
        """Why this subject may not be marked by this assessor; empty if it may."""
        if staff is not None and not self.may_mark_staff(staff.pk):
            return _("You cannot mark yourself.")
        if section is not None and not self.may_mark_section(section.pk):
            return _("A section head does not mark their own section.")
        return ""


def marking_rights(assessor) -> MarkingRights:
    own = getattr(assessor, "staff", None)
    return MarkingRights(
        own_staff_id=own.pk if own is not None else None,
        headed_section_ids=frozenset(assessor.headed_sections.values_list("pk", flat=True)),
    )


@transaction.atomic
def score_save(
    *,
    assessor,
    period: Period,
    criterion_code: str,
    value,
    reason: str = "",
    staff: Staff | None = None,
    section: Section | None = None,
    entered_by=None,
) -> Score | None:
    """Give, change or clear one mark. Saving the same mark twice changes nothing.

    ``entered_by`` is whoever types in a mark the assessor gave on paper (the secretary, with
    the right to enter marks for others): the mark is the assessor's, every rule applies to the
    assessor, and the history names both, the one who entered it as the actor.
    """
    if (staff is None) == (section is None):
        raise ServiceError(_("Mark either a person or a section."))
    if entered_by is not None and entered_by.pk == assessor.pk:
        entered_by = None
    if entered_by is not None and not entered_by.has_perm(ENTER_FOR_OTHERS):
        raise ServiceError(_("Only the administrator enters marks given by other assessors."))
    period = Period.objects.get(pk=period.pk)
    if not period.accepts_marks:
        raise ServiceError(
            _("Period %(code)s is not open for scoring; marks cannot change.")
            % {"code": period.code}
        )
    if not assessor.has_perm("efficiency.add_score"):
        raise ServiceError(_("Only members of the assessment group give marks."))
    refusal = marking_rights(assessor).refusal(staff=staff, section=section)
    if refusal:
        raise ServiceError(refusal)
    try:
        criterion = period.criteria.get(code=criterion_code)
    except PeriodCriterion.DoesNotExist:
        raise ServiceError(_("This period has no such criterion.")) from None
    mark = parse_mark(value)
    reason = (reason or "").strip()
    if needs_reason(mark):
        reason = check_reason(
            reason, missing=_("A mark of 100 or below 60 needs a written reason.")
        )
    subject = {"staff": staff} if staff is not None else {"section": section}
    existing = (
        Score.objects.select_for_update()
        .filter(period=period, assessor=assessor, criterion=criterion, **subject)
        .first()
    )
    old = "" if existing is None else str(existing.mark)
    if mark is None:
        if existing is None:
            return None
        existing.delete()
        score = None
    elif (
        existing is not None
        and existing.tenths == int(mark * 10)
        and existing.reason == (reason if needs_reason(mark) else "")
    ):
        return existing
    else:
        score = existing or Score(period=period, assessor=assessor, criterion=criterion, **subject)
        score.tenths = int(mark * 10)
        score.reason = reason if needs_reason(mark) else ""
        score.save()
    changes = {f"{period.code} {criterion.name}": [old, "" if mark is None else str(mark)]}
    if entered_by is not None:
        changes[ENTERED_FOR] = ["", assessor_label(assessor)]
    record(
        actor=entered_by or assessor,
        obj=staff or section,
        action=AuditAction.SCORE,
        reason=reason,
        changes=changes,
    )
    return score


def assessor_label(user) -> str:
    """An assessor as the history names them: 姓名（工号）, or the login name without a staff
    record."""
    staff = getattr(user, "staff", None)
    if staff is not None:
        return f"{staff.name}（{staff.staff_no}）"
    return user.get_full_name() or user.username


def refuse_locked(period: Period) -> None:
    if period.state == PeriodState.LOCKED:
        raise ServiceError(
            _("Period %(code)s is locked; nothing about it changes.") % {"code": period.code}
        )
