"""Writes of 出勤情况 (attendance): one person's absences, leave and lateness in a quarter."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from efficiency import results
from efficiency.models import Attendance, Period, Staff
from efficiency.models.audit import AuditAction

from . import ServiceError
from .appraisal import refuse_locked
from .audit import diff, record, snapshot

FIELDS = ["absent_days", "leave_days", "late_times"]
TENTH = Decimal("0.1")


# What is recorded when nothing is: a quarter without a record is a quarter of full attendance.
NOTHING_RECORDED = {"absent_days": "0", "leave_days": "0.0", "late_times": "0"}


def not_on_roster(*, period: Period, staff: Staff) -> str:
    return _("%(name)s (%(staff_no)s) was not on the roster in %(code)s.") % {
        "name": staff.name,
        "staff_no": staff.staff_no,
        "code": period.code,
    }


def check_on_roster(*, period: Period, staff: Staff) -> None:
    if not results.staff_in_period(period).filter(pk=staff.pk).exists():
        raise ServiceError(not_on_roster(period=period, staff=staff))


def problems_text(error: ValidationError) -> str:
    """The model's messages, each after the name of the figure it is about."""
    parts = []
    for name, messages in error.message_dict.items():
        for message in messages:
            if name in FIELDS:
                label = Attendance._meta.get_field(name).verbose_name
                message = _("%(field)s: %(error)s") % {"field": label, "error": message}
            parts.append(message)
    return "；".join(parts)


@transaction.atomic
def record_attendance(
    *,
    actor,
    period: Period,
    staff: Staff,
    absent_days: int,
    leave_days: Decimal,
    late_times: int,
    reason: str = "",
) -> Attendance:
    """Record a person's attendance in a quarter. The same figures again change nothing, and
    nor do all zeros for someone with nothing recorded (the instance returned is then unsaved)."""
    if actor is not None and not actor.has_perm("efficiency.change_attendance"):
        raise ServiceError(_("Only the administrator records attendance."))
    period = Period.objects.select_for_update().get(pk=period.pk)
    refuse_locked(period)
    check_on_roster(period=period, staff=staff)
    attendance = Attendance.objects.filter(period=period, staff=staff).first()
    before = snapshot(attendance, FIELDS) if attendance is not None else NOTHING_RECORDED
    created = attendance is None
    if created:
        attendance = Attendance(period=period, staff=staff)
    attendance.absent_days = absent_days
    leave_days = Decimal(leave_days)
    # 1.50 is 1.5; 1.25 stays as typed, for the model to refuse.
    if leave_days == leave_days.quantize(TENTH):
        leave_days = leave_days.quantize(TENTH)
    attendance.leave_days = leave_days
    attendance.late_times = late_times
    try:
        attendance.full_clean()
    except ValidationError as error:
        raise ServiceError(problems_text(error)) from None
    changes = diff(before, snapshot(attendance, FIELDS))
    if not changes:
        return attendance
    attendance.save()
    record(
        actor=actor,
        obj=attendance,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        reason=reason,
        changes=changes,
    )
    return attendance
