"""``python manage.py export_xlsx SHEET [--period P] [--template] -o FILE``

SHEET is one of sections, staff, standards, incidents, scores, attendance, rankings, annual.
--period is a quarter (2026Q3) for incidents (optional), scores, attendance and rankings, or a
year (2026) for annual and year_summaries.
--template writes the blank template of an importable sheet instead. The command line sees
the whole office.
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency.excel import access, exports
from efficiency.management.base import Command as BaseCommand


class Command(BaseCommand):
    help = gettext_lazy(
        "Export a sheet, the quarter's rankings or the annual roll-up as a formatted workbook."
    )

    def add_arguments(self, parser):
        parser.add_argument("sheet", nargs="?", default="", help=" | ".join(access.EXPORT_SHEETS))
        parser.add_argument(
            "--period",
            default=None,
            help=_("A quarter such as 2026Q3, or a year such as 2026 for annual."),
        )
        parser.add_argument(
            "--template",
            action="store_true",
            help=_("Write the blank template of the sheet instead of its data."),
        )
        parser.add_argument("-o", "--output", default="", help="FILE.xlsx")

    def handle(self, *args, sheet: str, period, template: bool, output: str, **options):
        with translation.override("zh-hans"):
            self.run(sheet.strip().lower(), period, template, output)

    def run(self, sheet: str, period, template: bool, output: str) -> None:
        if not sheet or not output:
            raise CommandError(
                _("Say which sheet and where to write it, e.g. “export_xlsx staff -o staff.xlsx”.")
            )
        if sheet not in access.EXPORT_SHEETS:
            raise CommandError(
                _("“%(sheet)s” is not a sheet that can be exported; use one of: %(sheets)s.")
                % {"sheet": sheet, "sheets": ", ".join(access.EXPORT_SHEETS)}
            )
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(
                _("The folder “%(folder)s” does not exist.") % {"folder": target.parent}
            )
        try:
            if template:
                _name, data = exports.template(sheet)
            else:
                _name, data = exports.export(sheet, user=None, period=period)
        except exports.ExportRefused as error:
            raise CommandError(error.message) from None
        target.write_bytes(data)
        self.stdout.write(
            self.style.SUCCESS(
                _("Written: %(file)s (%(size)s KB).")
                % {"file": target, "size": max(1, len(data) // 1024)}
            )
        )
