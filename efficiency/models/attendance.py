"""出勤情况: a person's attendance in a quarter, as the office's 登记表 records it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from efficiency.quarters import Quarter

from .appraisal import Period
from .org import Staff


def _half_days(value: Decimal) -> None:
    if value is not None and (value * 2) % 1:
        raise ValidationError(_("Write days in whole or half days, e.g. 1.5."))


class Attendance(models.Model):
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("period")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("staff member")
    )
    absent_days = models.PositiveSmallIntegerField(_("days absent without leave"), default=0)
    leave_days = models.DecimalField(
        _("days of sick or personal leave"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), _half_days],
    )
    late_times = models.PositiveSmallIntegerField(_("times late or left early"), default=0)

    class Meta:
        ordering = ["period", "staff__staff_no"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["period", "staff"], name="unique_attendance"),
            models.CheckConstraint(condition=Q(leave_days__gte=0), name="attendance_leave_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.period.code} {self.staff.name}"

    def clean(self) -> None:
        super().clean()
        if self.period_id is None or self.leave_days is None or self.absent_days is None:
            return
        days = Quarter.parse(self.period.code).days
        total = self.absent_days + self.leave_days
        if total > days:
            raise ValidationError(
                _(
                    "Days absent and days of leave add up to %(total)s, more than the "
                    "%(days)s days of the quarter."
                )
                % {"total": total.normalize(), "days": days}
            )
