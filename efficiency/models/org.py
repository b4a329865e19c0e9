"""The roster: sections (科室) and staff (干部职工)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from efficiency import wording


class Section(models.Model):
    code = models.CharField(
        _("section code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", _("Use letters, digits, - or _ only."))],
    )
    name = models.CharField(_("section name"), max_length=50, unique=True)
    order = models.PositiveIntegerField(_("display order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    heads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="headed_sections",
        verbose_name=_("section heads"),
        help_text=_("Accounts that see everything about this section."),
    )
    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="clerk_sections",
        verbose_name=_("clerks"),
        help_text=_("Accounts that may record incidents against this section."),
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.name


class StaffQuerySet(models.QuerySet):
    def current(self):
        return self.filter(end_date__isnull=True)


class Gender(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class PoliticalStatus(models.TextChoices):
    """政治面貌, as the personnel forms list it."""

    CPC_MEMBER = "cpc_member", _("CPC member")
    CPC_PROBATIONARY = "cpc_probationary", _("CPC probationary member")
    CYL_MEMBER = "cyl_member", _("Communist Youth League member")
    DEMOCRATIC_PARTY = "democratic_party", _("democratic party member")
    NON_PARTISAN = "non_partisan", _("non-partisan")
    MASSES = "masses", _("ordinary citizen")


class StaffCategory(models.TextChoices):
    """人员类别: which rules name the annual grades (see wording.annual_label)."""

    CIVIL_SERVANT = wording.CIVIL_SERVANT, _("civil servant")
    INSTITUTION = wording.INSTITUTION, _("public institution staff")


class Staff(models.Model):
    staff_no = models.CharField(
        _("staff number"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$", _("Use letters, digits or - only."))],
        help_text=_("Kept as text: 001023 stays 001023."),
    )
    name = models.CharField(_("name"), max_length=30, db_index=True)
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="staff", verbose_name=_("section")
    )
    post = models.CharField(_("post"), max_length=50, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(
        _("date of birth"),
        null=True,
        blank=True,
        help_text=_("Only the year and month are printed (1985年3月)."),
    )
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus.choices, blank=True
    )
    rank = models.CharField(
        _("rank"), max_length=30, blank=True, help_text=_("e.g. 一级科员, 四级主任科员.")
    )
    # Nullable without a default: SQLite adds the column without rebuilding the counted table.
    post_since = models.DateField(
        _("in present post since"),
        null=True,
        blank=True,
        help_text=_("Took up the present post and rank on; printed as 2019年7月."),
    )
    duties = models.CharField(_("work done or overseen"), max_length=200, blank=True)
    category = models.CharField(
        _("staff category"),
        max_length=20,
        choices=StaffCategory.choices,
        default=StaffCategory.CIVIL_SERVANT,
        help_text=_("事业编 staff's annual grades read 优秀, 合格, 基本合格, 不合格."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Set when the person leaves the office.")
    )
    probation_ends = models.DateField(
        _("probation ends"),
        null=True,
        blank=True,
        help_text=_("A new recruit's last day of probation: proposes 不定等次 for those quarters."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("login account"),
    )

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["section__order", "staff_no"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="staff_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.staff_no}）"

    @property
    def is_current(self) -> bool:
        return self.end_date is None
