"""The leaders' incident analytics page (/analysis/): where the office goes wrong, for a span.

Leaders see every section; a section head sees their own section(s) only, the filter limited
to them. Every number comes from efficiency.analysis, and every count links to the incident
list filtered to the incidents behind it.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from efficiency import analysis, charts, selectors, spans
from efficiency.models import Section
from efficiency.models.incidents import IncidentKind, Severity
from efficiency.quarters import Quarter


def allowed_sections(user) -> tuple[int, ...] | None:
    """None: every section (a leader); else the sections the user heads. Others: 403."""
    if user.has_perm("efficiency.view_all_incidents") and user.has_perm("efficiency.view_results"):
        return None
    headed = selectors.headed_section_ids(user)
    if headed:
        return tuple(headed)
    raise PermissionDenied


def may_see_analysis(user) -> bool:
    try:
        allowed_sections(user)
    except PermissionDenied:
        return False
    return True


class AnalysisForm(forms.Form):
    span = forms.CharField(
        label=gettext_lazy("Span"),
        required=False,
        max_length=30,
        help_text=gettext_lazy(
            "A quarter (2026Q4), a year (2026), a month (2026-10) or a range of days "
            "(2026-01-15..2026-03-31)."
        ),
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "2026Q4"}),
    )
    section = forms.TypedChoiceField(
        label=gettext_lazy("Section"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("All kinds")), *IncidentKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, sections: list[Section], everyone: bool, **kwargs):
        super().__init__(*args, **kwargs)
        first = [("", _("All sections"))] if everyone or len(sections) > 1 else []
        self.fields["section"].choices = first + [(s.pk, s.name) for s in sections]
        self.fields["section"].widget.attrs["class"] = "form-select"

    def clean_span(self) -> spans.Span | None:
        text = self.cleaned_data["span"].strip()
        if not text:
            return None
        try:
            return spans.parse(text)
        except spans.SpanError as error:
            raise forms.ValidationError(str(error)) from None


def _list_url(span: spans.Span, **filters) -> str:
    query = {"span": span.code, **{k: v for k, v in filters.items() if v not in (None, "")}}
    return f"{reverse('incident_list')}?{urlencode(query)}"


def _month_span(month: analysis.Month, scope: analysis.Scope) -> spans.Span:
    """A month of the heatmap, as far as the chosen span covers it."""
    whole = spans.month(*month)
    first, last = max(whole.first, scope.span.first), min(whole.last, scope.span.last)
    if (first, last) == (whole.first, whole.last):
        return whole
    return spans.Span("range", first, last)


def _month_label(month: analysis.Month, many_years: bool) -> str:
    if many_years:
        return _("%(year)s-%(month)s") % {"year": month[0], "month": month[1]}
    return pgettext("short month", "%(month)s") % {"month": month[1]}


@dataclass(frozen=True)
class Cell:
    count: int
    url: str


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: list[Cell]
    total: Cell


def _heatmap_block(scope: analysis.Scope, kind: str) -> dict:
    found = analysis.heatmap(scope)
    many_years = len({m[0] for m in found.months}) > 1
    labels = [_month_label(m, many_years) for m in found.months]
    spans_of = [_month_span(m, scope) for m in found.months]
    established = {"status": "established", "kind": kind}
    rows = [
        TableRow(
            label=section.name,
            cells=[
                Cell(found.count(section.pk, m), _list_url(s, section=section.pk, **established))
                for m, s in zip(found.months, spans_of, strict=True)
            ],
            total=Cell(
                found.row_totals[section.pk],
                _list_url(scope.span, section=section.pk, **established),
            ),
        )
        for section in found.sections
    ]
    sections = scope.sections
    only = sections[0] if sections is not None and len(sections) == 1 else None
    totals = TableRow(
        label=_("Total"),
        cells=[
            Cell(found.column_totals[m], _list_url(s, section=only, **established))
            for m, s in zip(found.months, spans_of, strict=True)
        ],
        total=Cell(found.total, _list_url(scope.span, section=only, **established)),
    )
    svg = charts.heatmap(
        _("Established incidents by section and month"),
        [row.label for row in rows],
        labels,
        found.values(),
        links=[[cell.url if cell.count else None for cell in row.cells] for row in rows],
        link_labels=[
            [
                _("%(section)s, %(month)s: %(count)s incidents")
                % {"section": row.label, "month": s.label, "count": cell.count}
                for cell, s in zip(row.cells, spans_of, strict=True)
            ]
            for row in rows
        ],
    )
    return {"svg": svg, "labels": labels, "rows": rows, "totals": totals, "total": found.total}


def _over_time_block(scope: analysis.Scope, kind: str, only: int | None) -> dict:
    found = analysis.over_time(scope)
    many_years = len({m[0] for m in found.months}) > 1
    labels = [_month_label(m, many_years) for m in found.months]
    spans_of = [_month_span(m, scope) for m in found.months]
    base = {"status": "established", "section": only}

    def row(label: str, counts: list[int], **filters) -> TableRow:
        return TableRow(
            label=label,
            cells=[
                Cell(n, _list_url(s, **base, **filters))
                for n, s in zip(counts, spans_of, strict=True)
            ],
            total=Cell(sum(counts), _list_url(scope.span, **base, **filters)),
        )

    kinds = [k for k in IncidentKind if not kind or k.value == kind]
    kind_rows = [row(str(k.label), found.by_kind[k.value], kind=k.value) for k in kinds]
    severity_rows = [
        row(str(s.label), found.by_severity[s.value], kind=kind, severity=s.value) for s in Severity
    ]
    chart = charts.bar_chart(
        title=_("Established incidents per month, by kind"),
        x_labels=labels,
        series=[(r.label, [c.count for c in r.cells]) for r in kind_rows],
        y_title=_("Incidents"),
        width=1000,
    )
    severity_chart = charts.bar_chart(
        title=_("Established incidents per month, by severity"),
        x_labels=labels,
        series=[(r.label, [c.count for c in r.cells]) for r in severity_rows],
        y_title=_("Incidents"),
        width=1000,
    )
    total = row(_("Total"), found.totals, kind=kind)
    return {
        "labels": labels,
        "kind_chart": chart,
        "severity_chart": severity_chart,
        "kind_rows": kind_rows,
        "severity_rows": severity_rows,
        "totals": total,
    }


@dataclass(frozen=True)
class ClauseLine:
    row: analysis.ClauseRow
    reported_url: str
    established_url: str
    dismissed_url: str


def _grade_block(scope: analysis.Scope) -> dict:
    found = analysis.grade_distribution(scope)
    grades = [g.label for g in analysis.GRADES]
    chart = ""
    if found.quarters:
        chart = charts.bar_chart(
            title=_("Staff grades per quarter"),
            x_labels=[row.label for row in found.quarters],
            series=[
                (str(grade.label), [row.counts[grade.value] for row in found.quarters])
                for grade in analysis.GRADES
            ],
            y_title=_("People"),
            width=1000,
        )
    return {"found": found, "grades": grades, "chart": chart}


@login_required
def analysis_page(request: HttpRequest) -> HttpResponse:
    allowed = allowed_sections(request.user)
    everyone = allowed is None
    sections = list(Section.objects.all() if everyone else Section.objects.filter(pk__in=allowed))
    if not everyone:
        # Another section's id in the address shows nothing of it, not even its name.
        asked = request.GET.get("section", "").strip()
        if asked and asked not in {str(s.pk) for s in sections}:
            raise Http404
    form = AnalysisForm(request.GET or None, sections=sections, everyone=everyone)
    default = spans.quarter(Quarter.of(timezone.localdate()))
    span, section_id, kind = default, None, ""
    if form.is_bound:
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        span = data.get("span") or default
        section_id = data.get("section")
        kind = data.get("kind") or ""
    if section_id is not None:
        chosen: tuple[int, ...] | None = (section_id,)
    elif everyone:
        chosen = None
    else:
        chosen = tuple(allowed)
    scope = analysis.Scope(span=span, sections=chosen, kind=kind)
    only = chosen[0] if chosen is not None and len(chosen) == 1 else None
    clauses = [
        ClauseLine(
            row=row,
            reported_url=_list_url(span, clause=row.code, section=only),
            established_url=_list_url(span, clause=row.code, section=only, status="established"),
            dismissed_url=_list_url(span, clause=row.code, section=only, status="dismissed"),
        )
        for row in analysis.clause_stats(scope, reasons=False)
    ]
    alerts = [
        (
            alert,
            _list_url(
                alert.span,
                clause=alert.code,
                status="established",
                section=alert.section_id or only,
                q=alert.staff_no,
            ),
        )
        for alert in analysis.repeat_alerts(scope)
    ]
    today = timezone.localdate()
    this_quarter = Quarter.of(today)
    presets = [
        (_("This quarter"), this_quarter.code),
        (_("Last quarter"), this_quarter.previous.code),
        (_("This month"), spans.month(today.year, today.month).code),
        (_("This year"), str(today.year)),
        (_("Last year"), str(today.year - 1)),
    ]
    query = {k: v for k, v in (("section", only if section_id else None), ("kind", kind)) if v}
    return render(
        request,
        "efficiency/analysis/page.html",
        {
            "form": form,
            "span": span,
            "scope": scope,
            "everyone": everyone,
            "section_names": [s.name for s in sections if chosen is None or s.pk in chosen],
            "kind_label": IncidentKind(kind).label if kind else "",
            "presets": [
                (label, code, urlencode({"span": code, **query})) for label, code in presets
            ],
            "heatmap": _heatmap_block(scope, kind),
            "over_time": _over_time_block(scope, kind, only),
            "clauses": clauses,
            "unused": analysis.unused_clauses(scope),
            "alerts": alerts,
            "person_alerts": [(a, url) for a, url in alerts if a.kind == "person"],
            "grades": _grade_block(scope),
            "all_url": _list_url(span, section=only, kind=kind),
        },
    )
