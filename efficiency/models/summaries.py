"""个人小结: each person's written summary of their quarter, and where it stands."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .appraisal import Period
from .org import Staff

SUMMARY_MAX_LENGTH = 1000


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class Summary(models.Model):
    """One person's 个人小结 for one quarter, written by them or entered from paper."""

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="summaries", verbose_name=_("period")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="summaries", verbose_name=_("staff member")
    )
    text = models.TextField(_("summary"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    head_comment = models.TextField(_("head's comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["period", "staff__section__order", "staff__staff_no"]
        verbose_name = _("personal summary")
        verbose_name_plural = _("personal summaries")
        constraints = [
            models.UniqueConstraint(fields=["period", "staff"], name="unique_period_summary")
        ]

    def __str__(self) -> str:
        return f"{self.period.code} {self.staff.name}"
