"""Trends across quarters: every section's final, and one person's on request."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency import charts, results
from efficiency.models import PeriodState, Section, Staff

from .common import (
    filter_not_valid,
    nav,
    person_chart,
    published_periods,
    quarter_label,
    search_field,
    years,
)


class TrendForm(forms.Form):
    staff = search_field(gettext_lazy("Staff number or name"))


def _staff_for_trend(request: HttpRequest, text: str) -> Staff | None:
    matches = list(
        Staff.objects.filter(Q(staff_no=text) | Q(name=text)).select_related("section")[:5]
    )
    exact = [s for s in matches if s.staff_no == text]
    if exact:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if matches:
        messages.warning(
            request,
            _("Several people are called %(name)s; enter the staff number: %(numbers)s.")
            % {
                "name": text,
                "numbers": "、".join(f"{s.staff_no}（{s.section.name}）" for s in matches),
            },
        )
    else:
        messages.error(
            request, _("No staff member has the number or name “%(text)s”.") % {"text": text}
        )
    return None


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def trends(request: HttpRequest) -> HttpResponse:
    periods = list(reversed(published_periods()))
    labels = [quarter_label(p, len(periods)) for p in periods]
    series = results.section_trends(periods)
    order = [name for name in Section.objects.values_list("name", flat=True) if name in series]
    order += sorted(set(series) - set(order))
    section_rows = [(name, series[name]) for name in order]
    section_chart = charts.line_chart(
        title=_("Sections' final scores by quarter"),
        x_labels=labels,
        series=[(name, [p.final for p in points]) for name, points in section_rows],
        y_title=_("Final score"),
    )
    form = TrendForm(request.GET or None)
    person = person_chart_svg = None
    person_points: list = []
    if form.is_bound:
        if not form.is_valid():
            filter_not_valid(request)
        elif form.cleaned_data["staff"].strip():
            person = _staff_for_trend(request, form.cleaned_data["staff"].strip())
            if person is not None:
                person_chart_svg, person_points = person_chart(
                    person,
                    periods,
                    _("%(name)s's final score by quarter") % {"name": person.name},
                )
    return render(
        request,
        "efficiency/appraisal/trends.html",
        {
            "periods": periods,
            "labels": labels,
            "section_chart": section_chart if section_rows else "",
            "section_rows": section_rows,
            "has_open": any(p.state == PeriodState.OPEN for p in periods),
            "form": form,
            "person": person,
            "person_chart": person_chart_svg,
            "person_points": person_points,
            "years": years(),
            "active": "trends",
            **nav(periods[-1] if periods else None),
        },
    )
