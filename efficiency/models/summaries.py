"""个人小结 and 个人总结: each person's written summary of their quarter or their year, and where
it stands.

:class:`SummaryFields` holds what both have (the text, its status, who entered it, the head's
comment, the times); :class:`Summary` is about a quarter (a :class:`Period`) and
:class:`AnnualSummary` about a year. The rules that write them are one path,
:mod:`efficiency.services.summaries`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .appraisal import Period
from .org import Staff

SUMMARY_MAX_LENGTH = 1000
ANNUAL_SUMMARY_MAX_LENGTH = 3000


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class SummaryFields(models.Model):
    """What a summary is, whatever it summarises. ``MAX_LENGTH`` is its limit in characters."""

    MAX_LENGTH = SUMMARY_MAX_LENGTH

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
        abstract = True


class Summary(SummaryFields):
    """One person's 个人小结 for one quarter, written by them or entered from paper."""

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="summaries", verbose_name=_("period")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="summaries", verbose_name=_("staff member")
    )

    class Meta:
        ordering = ["period", "staff__section__order", "staff__staff_no"]
        verbose_name = _("personal summary")
        verbose_name_plural = _("personal summaries")
        constraints = [
            models.UniqueConstraint(fields=["period", "staff"], name="unique_period_summary")
        ]

    def __str__(self) -> str:
        return f"{self.period.code} {self.staff.name}"


class AnnualSummary(SummaryFields):
    """One person's 个人总结 for one year, printed on the 年度考核登记表.

    A year's summary may be up to 3,000 characters (a quarter's 个人小结 up to 1,000): it covers
    four quarters and fills the form's largest box. It is about a plain year rather than the
    year's :class:`~efficiency.models.AnnualAppraisal`, which is only created by the first
    proposal, while people write from the opening of the year's fourth quarter.
    """

    MAX_LENGTH = ANNUAL_SUMMARY_MAX_LENGTH

    year = models.PositiveSmallIntegerField(_("year"))
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="annual_summaries",
        verbose_name=_("staff member"),
    )
    text = models.TextField(_("summary"), max_length=ANNUAL_SUMMARY_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["-year", "staff__section__order", "staff__staff_no"]
        verbose_name = _("annual personal summary")
        verbose_name_plural = _("annual personal summaries")
        constraints = [
            models.UniqueConstraint(fields=["year", "staff"], name="unique_annual_summary")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.staff.name}"
