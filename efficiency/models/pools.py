"""Quota pools (名额): the administrator's scheme; a period freezes it when it opens."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .org import Section, Staff, StaffCategory


class PoolRounding(models.TextChoices):
    DOWN = "down", _("round down")
    NEAREST = "nearest", _("round to nearest (half up)")
    UP = "up", _("round up")


_BLANK_SHARE = _("Blank: the share in the appraisal rules.")
_PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class QuotaPool(models.Model):
    """A group counted apart for the 40% 好 and the 20% 优秀 (see efficiency.pools)."""

    name = models.CharField(_("pool"), max_length=40, unique=True)
    order = models.PositiveIntegerField(
        _("display order"), default=0, help_text=_("The first matching pool in order wins.")
    )
    good_percent = models.DecimalField(
        _("share of 好 (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_PERCENT,
        help_text=_BLANK_SHARE,
    )
    excellent_percent = models.DecimalField(
        _("share of 优秀 (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_PERCENT,
        help_text=_BLANK_SHARE,
    )
    rounding = models.CharField(
        _("rounding"), max_length=10, choices=PoolRounding.choices, default=PoolRounding.DOWN
    )
    minimum = models.PositiveSmallIntegerField(
        _("minimum places"),
        default=0,
        help_text=_("1 keeps a small pool from having no place; never more than people graded."),
    )
    category = models.CharField(
        _("staff category"),
        max_length=20,
        choices=StaffCategory.choices,
        blank=True,
        help_text=_("Blank: any category."),
    )
    sections = models.ManyToManyField(
        Section,
        blank=True,
        related_name="+",
        verbose_name=_("sections"),
        help_text=_(
            "None: any section. A pool with no category and no section takes only "
            "the people named below."
        ),
    )
    members = models.ManyToManyField(
        Staff,
        blank=True,
        related_name="+",
        verbose_name=_("people named"),
        help_text=_("Named people belong here whatever their category or section."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("quota pool")
        verbose_name_plural = _("quota pools")

    def __str__(self) -> str:
        return self.name
