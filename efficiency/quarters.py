"""A quarter of a year (2026Q3, 2026年第3季度): parsing, date bounds and neighbours, in one place.

Pure: no database, no request. Periods, incidents, imports, exports, reports and commands all
read quarter codes through :class:`Quarter`.
"""

import datetime
import re
from dataclasses import dataclass

# The stored form, as periods and addresses carry it.
CODE_RE = re.compile(r"^(?P<year>\d{4})Q(?P<number>[1-4])$")
# What people type into a spreadsheet: 2026q3, 2026-Q3, 2026年第3季度, 2026年第三季度.
_TYPED_RE = re.compile(r"^(?P<year>\d{4})-?Q(?P<number>[1-4])$")
_CHINESE_RE = re.compile(r"^(?P<year>\d{4})年?第?(?P<number>[1-4一二三四])季度?$")
_CHINESE_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4"}


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1–4

    @classmethod
    def parse(cls, text: str | None) -> "Quarter | None":
        """The quarter a code such as ``2026Q3`` names (spaces and case aside), or None."""
        match = CODE_RE.match((text or "").strip().upper())
        return cls(int(match["year"]), int(match["number"])) if match else None

    @classmethod
    def parse_typed(cls, text: str | None) -> "Quarter | None":
        """Also the ways people write it by hand: 2026-Q3, 2026年第3季度, 2026年第三季度."""
        text = (text or "").strip()
        match = _TYPED_RE.match(text.upper()) or _CHINESE_RE.match(text)
        if not match:
            return None
        number = _CHINESE_DIGITS.get(match["number"], match["number"])
        return cls(int(match["year"]), int(number))

    @classmethod
    def of(cls, day: datetime.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> datetime.date:
        return self.next.first_day - datetime.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def bounds(self) -> tuple[datetime.date, datetime.date]:
        return self.first_day, self.last_day

    @property
    def next(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    @property
    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def __str__(self) -> str:
        return self.code
