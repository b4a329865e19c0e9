"""公务员平时考核登记表: one person, one quarter, and the quarter's forms for the ZIP.

The first page is the official form (its boxes come from :mod:`.register`); the score sheet
(marks, deductions, result, trend) follows as its annex, 附：评分明细.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from efficiency import charts, results, standings
from efficiency.models import Incident, Period, Staff
from efficiency.models.appraisal import PUBLISHED_STATES
from efficiency.wording import person_name, quarter_grade_form_notes

from . import ReportError, pdf, register
from .common import (
    PDF,
    Rendered,
    font_family,
    incident_line,
    incidents_by_number,
    load_override_users,
    quarter_page_context,
    safe_filename,
    staff_by_number,
)
from .history_stamp import history_stamp

TREND_QUARTERS = 6


@dataclass(frozen=True)
class MarkLine:
    name: str
    weight: Decimal
    count: int  # assessors' marks given
    dropped_high: Decimal | None
    dropped_low: Decimal | None
    average: Decimal | None


def trend_periods(period: Period) -> list[Period]:
    """This quarter and up to five before it that are published, oldest first."""
    earlier = (
        Period.objects.filter(state__in=PUBLISHED_STATES)
        .filter(Q(year__lt=period.year) | Q(year=period.year, quarter__lt=period.quarter))
        .order_by("-year", "-quarter")[: TREND_QUARTERS - 1]
    )
    return [*reversed(list(earlier)), period]


def _personal_context(
    *,
    period: Period,
    table: results.Ranking,
    row: results.Row,
    staff: Staff,
    trend: Sequence[tuple[Period, Decimal | None]],
    incidents: dict[str, Incident],
    records: register.Records,
    font_family: str,
    stamp: dict,
) -> dict:
    result = row.result
    by_code = {a.code: a for a in result.averages}
    marks = []
    for spec in table.criteria:
        average = by_code.get(spec.code)
        marks.append(
            MarkLine(
                name=spec.name,
                weight=spec.weight,
                count=len(average.marks) if average else 0,
                dropped_high=average.dropped_high if average else None,
                dropped_low=average.dropped_low if average else None,
                average=average.average if average else None,
            )
        )
    tied = (
        sum(1 for other in table.rows if other.result.rank == result.rank) > 1
        if result.rank
        else False
    )
    override = row.override
    points = [(str(p), final) for p, final in trend]
    deductions = [incident_line(d, incidents.get(d.number)) for d in row.facts.deductions]
    return {
        **quarter_page_context(period, title=_("Civil servant's quarterly appraisal form")),
        "form": register.boxes(
            staff=staff,
            row=row,
            criteria={c.code: c.name for c in table.criteria},
            incidents=[d for d in deductions if not d.no_longer_established],
            records=records,
        ),
        "staff": staff,
        "facts": row.facts,
        "result": result,
        "marks": marks,
        "missing": [c.name for c in table.criteria if c.code in result.missing_criteria],
        "deductions": deductions,
        "assessed_count": table.result.assessed_count,
        "tied": tied,
        "grade_notes": quarter_grade_form_notes(
            result, period=table.result, thresholds=results.thresholds_of(period)
        ),
        "override": override,
        "override_by": person_name(override.decided_by) if override else "",
        "correction": row.correction,
        "trend": points,
        "chart": _trend_chart(points, font_family) if len(points) > 1 else "",
        **stamp,
    }


def _trend_chart(points: list[tuple[str, Decimal | None]], font_family: str):
    # The page's chart engine at print size, in the fonts the PDF embeds; the section
    # heading above it is its title.
    return charts.line_chart(
        title="",
        x_labels=[label for label, _final in points],
        series=[("", [final for _label, final in points])],
        width=640,
        height=125,
        show_values=True,
        legend=False,
        font_family=font_family,
        font_size=10.5,
    )


def personal_filename(staff_no: str, name: str, period: Period) -> str:
    return safe_filename(f"{staff_no}-{name}-{period.code}") + ".pdf"


def personal_context(period: Period, staff: Staff) -> dict:
    """One person's form: the period's ranking, and their trend from ``results.staff_trend``."""
    with translation.override(pdf.LANGUAGE):
        table = results.ranking(period, results.STAFF)
        row = table.row(staff.staff_no)
        absent = standings.absent_ids(period.year, period.quarter).filter(staff=staff)
        if row is None and absent.exists():
            raise ReportError(
                _("%(name)s (%(staff_no)s) is not appraised in %(period)s: there is no form.")
                % {"name": staff.name, "staff_no": staff.staff_no, "period": period}
            )
        if row is None:
            raise ReportError(
                _("%(name)s (%(staff_no)s) was not in post during %(period)s.")
                % {"name": staff.name, "staff_no": staff.staff_no, "period": period}
            )
        load_override_users(table)
        periods = trend_periods(period)
        trend = [
            (p, point.final)
            for p, point in zip(periods, results.staff_trend(staff, periods), strict=True)
        ]
        return _personal_context(
            period=period,
            table=table,
            row=row,
            staff=staff,
            trend=trend,
            incidents=incidents_by_number(d.number for d in row.facts.deductions),
            records=register.records_for(period, [staff.pk])[staff.pk],
            font_family=font_family(),
            stamp=history_stamp(),
        )


def personal_contexts(period: Period) -> Iterator[tuple[str, dict]]:
    """Everyone's form for the quarter (the ZIP), each with its file name, in ranking order.

    One ranking per quarter of the trend, not one trend query per person: a person's final
    in a quarter is that quarter's ranking row's final, the same value ``staff_trend`` gives
    (``test_report_zip`` checks both agree).
    """
    with translation.override(pdf.LANGUAGE):
        table = results.ranking(period, results.STAFF)
        load_override_users(table)
        periods = trend_periods(period)
        tables = {p.code: results.ranking(p, results.STAFF) for p in periods[:-1]}
        tables[period.code] = table
        staff = staff_by_number(row.facts.key for row in table.rows)
        incidents = incidents_by_number(
            d.number for row in table.rows for d in row.facts.deductions
        )
        records = register.records_for(period, [s.pk for s in staff.values()])
        family = font_family()
        # One fingerprint for the whole ZIP: the forms are printed together, from one history,
        # and drawing its QR code is most of the time spent here (~16 ms a form).
        stamp = history_stamp()
        for row in sorted(table.rows, key=lambda r: r.facts.key):
            person = staff.get(row.facts.key)
            if person is None:
                continue
            trend = []
            for p in periods:
                other = tables[p.code].row(row.facts.key)
                assessed = other is not None and other.result.assessed
                trend.append((p, other.result.final if assessed else None))
            yield (
                personal_filename(person.staff_no, person.name, period),
                _personal_context(
                    period=period,
                    table=table,
                    row=row,
                    staff=person,
                    trend=trend,
                    incidents=incidents,
                    records=records[person.pk],
                    font_family=family,
                    stamp=stamp,
                ),
            )


PERSONAL_TEMPLATE = "reports/personal_pdf.html"


def render_personal(context: dict) -> Rendered:
    return Rendered(
        personal_filename(context["facts"].key, context["facts"].name, context["period"]),
        PDF,
        pdf.render_pdf(PERSONAL_TEMPLATE, context),
    )


def personal(period: Period, staff: Staff) -> Rendered:
    return render_personal(personal_context(period, staff))
