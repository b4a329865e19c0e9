"""Evidence on an incident: files kept outside the web root, never rewritten once added."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .incidents import Incident


class IncidentAttachment(models.Model):
    """One file of evidence. Removal is a recorded step that keeps the row and the file:
    what a supervisor saw before deciding must still be there to see afterwards."""

    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("three-errors incident"),
    )
    # The name in the attachments storage (efficiency.services.attachments.storage), never
    # the uploader's name: that one is kept apart, for the download's file name only.
    file = models.CharField(_("stored file"), max_length=200, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removal_reason = models.TextField(_("reason for removal"), blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("incident attachment")
        verbose_name_plural = _("incident attachments")

    def __str__(self) -> str:
        return f"{self.incident.number} · {self.original_name}"

    @property
    def removed(self) -> bool:
        return self.removed_at is not None
