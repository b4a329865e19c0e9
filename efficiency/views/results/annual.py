"""The annual roll-up: every person's quarters, annual score and grade, and the warnings."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from efficiency import charts, pools, results
from efficiency.scoring import AnnualGrade
from efficiency.wording import (
    annual_count_labels,
    annual_notes,
    annual_rules,
    annual_warnings,
    excellent_share_note,
)

from .common import filtered, names, nav, page_query, years


@dataclass(frozen=True)
class AnnualLine:
    row: results.AnnualRow
    quarters: list  # (Period, results.Row | None), one per quarter of the year
    notes: list[str]
    decided: str  # 审定等次 in the person's wording; "" until the committee decides


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def annual(request: HttpRequest, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        raise Http404
    rollup = results.annual_rollup(year)
    form, page = filtered(request, rollup.rows)
    decided = results.annual_decided_labels(year, page.object_list)
    lines = [
        AnnualLine(
            row=row,
            quarters=[(p, row.quarters.get(p.code)) for p in rollup.periods],
            notes=annual_notes(row.result),
            decided=decided.get(row.facts.key, ""),
        )
        for row in page.object_list
    ]
    labels = annual_count_labels(row.category for row in rollup.rows)
    counts = {grade: 0 for grade in AnnualGrade}
    for row in rollup.rows:
        if row.result.grade is not None:
            counts[row.result.grade] += 1
    return render(
        request,
        "efficiency/appraisal/annual.html",
        {
            "year": year,
            "years": years(),
            "rollup": rollup,
            "lines": lines,
            # The 审定等次 column appears once the committee has decided anyone of the year.
            "any_decided": bool(decided) or results.annual_any_decided(year),
            "page": page,
            "form": form,
            "query": page_query(request),
            "warnings": annual_warnings(rollup.result, names(rollup.rows)),
            "rules": annual_rules(rollup.thresholds, rollup.result.pools),
            "quota_note": excellent_share_note(rollup.thresholds),
            "pools": pools.shown(rollup.result.pools),
            "grade_counts": [(labels[grade], counts[grade]) for grade in AnnualGrade],
            "chart": charts.bar_chart(
                title=_("Annual grades"),
                x_labels=[labels[grade] for grade in AnnualGrade],
                series=[(_("People"), [counts[grade] for grade in AnnualGrade])],
                width=720,
                height=240,
            )
            if rollup.rows
            else "",
            "active": "annual",
            **nav(year=year),
        },
    )
