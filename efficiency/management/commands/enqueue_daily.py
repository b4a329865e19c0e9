"""``python manage.py enqueue_daily [--date YYYY-MM-DD]``: queue the day's background work.

Run once a day by a systemd timer or cron (README, "Background work"). It only adds two rows
to the task queue (the reminders due that day, and the pruning of old files and results);
``manage.py db_worker`` does the work, on whichever machine runs it.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency import tasks
from efficiency.management.base import LANGUAGE, day_from
from efficiency.management.base import Command as BaseCommand


class Command(BaseCommand):
    help = gettext_lazy(
        "Queue the day's background work (reminders before deadlines, pruning of old files) "
        "for the task worker; run it once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", default="", help=_("The day to act as (YYYY-MM-DD); default: today.")
        )

    def handle(self, *args, date: str, **options):
        with translation.override(LANGUAGE):
            day = day_from(date)
            ids = tasks.enqueue_daily(day)
            self.stdout.write(
                _("%(day)s: %(count)s tasks queued for the worker (manage.py db_worker).")
                % {"day": day.isoformat(), "count": len(ids)}
            )
