"""更正: a correction of one person's result in a locked quarter.

A locked quarter's stored results never change. When an upheld appeal or a 复核 shows a result
was wrong, a leader records a correction beside it; rankings, forms and the annual roll-up show
both and count the corrected one. Corrections are never edited: a new one supersedes the one
before (the latest not withdrawn is in force), and a withdrawal needs a reason.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from efficiency.scoring import Grade

from .appraisal import Period
from .incidents import Incident
from .org import Staff
from .records import WithdrawableRecord

GRADE_CHOICES = [(g.value, g.label) for g in Grade]


class CorrectionQuerySet(models.QuerySet):
    def in_force(self):
        """The latest correction not withdrawn, per person and period."""
        later = Correction.objects.filter(
            period_id=models.OuterRef("period_id"),
            staff_id=models.OuterRef("staff_id"),
            withdrawn=False,
            pk__gt=models.OuterRef("pk"),
        )
        return self.filter(withdrawn=False).exclude(models.Exists(later))


class Correction(WithdrawableRecord):
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("period")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("staff")
    )
    # The stored result as it stood when the correction was recorded, kept for the record.
    original_final = models.DecimalField(
        _("original final score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    original_grade = models.CharField(
        _("original grade"), max_length=20, choices=GRADE_CHOICES, blank=True
    )
    corrected_final = models.DecimalField(
        _("corrected final score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    corrected_grade = models.CharField(_("corrected grade"), max_length=20, choices=GRADE_CHOICES)
    what = models.TextField(_("what was wrong"))
    why = models.TextField(_("why it is corrected"))
    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("upheld appeal it follows"),
    )
    reference = models.CharField(_("basis (decision number)"), max_length=200, blank=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("correction (更正)")
        verbose_name_plural = _("corrections (更正)")
        permissions = [("record_correction", _("Can record and withdraw corrections after lock"))]

    def __str__(self) -> str:
        return f"{self.period.code} · {self.staff.name} · 更正"

    @property
    def basis(self) -> str:
        """What the correction follows: the upheld appeal's incident number or the reference."""
        return self.incident.number if self.incident_id else self.reference
