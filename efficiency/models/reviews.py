"""审核评鉴: the section head's 评价意见 and proposed grade, then the leader's decision.

One row per period and person. The published grade is the decided one where a decision exists,
else the computed grade (see ``efficiency.results.ranking``). The field names ``grade``,
``reason`` and ``decided_by`` are those of the former grade override, so the pages, exports and
PDFs that print "decided by … because …" read a decision the same way.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from efficiency.scoring import Grade

from .appraisal import Period
from .org import Staff

COMMENT_MAX_LENGTH = 300
GRADE_CHOICES = [(g.value, g.label) for g in Grade]


class ReviewFields(models.Model):
    """The section head's comment and reasons and the leader's, with who and when: a quarter's
    review and the year's. The grades, whose choices differ, are the subclasses' own."""

    # The section head's part.
    comment = models.TextField(_("evaluation comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
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
    # The leader's decision.
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

    class Meta:
        abstract = True

    @property
    def is_decided(self) -> bool:
        return bool(self.grade)

    def set_proposal(self, *, by, at, grade: str, comment: str, reason: str) -> None:
        self.proposed_grade, self.comment, self.proposal_reason = grade, comment, reason
        self.proposed_by, self.proposed_at = by, at

    def set_decision(self, *, by, at, grade: str, reason: str, computed: str) -> None:
        self.grade, self.reason, self.computed_at_decision = grade, reason, computed
        self.decided_by, self.decided_at = by, at


class GradeReview(ReviewFields):
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("period")
    )
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="grade_reviews",
        verbose_name=_("staff member"),
    )
    proposed_grade = models.CharField(
        _("proposed grade"), max_length=20, choices=GRADE_CHOICES, blank=True
    )
    # Blank: not decided yet.
    grade = models.CharField(_("decided grade"), max_length=20, choices=GRADE_CHOICES, blank=True)
    # The computed grade when the decision was made. A decision without a reason agreed with it;
    # once marks move it elsewhere that decision is stale (``results.stale_decisions``). Blank
    # where unknown (decisions made before this was kept in a locked period).
    computed_at_decision = models.CharField(
        _("computed grade when decided"), max_length=20, choices=GRADE_CHOICES, blank=True
    )

    class Meta:
        verbose_name = _("grade review")
        verbose_name_plural = _("grade reviews")
        constraints = [
            models.UniqueConstraint(fields=["period", "staff"], name="unique_grade_review")
        ]

    def __str__(self) -> str:
        return f"{self.period.code} {self.staff.name}"
