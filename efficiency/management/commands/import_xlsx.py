"""``python manage.py import_xlsx SHEET FILE [--dry-run] [--user USERNAME]``

The same engine as the upload page: every row is checked first and the same row-level errors
are printed (in Chinese); on any error nothing is written and the command exits non-zero.
SHEET is one of sections, staff, standards, incidents, scores, attendance. Without --user the
import is recorded as made by the system; incidents (their reporter) and marks (their assessor,
or the administrator typing in many assessors' marks from paper) need one.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency.excel import access, engine, sheets
from efficiency.management.base import Command as BaseCommand

ERRORS_SHOWN = 200


class Command(BaseCommand):
    help = gettext_lazy(
        "Import an Excel sheet (sections, staff, standards, incidents or scores): every row is "
        "checked, and on any error nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("sheet", nargs="?", default="", help=" | ".join(access.IMPORT_SHEETS))
        parser.add_argument("file", nargs="?", default="", help="FILE.xlsx")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Check the file and show what would change; write nothing."),
        )
        parser.add_argument(
            "--user",
            default=None,
            help=_("The account the import is made as (and recorded in the history)."),
        )

    def handle(self, *args, sheet: str, file: str, dry_run: bool, user: str | None, **options):
        with translation.override("zh-hans"):
            self.run(sheet.strip().lower(), file, dry_run, user)

    def run(self, sheet: str, file: str, dry_run: bool, username: str | None) -> None:
        if not sheet or not file:
            raise CommandError(
                _("Say which sheet and which file, e.g. “import_xlsx staff roster.xlsx”.")
            )
        if sheet not in access.IMPORT_SHEETS:
            raise CommandError(
                _("“%(sheet)s” is not a sheet that can be imported; use one of: %(sheets)s.")
                % {"sheet": sheet, "sheets": ", ".join(access.IMPORT_SHEETS)}
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file “%(file)s”.") % {"file": file})
        actor = self.actor(username)
        try:
            result = sheets.run(sheet, path, path.name, actor, dry_run=dry_run)
        except engine.NotAllowed as error:
            raise CommandError(error.message) from None
        if result.table is not None:
            self.stdout.write(
                _("%(file)s: sheet “%(sheet)s”, header on row %(row)s, %(count)s rows of data.")
                % {
                    "file": path.name,
                    "sheet": result.table.sheet_name,
                    "row": result.table.header_row,
                    "count": len(result.rows),
                }
            )
            if result.table.ignored:
                self.stdout.write(
                    _("Columns ignored: %(columns)s") % {"columns": "、".join(result.table.ignored)}
                )
        counts = _("%(create)s new, %(update)s changed, %(unchanged)s unchanged") % result.counts
        problems = result.problems
        if problems:
            for problem in problems[:ERRORS_SHOWN]:
                self.stderr.write(str(problem))
            if len(problems) > ERRORS_SHOWN:
                self.stderr.write(
                    _("… and %(count)s more.") % {"count": len(problems) - ERRORS_SHOWN}
                )
            raise CommandError(
                _("Nothing was imported: %(count)s problem(s) in the file.")
                % {"count": len(problems)}
            )
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    _("No problems found; importing would give: %(counts)s. Nothing was written.")
                    % {"counts": counts}
                )
            )
            return
        self.stdout.write(self.style.SUCCESS(_("Imported: %(counts)s.") % {"counts": counts}))

    def actor(self, username: str | None):
        if username is None:
            return None
        account = get_user_model().objects.filter(username=username, is_active=True).first()
        if account is None:
            raise CommandError(
                _("There is no active account “%(username)s”.") % {"username": username}
            )
        return account
