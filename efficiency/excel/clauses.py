"""界定标准年度评估 as a workbook: the same :class:`~efficiency.reports.clauses.ClauseReview`
the PDF prints, one sheet per part (each clause's use, mostly dismissed, never used)."""

from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from efficiency import spans
from efficiency.reports import clauses as review_report

from . import layouts
from .layouts import Column
from .writer import SheetWriter, new_workbook, to_bytes

USE_COLUMNS = (
    Column("条款编号", 10),
    Column("条款内容", 40, wrap=True),
    Column("类别", 8),
    Column("报告数", 8, kind=layouts.INT),
    Column("认定数", 8, kind=layouts.INT),
    Column("不予认定数", 8, kind=layouts.INT),
    Column("不予认定率", 9, kind=layouts.PERCENT),
    Column("申诉数", 8, kind=layouts.INT),
    Column("申诉成立数", 10, kind=layouts.INT),
    Column("申诉成立率", 10, kind=layouts.PERCENT),
    Column("涉及科室", 20, wrap=True),
    Column("多数不予认定", 9),
    Column("不予认定理由", 40, wrap=True),
    Column("申诉决定理由", 40, wrap=True),
)
UNUSED_COLUMNS = (Column("条款编号", 10), Column("类别", 8), Column("条款内容", 60, wrap=True))


def _fraction(rate: Decimal | None) -> Decimal | None:
    """A percentage as :func:`efficiency.analysis.rate` gives it, as the fraction a percent
    cell holds (37.5 → 0.375), so the column sorts and sums; blank when nothing was decided."""
    return None if rate is None else rate / 100


def workbook(span: spans.Span) -> tuple[str, bytes]:
    """(file name, xlsx bytes) of the clause review of ``span``."""
    with translation.override("zh-hans"):
        found = review_report.review(span)
        book = new_workbook()
        subheading = "{rule} {when}".format(
            rule=review_report.rule_text(),
            when=_("Exported %(when)s.")
            % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        )
        heading = _("Review of the incident clauses, %(span)s") % {"span": span.label}
        for name, lines in (
            ("条款使用情况", found.used),
            ("多数不予认定条款", found.mostly_dismissed),
        ):
            sheet = SheetWriter(
                book, name=name, columns=USE_COLUMNS, heading=heading, subheading=subheading
            )
            for line in lines:
                row = line.row
                sheet.append(
                    [
                        row.code,
                        row.text,
                        line.kind,
                        row.reported,
                        row.established,
                        row.dismissed,
                        _fraction(row.dismissal_rate),
                        row.appeals,
                        row.appeals_upheld,
                        _fraction(row.upheld_rate),
                        line.sections,
                        "是" if line.mostly_dismissed else "",
                        "\n".join(line.dismissal_reasons),
                        "\n".join(line.appeal_reasons),
                    ]
                )
            sheet.close()
        sheet = SheetWriter(book, name="从未使用条款", columns=UNUSED_COLUMNS, heading=heading)
        for standard in found.unused:
            sheet.append([standard.code, standard.get_kind_display(), standard.text])
        sheet.close()
        return review_report.clauses_filename(span, "xlsx"), to_bytes(book)
