"""``python manage.py run_report_job ID``: do one background report job (the quarter's ZIP).

Started by the reports page as a detached process (see efficiency.reports.zipjob); it can
also be run by hand to finish a job that is still waiting.
"""

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency.management.base import Command as BaseCommand
from efficiency.models import ReportJob, ReportJobStatus
from efficiency.reports import pdf, zipjob


class Command(BaseCommand):
    help = gettext_lazy("Make the file of one waiting report job (started by the reports page).")
    requires_system_checks = []  # started for each job: no need to check the project again

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help=_("Processes (default: one per core)."),
        )

    def handle(self, *args, job_id: int, workers: int, **options):
        with translation.override(pdf.LANGUAGE):
            if not ReportJob.objects.filter(pk=job_id).exists():
                raise CommandError(_("There is no report job %(id)s.") % {"id": job_id})
            job = zipjob.run(job_id, workers=workers or None)
            if job.status == ReportJobStatus.FAILED:
                raise CommandError(job.error)
            self.stdout.write(
                _("Report job %(id)s: %(status)s, %(done)s of %(total)s.")
                % {
                    "id": job.pk,
                    "status": job.get_status_display(),
                    "done": job.done,
                    "total": job.total,
                }
            )
