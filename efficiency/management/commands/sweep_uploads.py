"""``python manage.py sweep_uploads [--hours N]``: delete uploads nobody confirmed in time.

Run it from cron or a systemd timer (hourly is plenty); uploads are also swept as new ones
arrive and when their owner signs out.
"""

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from efficiency.excel import pending


class Command(BaseCommand):
    help = "Delete Excel uploads still waiting for confirmation after EXCEL_UPLOAD_MAX_AGE."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=float,
            default=None,
            help="Delete those older than this many hours instead (0: every one).",
        )

    def handle(self, *args, hours: float | None, **options):
        with translation.override("zh-hans"):
            removed = pending.sweep(older_than=None if hours is None else hours * 3600)
            self.stdout.write(_("%(count)s waiting upload(s) deleted.") % {"count": removed})
