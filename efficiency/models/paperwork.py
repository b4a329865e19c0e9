"""Records of the paperwork: Excel imports, and background report jobs (the quarter's ZIP)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .appraisal import Period


class ImportRecord(models.Model):
    """One confirmed import of a workbook: who, when, which file, what it changed."""

    sheet = models.CharField(_("sheet"), max_length=20)
    file_name = models.CharField(_("file name"), max_length=255)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.sheet})"


class ReportJobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReportJob(models.Model):
    """A report too long for one request (a quarter's personal forms as one ZIP).

    The page's record of the work: a task on the worker (django-tasks) does it and writes
    its progress, outcome and reason here.
    """

    kind = models.CharField(_("kind"), max_length=30)
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReportJobStatus.choices,
        default=ReportJobStatus.PENDING,
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # The file's name in the default storage (reports/job-<id>-<period>.zip) once done.
    file = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    # The django-tasks result that runs this job (efficiency.reports.zipjob.make_zip).
    task_id = models.CharField(max_length=64, blank=True)
    # Written with each progress step: a running job silent for long has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.period_id or ''} {self.status}"
