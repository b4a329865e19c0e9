"""``python manage.py run_report_job ID``: do one background report job (a quarter's or year's ZIP).

Started by the reports page as a detached process (see efficiency.reports.zipjob); it can
also be run by hand to finish a job that is still waiting.
"""

import argparse
from functools import partial

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency.management.base import Command as BaseCommand
from efficiency.models import ReportJob, ReportJobStatus
from efficiency.reports import pdf, zipjob


def _count(text: str, *, what: str, least: int) -> int:
    """A whole number of at least ``least`` from the command line, or a Chinese error."""
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or value < least:
        raise argparse.ArgumentTypeError(
            _("%(what)s must be a whole number from %(least)s up, not “%(text)s”.")
            % {"what": what, "least": least, "text": text}
        )
    return value


class Command(BaseCommand):
    requires_system_checks = []  # started for each job: no need to check the project again

    help = gettext_lazy("Make the file of one waiting report job (started by the reports page).")

    def add_arguments(self, parser):
        parser.add_argument(
            "job_id",
            type=partial(_count, what=_("The report job's number"), least=1),
            help=_("The report job's number, as in the address of its page."),
        )
        parser.add_argument(
            "--workers",
            type=partial(_count, what=_("The number of processes (--workers)"), least=0),
            default=0,
            help=_("Processes (default: one per core)."),
        )

    def handle(self, *args, job_id: int, workers: int, **options):
        # Rendering takes every core for minutes: the web server's requests go first.
        zipjob.lower_priority()
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
