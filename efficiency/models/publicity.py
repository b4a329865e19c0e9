"""公示 and 结果反馈: objections lodged during the window, and each person's own opinion after it.

An objection is about one person on the 公示 list, lodged by any user with a login; a leader
answers it once (成立 with a new grade, which goes through the decision service, or 不成立).
Feedback is one row per period and person: 同意, or 有异议 with a text.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .appraisal import Period
from .org import Staff
from .reviews import GRADE_CHOICES

OBJECTION_REASON_MAX_LENGTH = 500
REPLY_MAX_LENGTH = 500
FEEDBACK_TEXT_MAX_LENGTH = 500


class ObjectionAnswer(models.TextChoices):
    NONE = "", _("Not answered yet")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


class ObjectionFields(models.Model):
    """Who objected, why and when, and the leader's answer: a quarter's and the year's."""

    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lodged by"),
    )
    reason = models.TextField(_("reason"), max_length=OBJECTION_REASON_MAX_LENGTH)
    lodged_at = models.DateTimeField(_("lodged at"))
    answer = models.CharField(
        _("answer"), max_length=10, choices=ObjectionAnswer.choices, blank=True, default=""
    )
    reply = models.TextField(_("reply"), max_length=REPLY_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)


class Objection(ObjectionFields):
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="objections", verbose_name=_("period")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="objections", verbose_name=_("about")
    )
    new_grade = models.CharField(
        _("new grade"), max_length=20, choices=GRADE_CHOICES, blank=True, default=""
    )

    class Meta:
        ordering = ["period", "lodged_at", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.period.code} {self.staff.name}"


class FeedbackOpinion(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")


class Feedback(models.Model):
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("period")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("staff member")
    )
    opinion = models.CharField(_("opinion"), max_length=10, choices=FeedbackOpinion.choices)
    text = models.TextField(_("text"), max_length=FEEDBACK_TEXT_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["period", "staff"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [models.UniqueConstraint(fields=["period", "staff"], name="unique_feedback")]

    def __str__(self) -> str:
        return f"{self.period.code} {self.staff.name}"
