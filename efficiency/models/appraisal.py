"""The quarterly appraisal: periods with their frozen scheme, assessors' marks."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from efficiency.scoring import Grade

from .org import Section, Staff


class Criterion(models.Model):
    """A default criterion (考核指标); a period copies the active ones when it opens."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("criterion"), max_length=30, unique=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    order = models.PositiveIntegerField(_("display order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.name}（{self.weight}）"


class PeriodState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for scoring")
    CLOSED = "closed", _("Closed, published for review")
    LOCKED = "locked", _("Locked")


# The states whose results are published: closed for review (公示) or locked for good.
PUBLISHED_STATES = (PeriodState.CLOSED, PeriodState.LOCKED)


class Period(models.Model):
    """A quarter of the appraisal (2026Q3), with the scheme it was opened under."""

    code = models.CharField(
        _("period"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{4}Q[1-4]$", _("Write the quarter like 2026Q3."))],
    )
    year = models.PositiveIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    state = models.CharField(
        _("state"), max_length=10, choices=PeriodState.choices, default=PeriodState.DRAFT
    )
    # The thresholds and quotas in force when the period opened (scoring.Thresholds fields).
    thresholds = models.JSONField(_("thresholds"), default=dict)
    # The quota pools in force when the period opened, and who was counted in which
    # (efficiency.pools.to_json); None for a period opened before pools: one pool, as then.
    # Nullable without a default, so SQLite adds the column without rebuilding the table
    # (a rebuild would drop the lock triggers).
    pools = models.JSONField(_("quota pools"), null=True, blank=True, editable=False)
    # Frozen at lock: each subject's deductions and display facts, so that later incident
    # changes never alter a locked period's results.
    frozen = models.JSONField(_("frozen inputs"), null=True, blank=True, editable=False)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    # Set when the period opens; the app reminds those behind two working days before each.
    summary_due = models.DateField(_("summaries due"), null=True, blank=True)
    marks_due = models.DateField(_("marks due"), null=True, blank=True)
    # Set when the period closes (公示): the window runs this many working days from the
    # first working day after the close date, to ``publicity_ends``; cleared on reopening.
    publicity_days = models.PositiveSmallIntegerField(_("publicity days"), null=True, blank=True)
    publicity_ends = models.DateField(_("publicity ends"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("appraisal period")
        verbose_name_plural = _("appraisal periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="period_quarter_1_to_4"
            )
        ]
        permissions = [
            ("open_period", _("Can open appraisal periods")),
            ("close_period", _("Can close, reopen and lock appraisal periods")),
            ("view_results", _("Can see rankings and score cards of everyone")),
            ("override_grade", _("Can override a grade with a reason")),
        ]

    def __str__(self) -> str:
        return _("%(year)s, quarter %(quarter)s") % {"year": self.year, "quarter": self.quarter}

    @property
    def is_locked(self) -> bool:
        return self.state == PeriodState.LOCKED

    @property
    def accepts_marks(self) -> bool:
        return self.state == PeriodState.OPEN


class PeriodCriterion(models.Model):
    """A criterion as it stood when the period opened."""

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="criteria", verbose_name=_("period")
    )
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("criterion"), max_length=30)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    order = models.PositiveIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["period", "order", "code"]
        verbose_name = _("period criterion")
        verbose_name_plural = _("period criteria")
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="unique_period_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.period.code} {self.name}"


class Score(models.Model):
    """One assessor's mark for one person or section on one criterion.

    Marks are stored as integer tenths (87.5 → 875): no database ever hands back a float.
    """

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="scores", verbose_name=_("period")
    )
    criterion = models.ForeignKey(
        PeriodCriterion,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("criterion"),
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="scores_given",
        verbose_name=_("assessor"),
    )
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scores",
        verbose_name=_("staff member"),
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scores",
        verbose_name=_("section"),
    )
    tenths = models.PositiveSmallIntegerField(
        _("mark (tenths)"), validators=[MaxValueValidator(1000)]
    )
    reason = models.TextField(_("reason"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        permissions = [
            # The secretary types in marks handed in on paper, each as its assessor gave it.
            ("enter_marks_for_others", _("Can enter marks on behalf of assessors")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(staff__isnull=True, section__isnull=False)
                | Q(staff__isnull=False, section__isnull=True),
                name="score_one_subject",
            ),
            models.CheckConstraint(condition=Q(tenths__lte=1000), name="score_at_most_100"),
            models.UniqueConstraint(
                fields=["period", "assessor", "staff", "criterion"],
                condition=Q(staff__isnull=False),
                name="unique_staff_score",
            ),
            models.UniqueConstraint(
                fields=["period", "assessor", "section", "criterion"],
                condition=Q(section__isnull=False),
                name="unique_section_score",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "staff"]),
            models.Index(fields=["period", "section"]),
        ]

    def __str__(self) -> str:
        return f"{self.period.code} {self.staff or self.section} {self.mark}"

    @property
    def mark(self) -> Decimal:
        return Decimal(self.tenths) / 10


class GradeOverride(models.Model):
    """Superseded by :class:`GradeReview` (审核评鉴): migration 0013 turned every row into a
    decision. Kept, no longer read or written, until a later migration drops the table."""

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="overrides", verbose_name=_("period")
    )
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="grade_overrides",
        verbose_name=_("staff member"),
    )
    grade = models.CharField(_("grade"), max_length=20)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)

    class Meta:
        verbose_name = _("grade override")
        verbose_name_plural = _("grade overrides")
        constraints = [
            models.UniqueConstraint(fields=["period", "staff"], name="unique_grade_override")
        ]

    def __str__(self) -> str:
        label = Grade(self.grade).label if self.grade in Grade._value2member_map_ else self.grade
        return f"{self.period.code} {self.staff.name} {label}"
