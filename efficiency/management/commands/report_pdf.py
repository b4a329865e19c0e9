"""``python manage.py report_pdf KIND --period P [--staff 工号 | --section CODE | --all] -o FILE``

KIND is ``personal`` (one person's 公务员平时考核登记表, or ``--all``: everyone's in one ZIP),
``section`` (one section, or ``--all``: every section's summary in one ZIP), ``bulletin`` (the
whole office), ``request`` (the 请示 asking the leadership to decide the grades) or ``annual``
(``--period 2026``), ``notice`` and ``annual-form`` (the 公务员年度考核登记表: ``--period 2026``
with ``--staff 工号``, or ``--all``: everyone's in one ZIP), ``incidents`` (the 三误通报 of a
month or a quarter: ``--period 2026-10`` or ``2026Q4``) and ``clauses`` (界定标准年度评估:
``--period 2026``, or any span; ``-o review.xlsx`` writes the workbook). The same documents as
the pages, from the same numbers. A bad argument prints what is wrong, in Chinese, and exits
with a non-zero status; nothing is written.
"""

import io
import re
import sys
import zipfile
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency.excel import clauses as clause_excel
from efficiency.excel.writer import XLSX_MIME
from efficiency.management.base import Command as BaseCommand
from efficiency.models import Section, Staff
from efficiency.quarters import Quarter
from efficiency.reports import ReportError, documents, pdf, zipjob

KINDS = (
    "personal",
    "section",
    "bulletin",
    "request",
    "publicity",
    "annual",
    "notice",
    "annual-form",
    "incidents",
    "clauses",
)
YEAR_RE = re.compile(r"^\d{4}$")


class Command(BaseCommand):
    help = gettext_lazy(
        "Make a PDF report: personal, section, bulletin, request, publicity, annual, notice, "
        "annual-form, incidents or clauses, e.g. "
        "“report_pdf personal --period 2026Q3 --staff 001023 -o form.pdf”."
    )

    def add_arguments(self, parser):
        # Optional for argparse, so that a missing one gets our own message in Chinese.
        parser.add_argument(
            "kind",
            nargs="?",
            default="",
            help=" | ".join(KINDS),
        )
        parser.add_argument("--period", default="", help="2026Q3 (annual: 2026)")
        parser.add_argument("--staff", default="", help=_("Staff number (personal)."))
        parser.add_argument("--section", default="", help=_("Section code (section)."))
        parser.add_argument(
            "--all",
            action="store_true",
            help=_("Everyone's personal forms, or every section's summary, as a ZIP."),
        )
        parser.add_argument("-o", "--output", default="", help=_("File to write."))
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help=_("Processes for --all (default: one per core)."),
        )

    def handle(self, *args, **options):
        with translation.override(pdf.LANGUAGE):
            try:
                path, note = self.run(**options)
            except ReportError as error:
                raise CommandError(error.message) from None
            self.stdout.write(self.style.SUCCESS(note))
            return None

    def run(self, *, kind, period, staff, section, all, output, workers, **options):  # noqa: A002
        kind = kind.strip().lower()
        code = period.strip().upper()
        if kind in ("incidents", "clauses") and not code:
            raise CommandError(
                _(
                    "Say which period with --period: a month (2026-10) or a quarter (2026Q4) for "
                    "the three-errors bulletin, a year (2026) for the clause review."
                )
            )
        if not kind:
            raise CommandError(
                _(
                    "Say which report: personal, section, bulletin, request, publicity, annual, "
                    "notice, annual-form, incidents or clauses, e.g. "
                    "“report_pdf bulletin --period 2026Q3”."
                )
            )
        if kind not in KINDS:
            raise CommandError(
                _(
                    "“%(kind)s” is not a report; use personal, section, bulletin, request, "
                    "publicity, annual, notice, annual-form, incidents or clauses."
                )
                % {"kind": kind}
            )
        if not code:
            raise CommandError(
                _(
                    "Say which period with --period, e.g. --period 2026Q3 "
                    "(for annual: --period 2026)."
                )
            )
        chosen = [
            flag
            for flag, given in (("--staff", staff), ("--section", section), ("--all", all))
            if given
        ]
        if kind == "incidents":
            self.refuse_extra(kind, chosen, allowed=())
            return self.write(documents.incidents(documents.bulletin_span(code)), output)
        if kind == "clauses":
            self.refuse_extra(kind, chosen, allowed=())
            span = documents.review_span(code)
            if output.lower().endswith(".xlsx"):
                filename, content = clause_excel.workbook(span)
                return self.write(documents.Rendered(filename, XLSX_MIME, content), output)
            return self.write(documents.clauses(span), output)
        if kind == "annual":
            if not YEAR_RE.match(code):
                raise CommandError(
                    _("“%(period)s” is not a year; write it like 2026.") % {"period": code}
                )
            self.refuse_extra(kind, chosen, allowed=())
            return self.write(documents.annual(int(code)), output)
        if kind == "annual-form":
            if not YEAR_RE.match(code):
                raise CommandError(
                    _("“%(period)s” is not a year; write it like 2026.") % {"period": code}
                )
            self.refuse_extra(kind, chosen, allowed=("--staff", "--all"))
            if all:
                return self.write_annual_forms(int(code), output)
            return self.write(documents.annual_form(int(code), self.person(staff)), output)
        if kind == "notice":
            if not YEAR_RE.match(code):
                raise CommandError(
                    _("“%(period)s” is not a year; write it like 2026.") % {"period": code}
                )
            self.refuse_extra(kind, chosen, allowed=("--staff",))
            person = Staff.objects.select_related("section").filter(staff_no=staff.strip()).first()
            if person is None:
                raise CommandError(
                    _("No staff member has the number %(staff_no)s.") % {"staff_no": staff.strip()}
                )
            return self.write(documents.notice(int(code), person), output)
        if Quarter.parse(code) is None:
            raise CommandError(
                _("“%(code)s” is not a quarter; write it like 2026Q3.") % {"code": code}
            )
        quarter = documents.published_period(code)
        if kind == "bulletin":
            self.refuse_extra(kind, chosen, allowed=())
            return self.write(documents.bulletin(quarter), output)
        if kind == "request":
            self.refuse_extra(kind, chosen, allowed=())
            return self.write(documents.request(quarter), output)
        if kind == "publicity":
            self.refuse_extra(kind, chosen, allowed=())
            return self.write(documents.publicity(quarter), output)
        if kind == "personal":
            self.refuse_extra(kind, chosen, allowed=("--staff", "--all"))
            if all:
                return self.write_zip(quarter, output, workers)
            person = Staff.objects.select_related("section").filter(staff_no=staff.strip()).first()
            if person is None:
                raise CommandError(
                    _("No staff member has the number %(staff_no)s.") % {"staff_no": staff.strip()}
                )
            return self.write(documents.personal(quarter, person), output)
        self.refuse_extra(kind, chosen, allowed=("--section", "--all"))
        if all:
            return self.write_sections(quarter, output)
        found = Section.objects.filter(code=section.strip()).first()
        if found is None:
            raise CommandError(
                _("There is no section with the code %(code)s.") % {"code": section.strip()}
            )
        return self.write(documents.section(quarter, found), output)

    def person(self, staff_no: str) -> Staff:
        person = Staff.objects.select_related("section").filter(staff_no=staff_no.strip()).first()
        if person is None:
            raise CommandError(
                _("No staff member has the number %(staff_no)s.") % {"staff_no": staff_no.strip()}
            )
        return person

    def write_annual_forms(self, year: int, output: str) -> tuple[Path, str]:
        path = self.target(output, documents.annual_forms_zip_filename(year))
        content = documents.annual_forms_zip(year, progress=self.progress)
        self.save(path, content)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            count = len(archive.namelist())
        return path, _("Written %(path)s: %(count)s annual appraisal forms.") % {
            "path": str(path),
            "count": count,
        }

    def refuse_extra(self, kind: str, chosen: list[str], *, allowed: tuple[str, ...]) -> None:
        extra = [flag for flag in chosen if flag not in allowed]
        if extra:
            raise CommandError(
                _("The %(kind)s report takes no %(flags)s.")
                % {"kind": kind, "flags": "、".join(extra)}
            )
        if allowed and len(chosen) != 1:
            raise CommandError(
                _("The %(kind)s report needs exactly one of %(flags)s.")
                % {"kind": kind, "flags": "、".join(allowed)}
            )

    def target(self, output: str, default_name: str) -> Path:
        path = Path(output) if output else Path(default_name)
        if path.is_dir():
            path = path / default_name
        if not path.parent.is_dir():
            raise CommandError(
                _("The folder %(folder)s does not exist.") % {"folder": str(path.parent)}
            )
        return path

    def save(self, path: Path, content: bytes) -> None:
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(
                _("%(path)s could not be written: %(error)s")
                % {"path": str(path), "error": error.strerror or error}
            ) from None

    def write(self, rendered: documents.Rendered, output: str) -> tuple[Path, str]:
        path = self.target(output, rendered.filename)
        self.save(path, rendered.content)
        return path, _("Written %(path)s (%(size)s KB).") % {
            "path": str(path),
            "size": max(1, round(len(rendered.content) / 1024)),
        }

    def progress(self, done: int, total: int) -> None:
        if total:
            sys.stderr.write(f"\r{done}/{total}")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    def write_zip(self, period, output: str, workers: int) -> tuple[Path, str]:
        path = self.target(output, zipjob.zip_filename(period))
        try:
            count = zipjob.build_zip(period, path, workers=workers or None, progress=self.progress)
        except OSError as error:
            raise CommandError(
                _("%(path)s could not be written: %(error)s")
                % {"path": str(path), "error": error.strerror or error}
            ) from None
        return path, _("Written %(path)s: %(count)s personal forms.") % {
            "path": str(path),
            "count": count,
        }

    def write_sections(self, period, output: str) -> tuple[Path, str]:
        name = documents.safe_filename(f"{period.code}-{_('Section appraisal summaries')}") + ".zip"
        path = self.target(output, name)
        buffer = io.BytesIO()
        sections = list(Section.objects.filter(active=True))
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
            for done, found in enumerate(sections, start=1):
                rendered = documents.section(period, found)
                archive.writestr(rendered.filename, rendered.content)
                self.progress(done, len(sections))
        self.save(path, buffer.getvalue())
        return path, _("Written %(path)s: %(count)s section summaries.") % {
            "path": str(path),
            "count": len(sections),
        }
