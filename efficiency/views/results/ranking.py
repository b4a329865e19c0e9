"""The quarterly ranking of staff and of sections (a leader decides grades on the decisions
page, :mod:`efficiency.views.reviews`)."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from efficiency import pools, results
from efficiency.models import PeriodState
from efficiency.scoring import Grade
from efficiency.views import period_or_404
from efficiency.wording import quarter_grade_notes, quarter_warnings, quota_share_note

from .common import (
    DeductionLine,
    deduction_lines,
    filtered,
    names,
    nav,
    page_query,
    published_periods,
)


@dataclass(frozen=True)
class RankingLine:
    row: results.Row
    averages: list  # CriterionAverage | None, aligned with the period's criteria
    deductions: list[DeductionLine]
    grade_notes: list[str]  # why the grade is below what the final alone gives


def _lines(table: results.Ranking, rows) -> list[RankingLine]:
    lines = []
    for row in rows:
        by_code = {a.code: a for a in row.result.averages}
        lines.append(
            RankingLine(
                row=row,
                averages=[by_code.get(c.code) for c in table.criteria],
                deductions=deduction_lines(row.facts),
                grade_notes=quarter_grade_notes(row.result),
            )
        )
    return lines


def _ranking_page(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    period = period_or_404(code)
    table = results.ranking(period, kind)
    form, page = filtered(request, table.rows, with_section=kind == results.STAFF)
    can_decide = (
        kind == results.STAFF
        and request.user.has_perm("efficiency.override_grade")
        and period.state != PeriodState.LOCKED
    )
    return render(
        request,
        "efficiency/appraisal/ranking.html",
        {
            "period": period,
            "periods": list(published_periods()),
            "table": table,
            "kind": kind,
            "is_staff_ranking": kind == results.STAFF,
            "lines": _lines(table, page.object_list),
            "page": page,
            "form": form,
            "query": page_query(request),
            "warnings": quarter_warnings(table.result, names(table.rows)),
            "quota_note": quota_share_note(results.thresholds_of(period)),
            "pools": pools.shown(table.pools),
            "can_decide": can_decide,
            "can_correct": kind == results.STAFF
            and period.state == PeriodState.LOCKED
            and request.user.has_perm("efficiency.record_correction"),
            "grades": [(g.value, g.label) for g in Grade],
            "back": request.get_full_path(),
            "colspan": len(table.criteria) + (8 if kind == results.STAFF else 5),
            "active": "ranking_staff" if kind == results.STAFF else "ranking_sections",
            **nav(period),
        },
    )


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def ranking_staff(request: HttpRequest, code: str) -> HttpResponse:
    return _ranking_page(request, code, results.STAFF)


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def ranking_sections(request: HttpRequest, code: str) -> HttpResponse:
    return _ranking_page(request, code, results.SECTION)
