"""A person's score card for one quarter: marks, deductions, why the grade, and the trend."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from efficiency import results, selectors, vetoes
from efficiency.models import Period, PeriodState, Staff
from efficiency.models.appraisal import PUBLISHED_STATES
from efficiency.views import period_or_404
from efficiency.wording import (
    criterion_sentence,
    person_name,
    quarter_grade_sentences,
    quota_sentence,
    veto_sentence,
)

from .common import deduction_lines, nav, person_chart, published_periods

CARD_TREND_QUARTERS = 6


@dataclass(frozen=True)
class MarkShown:
    value: Decimal
    dropped: str  # "", "high" or "low"


@dataclass(frozen=True)
class CriterionLine:
    name: str
    weight: Decimal
    average: object  # CriterionAverage | None
    marks: list[MarkShown]
    sentence: str


def _marks_shown(average) -> list[MarkShown]:
    """All marks, highest first; the dropped highest is the first, the dropped lowest the last."""
    if average is None:
        return []
    ordered = sorted(average.marks, reverse=True)
    shown = [MarkShown(value, "") for value in ordered]
    if average.dropped_high is not None:
        shown[0] = MarkShown(ordered[0], "high")
        shown[-1] = MarkShown(ordered[-1], "low")
    return shown


def _criterion_lines(table: results.Ranking, result) -> list[CriterionLine]:
    by_code = {a.code: a for a in result.averages}
    lines = []
    for spec in table.criteria:
        average = by_code.get(spec.code)
        lines.append(
            CriterionLine(
                spec.name, spec.weight, average, _marks_shown(average), criterion_sentence(average)
            )
        )
    return lines


def _card_periods(period: Period, everyone: bool) -> list[Period]:
    """The last quarters up to this one, oldest first (only published ones for a person)."""
    periods = published_periods().filter(
        Q(year__lt=period.year) | Q(year=period.year, quarter__lte=period.quarter)
    )
    if not everyone:
        periods = periods.filter(state__in=PUBLISHED_STATES)
    return list(reversed(periods[:CARD_TREND_QUARTERS]))


def _check_may_see(request: HttpRequest, period: Period, staff: Staff | None, staff_no: str):
    """Oneself, or a head for the people in their sections that quarter (the personal form
    PDF shows a head the same numbers). Whoever else is asked about gets the same 403,
    whether the number exists or not."""
    if period.state not in PUBLISHED_STATES:
        raise PermissionDenied
    own = selectors.staff_of(request.user)
    if own is None or own.staff_no != staff_no:
        facts = results.person_facts(period, staff.pk) if staff is not None else None
        headed = set(selectors.headed_section_ids(request.user))
        if facts is None or facts.section_id not in headed:
            raise PermissionDenied


def _decided_by(override) -> str:
    if override is None:
        return ""
    return person_name(override.decided_by)


@login_required
def score_card(request: HttpRequest, code: str, staff_no: str) -> HttpResponse:
    period = period_or_404(code)
    everyone = request.user.has_perm("efficiency.view_results")
    staff = Staff.objects.filter(staff_no=staff_no).first()
    if not everyone:
        _check_may_see(request, period, staff, staff_no)
    table = results.ranking(period, results.STAFF)
    row = table.row(staff_no)
    if row is None or staff is None:
        raise Http404
    result = row.result
    thresholds = results.thresholds_of(period)
    quota_seen = results.quota_seen_by(table, row, thresholds)  # the person's pool's, if any
    periods = _card_periods(period, everyone)
    chart, chart_points = person_chart(
        staff, periods, _("Final score, quarter by quarter"), known=table
    )
    tied = sum(1 for r in table.rows if r.result.rank == result.rank) if result.rank else 0
    return render(
        request,
        "efficiency/appraisal/card.html",
        {
            "period": period,
            "periods": list(published_periods()) if everyone else [],
            "row": row,
            "facts": row.facts,
            "result": result,
            "table": table,
            "criteria_lines": _criterion_lines(table, result),
            "missing": [c.name for c in table.criteria if c.code in result.missing_criteria],
            "deductions": deduction_lines(row.facts),
            "grade_sentences": quarter_grade_sentences(
                result, period=quota_seen[0], thresholds=quota_seen[1]
            ),
            "quota_sentence": quota_sentence(*quota_seen),
            "tied_with": tied - 1 if tied > 1 else 0,
            "override": row.override,
            "decided_by": _decided_by(row.override),
            "chart": chart,
            "chart_points": chart_points,
            "periods_of_influence": vetoes.person_periods(staff),
            "veto_sentences": [
                veto_sentence(v)
                for v in vetoes.year_vetoes(period.year, [staff_no]).get(staff_no, ())
            ],
            "everyone": everyone,
            "can_decide": everyone
            and request.user.has_perm("efficiency.override_grade")
            and period.state != PeriodState.LOCKED,
            "active": "ranking_staff" if everyone else "",
            **nav(period),
        },
    )
