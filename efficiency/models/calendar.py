"""The office's calendar: the weekdays it does not work (法定节假日, 调休) and the weekend days it
does (调休上班). Every other day follows the week: Monday to Friday worked, the weekend off.
The arithmetic on these days is :mod:`efficiency.workdays`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    OFF = "off", _("Day off")
    WORKED = "worked", _("Working day (weekend worked)")


class OfficeDay(models.Model):
    """One day that does not follow the week: a weekday off, or a weekend day worked."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind of day"), max_length=10, choices=DayKind.choices)
    name = models.CharField(
        _("holiday name"), max_length=30, help_text=_("The holiday it belongs to, e.g. 国庆节.")
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("office calendar day")
        verbose_name_plural = _("office calendar")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}（{self.get_kind_display()}）"
