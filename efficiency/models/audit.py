"""Append-only history of every change to an audited object.

Rows are written only by ``efficiency.services.audit.record``; database triggers (see the
migration that creates this table) refuse UPDATE and DELETE, so no route can rewrite history.
Each row also carries a hash chained to the previous row's (``efficiency.chain``), so whoever
gets past the triggers (the table's owner, the file's reader) leaves a trace that
``manage.py verify_history`` finds.

The project has no django-simple-history tables (no model declares ``HistoricalRecords``):
this table is the only history, and the only one in the chain.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditAction(models.TextChoices):
    CREATE = "create", pgettext_lazy("history action", "Created")
    CORRECT = "correct", pgettext_lazy("history action", "Corrected")
    CHANGE = "change", pgettext_lazy("history action", "Changed")
    EXPLAIN = "explain", pgettext_lazy("history action", "Explanation written")
    VERIFY = "verify", pgettext_lazy("history action", "Verified")
    DISMISS = "dismiss", pgettext_lazy("history action", "Dismissed")
    HANDLE = "handle", pgettext_lazy("history action", "Handling decision recorded")
    APPEAL = "appeal", pgettext_lazy("history action", "Appeal filed")
    APPEAL_UPHOLD = "appeal_uphold", pgettext_lazy("history action", "Appeal upheld")
    APPEAL_REJECT = "appeal_reject", pgettext_lazy("history action", "Appeal rejected")
    APPEAL_LIGHTEN = (
        "appeal_lighten",
        pgettext_lazy("history action", "Appeal upheld in part: handling lightened"),
    )
    ATTACH = "attach", pgettext_lazy("history action", "Attachment added")
    ATTACH_REMOVE = "attach_remove", pgettext_lazy("history action", "Attachment removed")
    PERIOD_OPEN = "period_open", pgettext_lazy("history action", "Period opened")
    PERIOD_CLOSE = "period_close", pgettext_lazy("history action", "Period closed")
    PERIOD_REOPEN = "period_reopen", pgettext_lazy("history action", "Period reopened")
    PERIOD_LOCK = "period_lock", pgettext_lazy("history action", "Period locked")
    PERIOD_WITHDRAW = "period_withdraw", pgettext_lazy("history action", "Opening withdrawn")
    SCORE = "score", pgettext_lazy("history action", "Mark given")
    OVERRIDE = "override", pgettext_lazy("history action", "Grade overridden")
    REVIEW_PROPOSE = "review_propose", pgettext_lazy("history action", "Grade proposed")
    REVIEW_DECIDE = "review_decide", pgettext_lazy("history action", "Grade decided")
    ANNUAL_PROPOSE = "annual_propose", pgettext_lazy("history action", "Annual grade proposed")
    ANNUAL_DECIDE = "annual_decide", pgettext_lazy("history action", "Annual grade decided")
    ANNUAL_PUBLISH = "annual_publish", pgettext_lazy("history action", "优秀 published")
    ANNUAL_NOTICE = "annual_notice", pgettext_lazy("history action", "Result notices issued")
    ANNUAL_CLOCK = "annual_clock", pgettext_lazy("history action", "Review or appeal step")
    REMIND = "remind", pgettext_lazy("history action", "Reminder sent")
    OBJECTION_LODGE = "objection_lodge", pgettext_lazy("history action", "Objection lodged")
    OBJECTION_ANSWER = "objection_answer", pgettext_lazy("history action", "Objection answered")
    FEEDBACK = "feedback", pgettext_lazy("history action", "Feedback recorded")
    STANDING_SET = "standing_set", pgettext_lazy("history action", "Standing set")
    STANDING_CLEAR = (
        "standing_clear",
        pgettext_lazy("history action", "Standing cleared: appraised as usual"),
    )
    SANCTION_WITHDRAW = "sanction_withdraw", pgettext_lazy("history action", "Sanction withdrawn")
    POOL_MEMBERS = "pool_members", pgettext_lazy("history action", "Pool membership changed")
    CORRECTION_RECORD = (
        "correction_record",
        pgettext_lazy("history action", "Correction after lock recorded"),
    )
    CORRECTION_WITHDRAW = (
        "correction_withdraw",
        pgettext_lazy("history action", "Correction after lock withdrawn"),
    )


class AuditEvent(models.Model):
    # Set by the writer before the insert (not auto_now_add) because the entry's hash covers it.
    at = models.DateTimeField(_("when"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("object type")
    )
    object_id = models.CharField(_("object ID"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous entry's hash"), max_length=64, blank=True)
    entry_hash = models.CharField(_("entry hash"), max_length=64, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")

    def __str__(self) -> str:
        return f"{self.object_repr} · {self.get_action_display()}"


class ChainHead(models.Model):
    """The history chain's last link, one row, updated in the transaction that appends.

    Appending locks this row (``select_for_update``) so that two transactions on PostgreSQL
    cannot both link to the same entry; on SQLite the IMMEDIATE transaction already serialises
    writers. It also records how long the chain was, so a removed tail or an emptied table
    (``TRUNCATE``) does not pass as a shorter, intact chain.
    """

    count = models.PositiveBigIntegerField(_("entries"), default=0)
    last_id = models.BigIntegerField(_("last entry"), null=True, blank=True)
    head_hash = models.CharField(_("head hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("history chain head")
        verbose_name_plural = _("history chain head")

    def __str__(self) -> str:
        return f"{self.count}-{self.head_hash[:12]}"
