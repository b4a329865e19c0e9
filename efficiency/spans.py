"""A span of days that incident reports and analytics cover: a month, a quarter, a year or a
custom range, parsed from its code in one place.

Codes: ``2026-10`` (a month), ``2026Q4`` (a quarter), ``2026`` (a year) and
``2026-01-15..2026-03-31`` (a custom range, both days included). Pure: no database, no request.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .quarters import Quarter

_MONTH_RE = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$")
_YEAR_RE = re.compile(r"^(?P<year>\d{4})$")
_RANGE_RE = re.compile(r"^(?P<first>\d{4}-\d{1,2}-\d{1,2})\.\.(?P<last>\d{4}-\d{1,2}-\d{1,2})$")

# A custom range longer than this is refused: the analytics page draws one column per month.
MAX_DAYS = 3 * 366


class SpanError(ValueError):
    """A span code that names no span; the message says why, in the user's language."""


@dataclass(frozen=True)
class Span:
    kind: str  # "month", "quarter", "year" or "range"
    first: datetime.date
    last: datetime.date

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.first.year}-{self.first.month:02d}"
        if self.kind == "quarter":
            return Quarter.of(self.first).code
        if self.kind == "year":
            return str(self.first.year)
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    @property
    def label(self) -> str:
        """How a page or a bulletin names it: 2026年10月, 2026年第4季度, 2026年度, or a range."""
        if self.kind == "month":
            return _("%(year)s-%(month)s") % {"year": self.first.year, "month": self.first.month}
        if self.kind == "quarter":
            quarter = Quarter.of(self.first)
            return _("%(year)s Q%(number)s") % {"year": quarter.year, "number": quarter.number}
        if self.kind == "year":
            return _("%(year)s (year)") % {"year": self.first.year}
        return _("%(first)s to %(last)s") % {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
        }

    @property
    def months(self) -> list[tuple[int, int]]:
        """Every (year, month) the span touches, in order: the columns of a month heatmap."""
        months = []
        year, month = self.first.year, self.first.month
        while (year, month) <= (self.last.year, self.last.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    def __contains__(self, day: datetime.date) -> bool:
        return self.first <= day <= self.last

    def __str__(self) -> str:
        return self.code


def month(year: int, number: int) -> Span:
    last = calendar.monthrange(year, number)[1]
    return Span("month", datetime.date(year, number, 1), datetime.date(year, number, last))


def quarter(value: Quarter) -> Span:
    return Span("quarter", value.first_day, value.last_day)


def year(number: int) -> Span:
    return Span("year", datetime.date(number, 1, 1), datetime.date(number, 12, 31))


def parse(text: str | None) -> Span:
    """The span a code names; :class:`SpanError` with a message saying what is accepted."""
    text = (text or "").strip()
    found = Quarter.parse(text)
    if found:
        return quarter(found)
    match = _MONTH_RE.match(text)
    if match:
        number = int(match["month"])
        if 1 <= number <= 12:
            return month(int(match["year"]), number)
        raise SpanError(_("There is no month %(month)s.") % {"month": number})
    match = _YEAR_RE.match(text)
    if match:
        return year(int(match["year"]))
    match = _RANGE_RE.match(text)
    if match:
        try:
            first = datetime.date.fromisoformat(_padded(match["first"]))
            last = datetime.date.fromisoformat(_padded(match["last"]))
        except ValueError:
            raise SpanError(
                _("“%(text)s” contains a day that does not exist.") % {"text": text}
            ) from None
        if last < first:
            raise SpanError(_("The range ends before it begins."))
        if (last - first).days + 1 > MAX_DAYS:
            raise SpanError(_("A range may cover at most three years."))
        return Span("range", first, last)
    raise SpanError(
        _(
            "“%(text)s” is not a span. Write a month (2026-10), a quarter (2026Q4), a year (2026) "
            "or a range of days (2026-01-15..2026-03-31)."
        )
        % {"text": text}
    )


def _padded(day: str) -> str:
    year_part, month_part, day_part = day.split("-")
    return f"{year_part}-{int(month_part):02d}-{int(day_part):02d}"
