"""The three errors (三误): the standards catalogue and the incidents judged under it."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Left, Length
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .org import Section, Staff


class IncidentKind(models.TextChoices):
    DELAY = "delay", pgettext_lazy("three errors", "Delay")
    SLIP = "slip", pgettext_lazy("three errors", "Slip")
    ERROR = "error", pgettext_lazy("three errors", "Error")


class Severity(models.TextChoices):
    MINOR = "minor", pgettext_lazy("severity", "Minor")
    SERIOUS = "serious", pgettext_lazy("severity", "Serious")
    GRAVE = "grave", pgettext_lazy("severity", "Grave")


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    VERIFIED = "verified", _("Verified")
    HANDLED = "handled", _("Handled")
    DISMISSED = "dismissed", _("Dismissed")


class IncidentSource(models.TextChoices):
    """How the office came to know of the incident."""

    INSPECTION = "inspection", pgettext_lazy("incident source", "Inspection")
    COMPLAINT = "complaint", pgettext_lazy("incident source", "Complaint")
    ASSIGNED = "assigned", pgettext_lazy("incident source", "Assigned by a leader")
    SELF_CHECK = "self_check", pgettext_lazy("incident source", "Self-check")
    OTHER = "other", pgettext_lazy("incident source", "Other")


ESTABLISHED_STATUSES = (IncidentStatus.VERIFIED, IncidentStatus.HANDLED)


class HandlingDecision(models.TextChoices):
    """Accountability steps, in rising order: a repeat escalates to the next one."""

    REMINDER_TALK = "reminder_talk", _("Reminder talk")
    CRITICISM = "criticism", _("Criticism and education")
    WRITTEN_SELF_CRITICISM = "written_self_criticism", _("Ordered written self-examination")
    CIRCULATED_CRITICISM = "circulated_criticism", _("Criticism circulated in the office")
    ADMONITION_TALK = "admonition_talk", _("Admonition talk")
    NO_ANNUAL_AWARD = "no_annual_award", _("Disqualified from annual awards")
    REASSIGNMENT = "reassignment", _("Reassigned to another post")

    @classmethod
    def ordered(cls) -> list["HandlingDecision"]:
        return list(cls)

    @classmethod
    def next_after(cls, decision: str | None) -> "HandlingDecision":
        steps = cls.ordered()
        if not decision:
            return steps[0]
        index = steps.index(cls(decision))
        return steps[min(index + 1, len(steps) - 1)]


class ResultUse(models.TextChoices):
    NONE = "", _("Not yet used")
    AWARDS = "awards", _("Awards and honours")
    PROMOTION = "promotion", _("Promotion")
    ACCOUNTABILITY = "accountability", _("Accountability")


class AppealStatus(models.TextChoices):
    NONE = "", _("No appeal")
    PENDING = "pending", _("Appeal pending")
    UPHELD = "upheld", _("Appeal upheld")
    PARTLY_UPHELD = "partial", _("Appeal upheld in part: handling lightened")
    REJECTED = "rejected", _("Appeal rejected")


# Default deduction points per incident and person named, by kind and severity (DOMAIN.md).
DEFAULT_POINTS = {
    IncidentKind.DELAY: {Severity.MINOR: 1, Severity.SERIOUS: 2, Severity.GRAVE: 4},
    IncidentKind.SLIP: {Severity.MINOR: 2, Severity.SERIOUS: 4, Severity.GRAVE: 8},
    IncidentKind.ERROR: {Severity.MINOR: 3, Severity.SERIOUS: 6, Severity.GRAVE: 12},
}

points_field_kwargs = {
    "max_digits": 5,
    "decimal_places": 1,
    "validators": [MinValueValidator(Decimal("0"))],
}


class Standard(models.Model):
    code = models.CharField(
        _("clause code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}-\d{2,3}$", _("Write the code like YW-03."))],
    )
    kind = models.CharField(_("kind"), max_length=10, choices=IncidentKind.choices)
    text = models.TextField(_("clause text"))
    points_minor = models.DecimalField(_("points (minor)"), **points_field_kwargs)
    points_serious = models.DecimalField(_("points (serious)"), **points_field_kwargs)
    points_grave = models.DecimalField(_("points (grave)"), **points_field_kwargs)
    active = models.BooleanField(_("active"), default=True)
    # The clause applies to incidents that happened within these dates (either end open).
    # A clause superseded by a revision keeps its end date and stays choosable for the days
    # it covered, even once inactive.
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_until = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("three-errors standard")
        verbose_name_plural = _("three-errors standards")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="standard_valid_until_after_from",
                violation_error_message=_("A clause cannot end before it comes into force."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    def applies_on(self, day) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_until is None or day <= self.valid_until
        )

    def points_for(self, severity: str) -> Decimal:
        return {
            Severity.MINOR: self.points_minor,
            Severity.SERIOUS: self.points_serious,
            Severity.GRAVE: self.points_grave,
        }[Severity(severity)]


class IncidentSequence(models.Model):
    """Hands out incident numbers (2026-0001) one year at a time, under a row lock."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("incident number sequence")
        verbose_name_plural = _("incident number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def number_order(field: str = "number", *, descending: bool = False) -> list:
    """ORDER BY terms that sort incident numbers as numbers: 2026-9999 before 2026-10000.

    A number is the year, a dash and a serial padded to four digits that grows a digit past
    9,999; so: the year, then the length, then the text.
    """
    terms = [Left(field, 4), Length(field), F(field)]
    return [term.desc() if descending else term.asc() for term in terms]


def number_sort_key(number: str) -> tuple[int, int, str]:
    """The same order in Python (for lists already fetched)."""
    year, _dash, serial = number.partition("-")
    return (int(year) if year.isdigit() else 0, int(serial) if serial.isdigit() else 0, number)


class Incident(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=IncidentKind.choices)
    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("clause")
    )
    # The clause as it stood when the incident was judged: the catalogue changes year to year.
    clause_code = models.CharField(_("clause code"), max_length=20)
    clause_text = models.TextField(_("clause text"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    points = models.DecimalField(_("points per person"), **points_field_kwargs)
    occurred_on = models.DateField(_("date it happened"), db_index=True)
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("section")
    )
    responsible = models.ManyToManyField(
        Staff,
        through="IncidentResponsible",
        related_name="incidents",
        verbose_name=_("responsible staff"),
    )
    description = models.TextField(_("description"))
    source = models.CharField(
        _("source"),
        max_length=12,
        choices=IncidentSource.choices,
        default=IncidentSource.OTHER,
        db_index=True,
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=IncidentStatus.choices,
        default=IncidentStatus.REPORTED,
        db_index=True,
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reported_incidents",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    dismissal_reason = models.TextField(_("reason for dismissal"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified or dismissed by"),
    )
    decided_at = models.DateTimeField(_("verified or dismissed at"), null=True, blank=True)
    handling_decision = models.CharField(
        _("handling decision"), max_length=30, choices=HandlingDecision.choices, blank=True
    )
    handling_note = models.TextField(_("handling note"), blank=True)
    result_use = models.CharField(
        _("where the result was used"), max_length=20, choices=ResultUse.choices, blank=True
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    appeal_status = models.CharField(
        _("appeal"), max_length=10, choices=AppealStatus.choices, blank=True
    )
    appeal_text = models.TextField(_("grounds of appeal"), blank=True)
    appealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appealed by"),
    )
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    appeal_reason = models.TextField(_("reason for the appeal decision"), blank=True)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appeal decided by"),
    )
    appeal_decided_at = models.DateTimeField(_("appeal decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_on", *number_order(descending=True)]
        verbose_name = _("three-errors incident")
        verbose_name_plural = _("three-errors incidents")
        permissions = [
            ("view_all_incidents", _("Can see every incident office-wide")),
            ("view_section_incidents", _("Can see the incidents of the sections they head")),
            ("verify_incident", _("Can verify or dismiss incidents")),
            ("handle_incident", _("Can record handling decisions")),
            ("decide_appeal", _("Can decide appeals")),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def is_established(self) -> bool:
        return self.status in ESTABLISHED_STATUSES

    @property
    def quarter(self) -> str:
        return f"{self.occurred_on.year}Q{(self.occurred_on.month - 1) // 3 + 1}"


class IncidentResponsible(models.Model):
    """A person named responsible, with the section they were in when it was recorded."""

    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        related_name="responsibilities",
        verbose_name=_("three-errors incident"),
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="responsibilities", verbose_name=_("staff")
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="+", verbose_name=_("section at the time")
    )

    class Meta:
        verbose_name = _("person responsible")
        verbose_name_plural = _("people responsible")
        constraints = [
            models.UniqueConstraint(fields=["incident", "staff"], name="unique_responsible")
        ]

    def __str__(self) -> str:
        return str(self.staff)


class Explanation(models.Model):
    """An explanation (申辩) by a person named, or their section head, before verification."""

    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        related_name="explanations",
        verbose_name=_("three-errors incident"),
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("on behalf of")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("explanation"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("explanation")
        verbose_name_plural = _("explanations")

    def __str__(self) -> str:
        return f"{self.incident.number} · {self.staff.name}"
