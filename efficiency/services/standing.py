"""Writes of standings (考核情况): 不定等次 or 不参加考核 for a quarter or the year, with a reason.

Who: the administrator (who keeps the roster). Rules: the reason must fit the standing; 病、事假
累计超过半年 is for the annual appraisal only; a locked quarter's standings never change. Every
change is recorded in the person's history.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency import standings
from efficiency.models import (
    REASONS_FOR,
    STANDING_NOTE_MAX_LENGTH,
    Period,
    PeriodState,
    Staff,
    StaffStanding,
    StandingKind,
    StandingReason,
)
from efficiency.models.audit import AuditAction
from efficiency.models.standing import ANNUAL_ONLY_REASONS

from . import ServiceError
from .audit import record
from .summaries import is_administrator


def may_set_standing(user) -> bool:
    return is_administrator(user)


def may_see_standings(user) -> bool:
    return user.is_active and (may_set_standing(user) or user.has_perm("efficiency.view_results"))


def _check_may(actor, year: int, quarter: int | None) -> None:
    """The administrator, on a quarter that exists and is not locked (or the year)."""
    if not may_set_standing(actor):
        raise ServiceError(_("Only the administrator sets standings."))
    if quarter is not None and not 1 <= quarter <= 4:
        raise ServiceError(_("A quarter is numbered 1 to 4."))
    if (
        quarter
        and Period.objects.filter(year=year, quarter=quarter, state=PeriodState.LOCKED).exists()
    ):
        raise ServiceError(
            _("%(period)s is locked: its standings can no longer change.")
            % {"period": standings.period_label(year, quarter)}
        )


def _snapshot(row: StaffStanding | None) -> dict[str, str]:
    if row is None:
        return {"standing": "", "reason": "", "note": ""}
    return {"standing": row.standing, "reason": row.reason, "note": row.note}


def _record(actor, staff: Staff, period: str, before: dict, after: dict, action: str) -> None:
    """One history entry on the person: what changed, and for which quarter or year."""
    changes: dict = {
        key: [before[key], value] for key, value in after.items() if before[key] != value
    }
    record(actor=actor, obj=staff, action=action, changes={**changes, "period": period})


@transaction.atomic
def set_standing(
    *,
    actor,
    staff: Staff,
    year: int,
    quarter: int | None,
    standing: str,
    reason: str,
    note: str = "",
) -> StaffStanding:
    """Set a person's 不定等次 or 不参加考核 for a quarter (``quarter``) or the year (None)."""
    _check_may(actor, year, quarter)
    if standing not in StandingKind.values:
        raise ServiceError(_("Choose 不定等次 or 不参加考核."))
    if reason not in REASONS_FOR[standing]:
        raise ServiceError(
            _("“%(reason)s” is not a reason for %(standing)s.")
            % {
                "reason": StandingReason(reason).label
                if reason in StandingReason.values
                else reason,
                "standing": StandingKind(standing).label,
            }
        )
    if quarter and reason in ANNUAL_ONLY_REASONS:
        raise ServiceError(
            _("“%(reason)s” applies to the annual appraisal only, not to a quarter.")
            % {"reason": StandingReason(reason).label}
        )
    note = note.strip()
    if len(note) > STANDING_NOTE_MAX_LENGTH:
        raise ServiceError(
            _("The note is too long: at most %(max)s characters.")
            % {"max": STANDING_NOTE_MAX_LENGTH}
        )
    row = (
        standings.standings_of(year, quarter)
        .select_for_update(of=("self",))
        .filter(staff=staff)
        .first()
    )
    before = _snapshot(row)
    if row is None:
        row = StaffStanding(staff=staff, year=year, quarter=quarter)
    row.standing, row.reason, row.note = standing, reason, note
    after = _snapshot(row)
    if before == after:
        return row
    row.set_by, row.set_at = actor, timezone.now()
    row.full_clean()
    row.save()
    period = standings.period_label(year, quarter)
    _record(actor, staff, period, before, after, AuditAction.STANDING_SET)
    return row


@transaction.atomic
def clear_standing(*, actor, staff: Staff, year: int, quarter: int | None) -> bool:
    """Back to 参加考核. Returns whether there was a standing to clear."""
    _check_may(actor, year, quarter)
    row = standings.standings_of(year, quarter).filter(staff=staff).first()
    if row is None:
        return False
    before = _snapshot(row)
    row.delete()
    period = standings.period_label(year, quarter)
    _record(actor, staff, period, before, _snapshot(None), AuditAction.STANDING_CLEAR)
    return True


@transaction.atomic
def apply_probation_proposals(*, actor, year: int, quarter: int | None) -> int:
    """Set 不定等次（新录用试用期） for everyone the probation dates propose; returns how many."""
    _check_may(actor, year, quarter)
    proposals = standings.probation_proposals(year, quarter)
    for proposal in proposals:
        set_standing(
            actor=actor,
            staff=proposal.staff,
            year=year,
            quarter=quarter,
            standing=StandingKind.UNDETERMINED,
            reason=StandingReason.PROBATION,
            note=_("probation until %(date)s")
            % {"date": f"{proposal.probation_ends:%Y年%-m月%-d日}"},
        )
    return len(proposals)
