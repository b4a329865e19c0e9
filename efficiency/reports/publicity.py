"""2026年第3季度平时考核结果公示: the list for the notice board.

Name, section and published grade of everyone on the ranking (no marks, no scores), by the
sections' display order then by name; the 公示 window, where to lodge an objection, the issuing
office and the date. The window is the one recorded when the period was closed
(``selectors.publicity_dates``) unless the caller gives the dates.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from efficiency import results, selectors
from efficiency.models import Period, Section

from . import ReportError, pdf
from .common import PDF, Rendered, quarter_page_context, safe_filename

TEMPLATE = "reports/publicity_pdf.html"


@dataclass(frozen=True)
class Line:
    name: str
    section: str
    grade: str


def chinese_date(day: datetime.date) -> str:
    return _("%(year)s-%(month)s-%(day)s") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def publicity_context(period: Period, *, starts: datetime.date, ends: datetime.date) -> dict:
    with translation.override(pdf.LANGUAGE):
        table = results.ranking(period, results.STAFF)
        # By id: the order a section has now; a section since removed goes last.
        order = dict(Section.objects.values_list("pk", "order"))
        rows = sorted(
            table.rows,
            key=lambda row: (order.get(row.facts.section_id, 10**9), row.facts.name, row.facts.key),
        )
        lines = [
            Line(
                name=row.facts.name,
                section=row.facts.section,
                grade=row.result.grade.label if row.result.grade else _("Not assessed"),
            )
            for row in rows
        ]
        title = _("Results of the quarterly appraisal of %(period)s: public notice") % {
            "period": period
        }
        return {
            **quarter_page_context(period, title=title),
            "lines": lines,
            "window": _("Notice period: %(starts)s to %(ends)s")
            % {"starts": chinese_date(starts), "ends": chinese_date(ends)},
            "issued_on": chinese_date(starts),
            "issuer": settings.OFFICE_NAME,
        }


def publicity_filename(period: Period) -> str:
    with translation.override(pdf.LANGUAGE):
        return safe_filename(f"{period.code}-{_('Public notice of the results')}") + ".pdf"


def publicity(
    period: Period, *, starts: datetime.date | None = None, ends: datetime.date | None = None
) -> Rendered:
    """The notice for ``period``'s 公示 window (the one recorded at closing unless given)."""
    if starts is None or ends is None:
        dates = selectors.publicity_dates(period)
        if dates is None:
            raise ReportError(
                _(
                    "Period %(code)s has no publicity window: it is printed once the period is "
                    "closed with one."
                )
                % {"code": period.code}
            )
        starts, ends = dates
    context = publicity_context(period, starts=starts, ends=ends)
    return Rendered(publicity_filename(period), PDF, pdf.render_pdf(TEMPLATE, context))


render = publicity
