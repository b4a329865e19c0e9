"""更正: record and withdraw corrections of a locked quarter's result.

The stored result is never touched; the correction is a record beside it that the reads
(:func:`efficiency.results.ranking`, :func:`efficiency.results.annual_rollup`) show and count.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency import results, standings
from efficiency.models import Correction, Period, PeriodState, Staff
from efficiency.models.audit import AuditAction
from efficiency.models.incidents import AppealStatus, Incident
from efficiency.reasons import check_reason
from efficiency.scoring import Grade

from . import ServiceError
from .audit import diff, record, snapshot
from .incidents import require_right

FIELDS = [
    "period",
    "staff",
    "original_final",
    "original_grade",
    "corrected_final",
    "corrected_grade",
    "what",
    "why",
    "incident",
    "reference",
]
REFERENCE_MAX_LENGTH = 200
UPHELD = (AppealStatus.UPHELD, AppealStatus.PARTLY_UPHELD)


@dataclass(frozen=True)
class Plan:
    """A correction checked and ready to record: what it changes, from what to what."""

    period: Period
    staff: Staff
    original_final: Decimal
    original_grade: Grade | None
    corrected_final: Decimal
    corrected_grade: Grade
    what: str
    why: str
    incident: Incident | None
    reference: str
    superseded: Correction | None  # the correction in force now, which this one replaces


def upheld_appeals(staff: Staff):
    """The person's incidents whose appeal was upheld (in whole or in part), newest first."""
    return Incident.objects.filter(
        responsibilities__staff=staff, appeal_status__in=UPHELD
    ).order_by("-appeal_decided_at", "-pk")


def parse_final(value) -> Decimal:
    """A corrected final as typed: 0–100 with at most two decimals."""
    text = str(value if value is not None else "").strip().replace("，", ".").replace("。", ".")
    if not text:
        raise ServiceError(_("Enter the corrected final score."))
    try:
        final = Decimal(text)
    except InvalidOperation:
        raise ServiceError(_("“%(value)s” is not a number.") % {"value": text}) from None
    if not final.is_finite() or not 0 <= final <= 100:
        raise ServiceError(_("The corrected final score must be between 0 and 100."))
    if final != final.quantize(Decimal("0.01")):
        raise ServiceError(_("The corrected final score has at most two decimal places."))
    return final.quantize(Decimal("0.01"))


def require_locked(period: Period) -> None:
    if period.state != PeriodState.LOCKED:
        raise ServiceError(
            _(
                "%(period)s is not locked: its results can still be changed the usual way. "
                "A correction (更正) is only for a locked quarter."
            )
            % {"period": period}
        )


def in_force(period: Period, staff: Staff) -> Correction | None:
    return Correction.objects.in_force().filter(period=period, staff=staff).first()


def correction_plan(
    *,
    actor,
    period: Period,
    staff: Staff,
    corrected_final,
    corrected_grade: str,
    what: str,
    why: str,
    incident: Incident | None = None,
    reference: str = "",
) -> Plan:
    """Check everything a correction needs, without writing; the confirmation page shows it."""
    require_right(actor, "record_correction")
    require_locked(period)
    if standings.absent_ids(period.year, period.quarter).filter(staff_id=staff.pk).exists():
        raise ServiceError(
            _("%(name)s was not appraised (不参加考核) in %(period)s: there is nothing to correct.")
            % {"name": staff.name, "period": period}
        )
    row = results.ranking(period).row(staff.staff_no)
    if row is None or not row.result.assessed or row.result.final is None:
        raise ServiceError(
            _("%(name)s has no result in %(period)s: there is nothing to correct.")
            % {"name": staff.name, "period": period}
        )
    if row.undetermined:
        raise ServiceError(
            _("%(name)s was 不定等次 in %(period)s and has no grade; a correction cannot give one.")
            % {"name": staff.name, "period": period}
        )
    final = parse_final(corrected_final)
    if corrected_grade not in Grade._value2member_map_:
        raise ServiceError(_("Choose the corrected grade from the list."))
    grade = Grade(corrected_grade)
    what = check_reason(what, missing=_("Write what was wrong in the locked result."))
    why = check_reason(why, missing=_("Write why the result is corrected."))
    reference = (reference or "").strip()
    if len(reference) > REFERENCE_MAX_LENGTH:
        raise ServiceError(
            _("The reference is too long: at most %(count)s characters.")
            % {"count": REFERENCE_MAX_LENGTH}
        )
    if incident is not None:
        if not upheld_appeals(staff).filter(pk=incident.pk).exists():
            raise ServiceError(
                _("Incident %(number)s is not an upheld appeal of %(name)s.")
                % {"number": incident.number, "name": staff.name}
            )
    elif not reference:
        raise ServiceError(
            _(
                "Say what the correction follows: choose the upheld appeal, or write the "
                "reference (for example the 复核 decision's number)."
            )
        )
    current = in_force(period, staff)
    now_final = current.corrected_final if current else row.result.final
    now_grade = current.corrected_grade if current else row.result.grade
    if final == now_final and grade == now_grade:
        raise ServiceError(
            _("The corrected final and grade are what already counts: nothing would change.")
        )
    return Plan(
        period=period,
        staff=staff,
        original_final=row.result.final,
        original_grade=row.result.grade,
        corrected_final=final,
        corrected_grade=grade,
        what=what,
        why=why,
        incident=incident,
        reference=reference if incident is None else "",
        superseded=current,
    )


@transaction.atomic
def correction_record(*, actor, period: Period, staff: Staff, **facts) -> Correction:
    """Record a 更正 for ``staff`` in the locked ``period``; it supersedes the one in force."""
    # One writer at a time per period: the check of what is in force holds until the insert.
    period = Period.objects.select_for_update().get(pk=period.pk)
    plan = correction_plan(actor=actor, period=period, staff=staff, **facts)
    correction = Correction(
        period=period,
        staff=staff,
        original_final=plan.original_final,
        original_grade=plan.original_grade or "",
        corrected_final=plan.corrected_final,
        corrected_grade=plan.corrected_grade.value,
        what=plan.what,
        why=plan.why,
        incident=plan.incident,
        reference=plan.reference,
        recorded_by=actor,
    )
    correction.full_clean()
    correction.save()
    changes = diff({}, snapshot(correction, FIELDS))
    if plan.superseded is not None:
        changes["supersedes"] = ["", str(plan.superseded.pk)]
    record(
        actor=actor,
        obj=correction,
        action=AuditAction.CORRECTION_RECORD,
        reason=plan.why,
        changes=changes,
    )
    return correction


@transaction.atomic
def correction_withdraw(*, actor, correction: Correction, reason: str) -> Correction:
    """Withdraw a 更正 (recorded in error): the one before it, if any, counts again."""
    require_right(actor, "record_correction")
    reason = check_reason(reason, missing=_("Write why the correction is withdrawn."))
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if correction.withdrawn:
        raise ServiceError(_("This correction was already withdrawn."))
    correction.withdrawn = True
    correction.withdrawn_reason = reason
    correction.withdrawn_by = actor
    correction.withdrawn_at = timezone.now()
    correction.save()
    record(
        actor=actor,
        obj=correction,
        action=AuditAction.CORRECTION_WITHDRAW,
        reason=reason,
        changes={"withdrawn": ["False", "True"]},
    )
    return correction
