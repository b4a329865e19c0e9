"""``python manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]``

The daily task's work (efficiency.tasks.send_reminders, queued by ``enqueue_daily``), done at
once without the worker: for a dry run, or to catch up a day by hand. For each open quarter
whose 小结截止 or 评分截止 is two working days away on the office's calendar, everyone behind
for it gets one reminder on their home page (and by e-mail where they have an address). Each
deadline's reminders go out once: a second run the same day, or the next, sends nothing.
"""

import datetime

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency.management.base import LANGUAGE, day_from
from efficiency.management.base import Command as BaseCommand
from efficiency.models import ReminderKind
from efficiency.services import reminders as services


class Command(BaseCommand):
    help = gettext_lazy(
        "Remind everyone behind, two working days before each deadline of an open quarter; "
        "run it once a day."
    )

    def add_arguments(self, parser):
        with translation.override(LANGUAGE):
            parser.add_argument(
                "--date",
                default="",
                help=_("The day to act as (YYYY-MM-DD); default: today."),
            )
            parser.add_argument(
                "--dry-run", action="store_true", help=_("Say who would be reminded; send nothing.")
            )

    def handle(self, *args, date: str, dry_run: bool, **options):
        with translation.override(LANGUAGE):
            self.run(day_from(date), dry_run)

    def run(self, day: datetime.date, dry_run: bool) -> None:
        plans = services.due_reminders(day)
        kinds = dict(ReminderKind.choices)
        for plan in plans:
            self.stdout.write(
                _("%(period)s, %(kind)s (due %(due)s): %(names)s")
                % {
                    "period": plan.period,
                    "kind": kinds[plan.kind],
                    "due": plan.due.isoformat(),
                    "names": "、".join(r.name for r in plan.recipients),
                }
            )
        count = sum(len(plan.recipients) for plan in plans)
        if not count:
            self.stdout.write(_("%(day)s: no reminder is due.") % {"day": day.isoformat()})
            return
        if dry_run:
            self.stdout.write(
                _("Dry run: %(count)s reminders would be sent; nothing was sent.")
                % {"count": count}
            )
            return
        sent = services.send_due(plans)
        self.stdout.write(self.style.SUCCESS(_("%(count)s reminders sent.") % {"count": sent}))
