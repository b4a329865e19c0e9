"""Writes to 处分 (record, correct, withdraw) and to the influence-period months table."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency import influence
from efficiency.models import InfluenceMonths, Sanction, SanctionKind, Staff
from efficiency.models.audit import AuditAction
from efficiency.models.incidents import HandlingDecision
from efficiency.reasons import check_reason

from . import ServiceError
from .audit import diff, record, snapshot
from .incidents import require_right

FIELDS = ["staff", "kind", "dated", "document_number", "note"]
DOCUMENT_NUMBER_MAX_LENGTH = 100
MAX_MONTHS = 120


def _checked(
    *, kind: str, dated: datetime.date | None, document_number: str, note: str
) -> tuple[str, datetime.date, str, str]:
    if kind not in SanctionKind.values:
        raise ServiceError(_("Choose a sanction from the list."))
    if dated is None:
        raise ServiceError(_("Enter the date of the sanction decision."))
    if dated > timezone.localdate():
        raise ServiceError(_("A sanction cannot be dated in the future."))
    document_number = (document_number or "").strip()
    if not document_number:
        raise ServiceError(_("Enter the document number (文号) of the sanction decision."))
    if len(document_number) > DOCUMENT_NUMBER_MAX_LENGTH:
        raise ServiceError(
            _("The document number is too long: at most %(count)s characters.")
            % {"count": DOCUMENT_NUMBER_MAX_LENGTH}
        )
    return kind, dated, document_number, (note or "").strip()


@transaction.atomic
def sanction_record(
    *,
    actor,
    staff: Staff,
    kind: str,
    dated: datetime.date | None,
    document_number: str,
    note: str = "",
) -> Sanction:
    """Record a 处分 against ``staff``; its influence period runs from ``dated``."""
    require_right(actor, "record_sanction")
    kind, dated, document_number, note = _checked(
        kind=kind, dated=dated, document_number=document_number, note=note
    )
    sanction = Sanction(
        staff=staff,
        kind=kind,
        dated=dated,
        document_number=document_number,
        note=note,
        recorded_by=actor,
    )
    sanction.full_clean()
    sanction.save()
    record(
        actor=actor,
        obj=sanction,
        action=AuditAction.CREATE,
        changes=diff({}, snapshot(sanction, FIELDS)),
    )
    return sanction


def _locked(sanction: Sanction) -> Sanction:
    locked = Sanction.objects.select_for_update().select_related("staff").get(pk=sanction.pk)
    if locked.withdrawn:
        raise ServiceError(
            _("This sanction was withdrawn; it can no longer change. Record a new one if needed.")
        )
    return locked


@transaction.atomic
def sanction_correct(
    *,
    actor,
    sanction: Sanction,
    kind: str,
    dated: datetime.date | None,
    document_number: str,
    note: str,
    reason: str,
) -> Sanction:
    """Correct a recorded 处分 (a typing mistake); the reason goes into its history."""
    require_right(actor, "record_sanction")
    reason = check_reason(reason, missing=_("Write why the sanction is corrected."))
    sanction = _locked(sanction)
    kind, dated, document_number, note = _checked(
        kind=kind, dated=dated, document_number=document_number, note=note
    )
    before = snapshot(sanction, FIELDS)
    sanction.kind, sanction.dated = kind, dated
    sanction.document_number, sanction.note = document_number, note
    changes = diff(before, snapshot(sanction, FIELDS))
    if not changes:
        raise ServiceError(_("Nothing was changed."))
    sanction.full_clean()
    sanction.save()
    record(actor=actor, obj=sanction, action=AuditAction.CORRECT, reason=reason, changes=changes)
    return sanction


@transaction.atomic
def sanction_withdraw(*, actor, sanction: Sanction, reason: str) -> Sanction:
    """Withdraw a 处分 (revoked, or recorded against the wrong person): it stops counting."""
    require_right(actor, "record_sanction")
    reason = check_reason(reason, missing=_("Write why the sanction is withdrawn."))
    sanction = _locked(sanction)
    sanction.withdrawn = True
    sanction.withdrawn_reason = reason
    sanction.withdrawn_by = actor
    sanction.withdrawn_at = timezone.now()
    sanction.save()
    record(
        actor=actor,
        obj=sanction,
        action=AuditAction.SANCTION_WITHDRAW,
        reason=reason,
        changes={"withdrawn": ["False", "True"]},
    )
    return sanction


@transaction.atomic
def influence_months_save(*, actor, months: dict[str, int]) -> list[str]:
    """Set several decisions' months at once, all or none; returns the decisions changed."""
    table = InfluenceMonths.table()
    changed = [d for d, value in months.items() if table.get(d, 0) != value]
    for decision in changed:
        influence_months_set(actor=actor, decision=decision, months=months[decision])
    return changed


@transaction.atomic
def influence_months_set(*, actor, decision: str, months: int) -> InfluenceMonths:
    """Set the months of one handling decision's influence period (0: none)."""
    require_right(actor, "change_influencemonths")
    if decision not in HandlingDecision.values or decision in influence.YEAR_END_DECISIONS:
        raise ServiceError(_("Choose a handling decision whose months can be set."))
    if isinstance(months, bool) or not isinstance(months, int) or not 0 <= months <= MAX_MONTHS:
        raise ServiceError(
            _("The months must be a whole number from 0 to %(max)s.") % {"max": MAX_MONTHS}
        )
    row = InfluenceMonths.objects.select_for_update().filter(decision=decision).first()
    before = str(row.months if row else influence.DEFAULT_DECISION_MONTHS.get(decision, 0))
    if before == str(months):
        raise ServiceError(_("Nothing was changed."))
    if row is None:
        row = InfluenceMonths(decision=decision, months=months)
    row.months = months
    row.full_clean(validate_unique=False)
    row.save()
    record(
        actor=actor,
        obj=row,
        action=AuditAction.CHANGE,
        changes={"months": [before, str(months)]},
    )
    return row
