"""The year's own decision (年度考核审定): the proposal and the committee's decision per person.

A year has no Period row; :class:`AnnualAppraisal` is its small record (one per year), and
:class:`AnnualReview` holds, per person, the section head's 评语 and proposed grade and the
leader's decided grade, as :class:`~efficiency.models.reviews.GradeReview` does for a quarter.
The computed annual grade (``results.annual_rollup``) is the 建议等次.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from efficiency.scoring import AnnualGrade

from .org import Staff
from .reviews import COMMENT_MAX_LENGTH

ANNUAL_GRADE_CHOICES = [(g.value, g.label) for g in AnnualGrade]


class AnnualState(models.TextChoices):
    DECIDING = "deciding", _("Proposals and decisions")


class AnnualAppraisal(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    state = models.CharField(
        _("state"), max_length=20, choices=AnnualState.choices, default=AnnualState.DECIDING
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual appraisal")
        verbose_name_plural = _("annual appraisals")

    def __str__(self) -> str:
        return str(self.year)


class AnnualReview(models.Model):
    appraisal = models.ForeignKey(
        AnnualAppraisal,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("annual appraisal"),
    )
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="annual_reviews",
        verbose_name=_("staff member"),
    )
    # The section head's part: the 评语 and the proposed grade.
    comment = models.TextField(_("evaluation comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    proposed_grade = models.CharField(
        _("proposed grade"), max_length=20, choices=ANNUAL_GRADE_CHOICES, blank=True
    )
    proposal_reason = models.TextField(_("reason for the proposal"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    # The committee's decision (审定); blank grade: not decided yet.
    grade = models.CharField(
        _("decided grade"), max_length=20, choices=ANNUAL_GRADE_CHOICES, blank=True
    )
    reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    computed_at_decision = models.CharField(
        _("computed grade when decided"), max_length=20, choices=ANNUAL_GRADE_CHOICES, blank=True
    )

    class Meta:
        verbose_name = _("annual grade review")
        verbose_name_plural = _("annual grade reviews")
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "staff"], name="unique_annual_review")
        ]

    def __str__(self) -> str:
        return f"{self.appraisal.year} {self.staff.name}"
