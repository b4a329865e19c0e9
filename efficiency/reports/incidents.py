"""关于……“三误”情况的通报: the established incidents of a month or a quarter, as a bulletin.

The incidents are listed by section with their handling; the counts, the heatmap and the repeat
alerts come from :mod:`efficiency.analysis`, the numbers the analytics page shows.

For a month the heatmap covers the three months ending with it (sections × months), so a reader
sees whether the month continues what came before, even in a quarter's first month; for a
quarter, its three months. The repeat alerts are those the period's incidents take part in.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from efficiency import analysis, charts, spans
from efficiency.models import Incident, IncidentKind, Section, Severity
from efficiency.models.incidents import ESTABLISHED_STATUSES, number_sort_key
from efficiency.wording import choice_label

from . import ReportError, pdf
from .common import PDF, IncidentLine, Rendered, font_family, page_context, safe_filename
from .history_stamp import history_stamp

KINDS = ("month", "quarter")


@dataclass(frozen=True)
class SectionGroup:
    name: str
    lines: list[IncidentLine]
    kind_counts: list[int]  # in IncidentKind order

    @property
    def total(self) -> int:
        return len(self.lines)


@dataclass(frozen=True)
class AlertLine:
    text: str
    numbers: str


def bulletin_span(code: str) -> spans.Span:
    """The month or quarter a 三误通报 covers; :class:`ReportError` for anything else."""
    try:
        span = spans.parse(code)
    except spans.SpanError as error:
        raise ReportError(str(error)) from None
    if span.kind not in KINDS:
        raise ReportError(
            _(
                "The three-errors bulletin covers a month or a quarter: write 2026-10 or 2026Q4, "
                "not “%(code)s”."
            )
            % {"code": code.strip()}
        )
    return span


HEATMAP_MONTHS = 3


def heatmap_span(span: spans.Span) -> spans.Span:
    """A month's heatmap covers the three months ending with it; a quarter's, the quarter."""
    if span.kind != "month":
        return span
    year, month = span.first.year, span.first.month - (HEATMAP_MONTHS - 1)
    if month < 1:
        year, month = year - 1, month + 12
    return spans.Span("range", spans.month(year, month).first, span.last)


def heatmap_label(span: spans.Span) -> str:
    """2026年8月至2026年10月: the months a heatmap covers (a range's label gives days)."""
    first, last = span.months[0], span.months[-1]
    if first == last:
        return spans.month(*first).label
    return _("%(first)s to %(last)s") % {
        "first": spans.month(*first).label,
        "last": spans.month(*last).label,
    }


def _line(incident: Incident) -> IncidentLine:
    return IncidentLine(
        number=incident.number,
        occurred_on=incident.occurred_on,
        section=incident.section.name,
        people="、".join(r.staff.name for r in incident.responsibilities.all()),
        kind=choice_label(IncidentKind, incident.kind),
        clause_code=incident.clause_code,
        clause_text=incident.clause_text,
        severity=choice_label(Severity, incident.severity),
        severity_code=incident.severity,
        points=incident.points,
        handling=(
            incident.get_handling_decision_display()
            if incident.handling_decision
            else _("Awaiting handling")
        ),
        no_longer_established=False,
    )


def _groups(span: spans.Span) -> list[SectionGroup]:
    incidents = (
        Incident.objects.filter(
            status__in=ESTABLISHED_STATUSES, occurred_on__range=(span.first, span.last)
        )
        .select_related("section")
        .prefetch_related("responsibilities__staff")
    )
    by_section: dict[int, list[Incident]] = {}
    for incident in incidents:
        by_section.setdefault(incident.section_id, []).append(incident)
    groups = []
    for section in Section.objects.filter(pk__in=list(by_section)):  # the office's order
        found = sorted(
            by_section[section.pk],
            key=lambda i: (i.occurred_on, number_sort_key(i.number)),
        )
        kinds = Counter(i.kind for i in found)
        groups.append(
            SectionGroup(
                name=section.name,
                lines=[_line(i) for i in found],
                kind_counts=[kinds.get(k.value, 0) for k in IncidentKind],
            )
        )
    return groups


def _heatmap_svg(scope: "analysis.Scope") -> tuple[str, int]:
    """The heatmap drawing and the number of incidents it counts."""
    heat = analysis.heatmap(scope)
    ids = [section.pk for section in heat.sections]
    values = [[heat.counts.get((sid, month), 0) for month in heat.months] for sid in ids]
    svg = charts.heatmap(
        _("Established incidents by section and month"),
        [section.name for section in heat.sections],
        [spans.month(y, m).label for y, m in heat.months],
        values,
        font_family=font_family(),
    )
    return svg, heat.total


def _alerts(span: spans.Span, numbers: set[str]) -> list[AlertLine]:
    """The repeat alerts the period's incidents take part in: counted over the year up to the
    period's end (a person twice in a year; a clause three times in a section's quarter)."""
    scope = analysis.Scope(span=spans.Span("range", datetime.date(span.last.year, 1, 1), span.last))
    return [
        AlertLine(text=alert.sentence, numbers="、".join(alert.numbers))
        for alert in analysis.repeat_alerts(scope)
        if numbers.intersection(alert.numbers)
    ]


def incidents_context(span: spans.Span) -> dict:
    with translation.override(pdf.LANGUAGE):
        groups = _groups(span)
        kind_totals = [sum(g.kind_counts[i] for g in groups) for i in range(len(IncidentKind))]
        severities = Counter(line.severity_code for g in groups for line in g.lines)
        heat_span = heatmap_span(span)
        svg, _heat_total = _heatmap_svg(analysis.Scope(span=heat_span))
        title = _("Bulletin on the three errors of %(span)s") % {"span": span.label}
        return {
            **page_context(title=_("Three-errors bulletin"), period_label=span.label, state=None),
            "heading": title,
            "span": span,
            "heat_label": heatmap_label(heat_span),
            "groups": groups,
            "kinds": [k.label for k in IncidentKind],
            "kind_totals": kind_totals,
            "severity_counts": [(s.label, severities.get(s.value, 0)) for s in Severity],
            "incident_count": sum(g.total for g in groups),
            "heatmap": svg,
            "alerts": _alerts(span, {line.number for g in groups for line in g.lines}),
            **history_stamp(),
        }


def incidents_filename(span: spans.Span) -> str:
    with translation.override(pdf.LANGUAGE):
        return safe_filename(f"{span.code}-{_('Three-errors bulletin')}") + ".pdf"


def incidents(span: spans.Span) -> Rendered:
    return Rendered(
        incidents_filename(span),
        PDF,
        pdf.render_pdf("reports/incidents_pdf.html", incidents_context(span)),
    )
