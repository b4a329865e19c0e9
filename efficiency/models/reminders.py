"""催办: a reminder to one user that something of a quarter waits for them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .appraisal import Period


class ReminderKind(models.TextChoices):
    MARKS = "marks", _("Marks to give")
    SUMMARY = "summary", _("Personal summary to write")
    SUMMARY_REVIEW = "summary_review", _("Personal summaries to review")


class Reminder(models.Model):
    """Shown on the recipient's home page until what it asks for is done.

    ``done_at`` is stamped when the reminder is first seen done; nobody ticks it off by hand.
    """

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("period")
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reminders",
        verbose_name=_("to"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    # None: sent by the app itself (send_reminders), before a deadline.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    emailed = models.BooleanField(_("e-mailed"), default=False)
    # For the automatic reminders: which deadline they were sent for, so a second run of the
    # command the same day (or the next) sends nothing again.
    due = models.DateField(_("deadline"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [models.Index(fields=["to_user", "done_at"])]

    def __str__(self) -> str:
        return f"{self.period.code} {self.get_kind_display()} → {self.to_user}"
