"""处分 (disciplinary sanctions) and the months of the handling decisions' influence periods.

The periods themselves and the annual vetoes they bring are pure rules in
:mod:`efficiency.influence`; these tables hold what the office recorded and chose.
"""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from efficiency import influence

from .incidents import HandlingDecision
from .org import Staff
from .records import WithdrawableRecord


class SanctionKind(models.TextChoices):
    WARNING = influence.WARNING, _("Warning (警告)")
    DEMERIT = influence.DEMERIT, _("Demerit (记过)")
    MAJOR_DEMERIT = influence.MAJOR_DEMERIT, _("Major demerit (记大过)")
    DEMOTION = influence.DEMOTION, _("Demotion (降级)")
    DISMISSAL = influence.DISMISSAL, _("Removal from post (撤职)")


class InfluenceMonths(models.Model):
    """The administrator's months for one handling decision; a decision without a row keeps
    :data:`efficiency.influence.DEFAULT_DECISION_MONTHS`."""

    decision = models.CharField(
        _("handling decision"),
        max_length=30,
        choices=[
            (d.value, d.label)
            for d in HandlingDecision
            if d.value not in influence.YEAR_END_DECISIONS
        ],
        unique=True,
    )
    months = models.PositiveSmallIntegerField(
        _("influence period in months"),
        validators=[MaxValueValidator(120)],
        help_text=_("0 means no influence period."),
    )

    class Meta:
        ordering = ["decision"]
        verbose_name = _("influence period of a handling decision")
        verbose_name_plural = _("influence periods of handling decisions")

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.months}"

    @classmethod
    def table(cls) -> dict[str, int]:
        """Months per decision: the defaults, overridden by the rows."""
        months = dict(influence.DEFAULT_DECISION_MONTHS)
        months.update(cls.objects.values_list("decision", "months"))
        return months


class Sanction(WithdrawableRecord):
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="sanctions", verbose_name=_("staff")
    )
    kind = models.CharField(_("sanction"), max_length=20, choices=SanctionKind.choices)
    dated = models.DateField(_("date of the decision"), db_index=True)
    document_number = models.CharField(_("document number (文号)"), max_length=100)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-dated", "-pk"]
        verbose_name = _("sanction (处分)")
        verbose_name_plural = _("sanctions (处分)")
        permissions = [
            ("record_sanction", _("Can record, correct and withdraw sanctions")),
            ("view_sanctions", _("Can see every sanction office-wide")),
        ]

    def __str__(self) -> str:
        return f"{self.staff.name} · {self.get_kind_display()} · {self.document_number}"

    @property
    def ends_on(self):
        """Last day of the influence period."""
        return influence.sanction_period_end(self.kind, self.dated)
