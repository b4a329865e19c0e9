"""``python manage.py office_days load 2026 [--dry-run]``

Loads the State Council's published holiday table of a year (法定节假日 and 调休) into the
office's calendar, through the same service as every other write. Running it again changes
nothing; days the administrator added by hand are kept. The calendar is kept day by day in the
administration pages (办公日历).
"""

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency.management.base import LANGUAGE
from efficiency.management.base import Command as BaseCommand
from efficiency.services import calendar as services
from efficiency.workdays import OFFICIAL_DAYS


class Command(BaseCommand):
    help = gettext_lazy(
        "Load a year's public holidays and working weekend days into the office calendar, "
        "e.g. “office_days load 2026”."
    )

    def add_arguments(self, parser):
        with translation.override(LANGUAGE):
            # Optional for argparse, so that a missing one gets our own message in Chinese.
            parser.add_argument("action", nargs="?", default="", help="load")
            parser.add_argument("year", nargs="?", default="", help="2026")
            parser.add_argument(
                "--dry-run", action="store_true", help=_("Say what would change; change nothing.")
            )

    def handle(self, *args, action: str, year: str, dry_run: bool, **options):
        with translation.override(LANGUAGE):
            self.run(action.strip().lower(), year.strip(), dry_run)

    def run(self, action: str, year_text: str, dry_run: bool) -> None:
        known = "、".join(str(y) for y in sorted(OFFICIAL_DAYS))
        if action != "load":
            raise CommandError(
                _("Say what to do: “office_days load YEAR”, e.g. office_days load 2026.")
            )
        if not year_text.isdigit() or int(year_text) not in OFFICIAL_DAYS:
            raise CommandError(
                _("“%(year)s” is not a year with a built-in holiday table; known years: %(known)s.")
                % {"year": year_text, "known": known}
            )
        year = int(year_text)
        loaded = services.office_days_load(
            actor=None,
            year=year,
            reason=_("Loaded from the official holiday table of %(year)s") % {"year": year},
            dry_run=dry_run,
        )
        counts = {
            "year": year,
            "created": len(loaded.created),
            "changed": len(loaded.changed),
            "unchanged": loaded.unchanged,
        }
        for day in loaded.created + loaded.changed:
            self.stdout.write(f"  {day.date.isoformat()} {day.name} {day.get_kind_display()}")
        if dry_run:
            message = _(
                "Trial run for %(year)s, nothing saved: %(created)s days would be added, "
                "%(changed)s changed, %(unchanged)s already as published."
            )
        else:
            message = _(
                "Office calendar %(year)s: %(created)s days added, %(changed)s changed, "
                "%(unchanged)s already as published."
            )
        self.stdout.write(self.style.SUCCESS(message % counts))
