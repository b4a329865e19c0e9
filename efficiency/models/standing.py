"""A person's standing in a quarter or a year (考核情况): 不定等次 or 不参加考核, with a reason.

No row means 参加考核, the default. ``quarter`` NULL is the annual appraisal.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from efficiency.scoring import Standing

from .org import Staff


class StandingKind(models.TextChoices):
    """The standings a row can hold (参加考核 is the absence of a row)."""

    UNDETERMINED = Standing.UNDETERMINED.value, _("no grade determined")
    ABSENT = Standing.ABSENT.value, _("not appraised")


class StandingReason(models.TextChoices):
    PROBATION = "probation", _("probation of a new recruit")
    INVESTIGATION = "investigation", _("under investigation, case not closed")
    SANCTION = "sanction", _("serving a disciplinary sanction")
    LONG_LEAVE = "long_leave", _("sick or personal leave over half a year in total")
    SECONDED = "seconded", _("seconded elsewhere or stationed in a village")


# Which reasons fit which standing; LONG_LEAVE is for the annual appraisal only.
REASONS_FOR: dict[str, tuple[str, ...]] = {
    StandingKind.UNDETERMINED: (
        StandingReason.PROBATION,
        StandingReason.INVESTIGATION,
        StandingReason.SANCTION,
    ),
    StandingKind.ABSENT: (StandingReason.LONG_LEAVE, StandingReason.SECONDED),
}
ANNUAL_ONLY_REASONS = (StandingReason.LONG_LEAVE,)
STANDING_NOTE_MAX_LENGTH = 200


class StaffStanding(models.Model):
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="standings", verbose_name=_("staff member")
    )
    year = models.PositiveIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), null=True, blank=True, help_text=_("Empty: the annual appraisal.")
    )
    standing = models.CharField(_("standing"), max_length=20, choices=StandingKind.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=StandingReason.choices)
    note = models.CharField(_("note"), max_length=STANDING_NOTE_MAX_LENGTH, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"))

    class Meta:
        ordering = ["year", "quarter", "staff__staff_no"]
        verbose_name = _("standing")
        verbose_name_plural = _("standings")
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "year", "quarter"],
                condition=Q(quarter__isnull=False),
                name="standing_one_per_quarter",
            ),
            models.UniqueConstraint(
                fields=["staff", "year"],
                condition=Q(quarter__isnull=True),
                name="standing_one_per_year",
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="standing_quarter_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        when = f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)
        return f"{self.staff} · {when} · {self.get_standing_display()}"
