"""界定标准年度评估: how each clause of the catalogue was used over a year (or any span), for the
yearly revision of the catalogue. The numbers are :func:`efficiency.analysis.clause_stats`'s, the
ones the analytics page shows; the PDF here and the workbook in :mod:`efficiency.excel.clauses`
print the same :class:`ClauseReview`.

A clause is *mostly dismissed* when at least ``MOSTLY_DISMISSED_MIN_DECIDED`` of its reports were
decided (established or dismissed) and more than half of those decided were dismissed: the
wording may catch what it should not.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from efficiency import analysis, spans
from efficiency.models import IncidentKind
from efficiency.wording import choice_label

from . import ReportError, pdf
from .common import PDF, Rendered, page_context, safe_filename
from .history_stamp import history_stamp

MOSTLY_DISMISSED_MIN_DECIDED = 2


def review_span(code: str) -> spans.Span:
    try:
        return spans.parse(code)
    except spans.SpanError as error:
        raise ReportError(str(error)) from None


def decided(row) -> int:
    return row.established + row.dismissed


def is_mostly_dismissed(row) -> bool:
    count = decided(row)
    return count >= MOSTLY_DISMISSED_MIN_DECIDED and row.dismissed * 2 > count


def percent(rate: Decimal | None) -> str:
    """A rate as :func:`analysis.rate` gives it (a percentage, one decimal) written 37.5% or
    100%; “—” when there was nothing to divide."""
    if rate is None:
        return "—"
    return f"{rate.normalize():f}%"


def rule_text() -> str:
    return _(
        "A clause counts as mostly dismissed when at least %(min)s of its reports were decided "
        "and more than half of those decided were dismissed."
    ) % {"min": MOSTLY_DISMISSED_MIN_DECIDED}


@dataclass(frozen=True)
class ClauseLine:
    """One clause as the review prints it: the analysis row and its rates in words."""

    row: analysis.ClauseRow
    kind: str
    dismissal_rate: str
    upheld_rate: str
    sections: str
    dismissal_reasons: list[str]
    appeal_reasons: list[str]
    mostly_dismissed: bool


@dataclass(frozen=True)
class ClauseReview:
    span: spans.Span
    lines: list[ClauseLine]
    unused: list  # Standard
    mostly_dismissed: list[ClauseLine]

    @property
    def used(self) -> list[ClauseLine]:
        return [line for line in self.lines if line.row.reported]


def review(span: spans.Span) -> ClauseReview:
    scope = analysis.Scope(span=span)
    lines = []
    for row in analysis.clause_stats(scope):
        lines.append(
            ClauseLine(
                row=row,
                kind=choice_label(IncidentKind, row.kind),
                dismissal_rate=percent(row.dismissal_rate),
                upheld_rate=percent(row.upheld_rate),
                sections="、".join(row.sections),
                dismissal_reasons=list(row.dismissal_reasons),
                appeal_reasons=list(row.appeal_reasons),
                mostly_dismissed=is_mostly_dismissed(row),
            )
        )
    return ClauseReview(
        span=span,
        lines=lines,
        unused=list(analysis.unused_clauses(scope)),
        mostly_dismissed=[line for line in lines if line.mostly_dismissed],
    )


def title() -> str:
    return _("Annual review of the incident clauses")


def clauses_context(span: spans.Span) -> dict:
    with translation.override(pdf.LANGUAGE):
        found = review(span)
        return {
            **page_context(title=title(), period_label=span.label, state=None),
            "heading": _("Review of the incident clauses, %(span)s") % {"span": span.label},
            "review": found,
            "span": span,
            "rule": rule_text(),
            "reported": sum(line.row.reported for line in found.lines),
            "established": sum(line.row.established for line in found.lines),
            "dismissed": sum(line.row.dismissed for line in found.lines),
            "has_reasons": any(
                line.dismissal_reasons or line.appeal_reasons for line in found.lines
            ),
            **history_stamp(),
        }


def clauses_filename(span: spans.Span, extension: str = "pdf") -> str:
    with translation.override(pdf.LANGUAGE):
        return safe_filename(f"{span.code}-{title()}") + f".{extension}"


def clauses(span: spans.Span) -> Rendered:
    return Rendered(
        clauses_filename(span),
        PDF,
        pdf.render_pdf("reports/clauses_pdf.html", clauses_context(span)),
    )
