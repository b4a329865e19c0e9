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
from .publicity import (
    FEEDBACK_TEXT_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    FeedbackOpinion,
    ObjectionFields,
)
from .reviews import ReviewFields

ANNUAL_GRADE_CHOICES = [(g.value, g.label) for g in AnnualGrade]


class AnnualState(models.TextChoices):
    DECIDING = "deciding", _("Proposals and decisions")
    PUBLICITY = "publicity", _("优秀 published")
    NOTIFIED = "notified", _("Result notices issued")


class AnnualAppraisal(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    state = models.CharField(
        _("state"), max_length=20, choices=AnnualState.choices, default=AnnualState.DECIDING
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    # 公示 of those decided 优秀: from the day after publishing to the last working day.
    published_on = models.DateField(_("published on"), null=True, blank=True)
    publicity_ends = models.DateField(_("publicity ends"), null=True, blank=True)
    # The date printed on every 考核结果通知书; the review clock runs from it.
    notice_date = models.DateField(_("date of the result notice"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual appraisal")
        verbose_name_plural = _("annual appraisals")

    def __str__(self) -> str:
        return str(self.year)


class AnnualReview(ReviewFields):
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
    proposed_grade = models.CharField(
        _("proposed grade"), max_length=20, choices=ANNUAL_GRADE_CHOICES, blank=True
    )
    # The committee's decision (审定); blank: not decided yet.
    grade = models.CharField(
        _("decided grade"), max_length=20, choices=ANNUAL_GRADE_CHOICES, blank=True
    )
    computed_at_decision = models.CharField(
        _("computed grade when decided"), max_length=20, choices=ANNUAL_GRADE_CHOICES, blank=True
    )
    # 本人意见 on the result notice, by the person or the administrator from paper.
    opinion = models.CharField(
        _("opinion"), max_length=10, choices=FeedbackOpinion.choices, blank=True
    )
    opinion_text = models.TextField(_("text"), max_length=FEEDBACK_TEXT_MAX_LENGTH, blank=True)
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    opinion_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual grade review")
        verbose_name_plural = _("annual grade reviews")
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "staff"], name="unique_annual_review")
        ]

    def __str__(self) -> str:
        return f"{self.appraisal.year} {self.staff.name}"


class AnnualObjection(ObjectionFields):
    """An objection (异议) to someone on the year's 公示 list of 优秀; a leader answers it once."""

    appraisal = models.ForeignKey(
        AnnualAppraisal,
        on_delete=models.PROTECT,
        related_name="objections",
        verbose_name=_("annual appraisal"),
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="annual_objections", verbose_name=_("about")
    )
    new_grade = models.CharField(
        _("new grade"), max_length=20, choices=ANNUAL_GRADE_CHOICES, blank=True, default=""
    )

    class Meta:
        ordering = ["appraisal", "lodged_at", "pk"]
        verbose_name = _("annual objection")
        verbose_name_plural = _("annual objections")

    def __str__(self) -> str:
        return f"{self.appraisal.year} {self.staff.name}"


class ClockStep(models.TextChoices):
    REVIEW_REQUEST = "review_request", _("Review requested (复核申请)")
    REVIEW_DECISION = "review_decision", _("Review decided (复核决定)")
    APPEAL = "appeal", _("Appeal lodged (申诉)")
    APPEAL_DECISION = "appeal_decision", _("Appeal decided (申诉处理)")


class ClockOutcome(models.TextChoices):
    NONE = "", _("—")
    KEPT = "kept", _("Grade kept")
    CHANGED = "changed", _("Grade changed")


class AnnualClockStep(models.Model):
    """One step of a 不称职 person's 复核 and 申诉 after their result notice: who, when, what."""

    review = models.ForeignKey(
        AnnualReview,
        on_delete=models.PROTECT,
        related_name="clock_steps",
        verbose_name=_("annual grade review"),
    )
    step = models.CharField(_("step"), max_length=20, choices=ClockStep.choices)
    on = models.DateField(_("date"))
    text = models.TextField(_("text"), max_length=REPLY_MAX_LENGTH)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ClockOutcome.choices, blank=True, default=""
    )
    new_grade = models.CharField(
        _("new grade"), max_length=20, choices=ANNUAL_GRADE_CHOICES, blank=True, default=""
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["review", "on", "pk"]
        verbose_name = _("review or appeal step")
        verbose_name_plural = _("review and appeal steps")
        constraints = [
            models.UniqueConstraint(fields=["review", "step"], name="unique_annual_clock_step")
        ]

    def __str__(self) -> str:
        return f"{self.review} {self.step}"
