"""Cell values as offices type them, cleaned into plain Python values.

Pure functions: no ORM, no request. Each cleaner takes what openpyxl (or the CSV reader) hands
over — ``str``, ``int``, ``float``, ``bool``, ``datetime`` or ``None`` — and returns a clean
value or raises :class:`CellError` with a message that names the value the user typed, e.g.
``“2023-02-30” 不是有效日期``. The importer adds the row and the column in front.

Codes and numbers (工号, 科室代码, 条款编号, 考核期) are NFKC-normalised, so full-width letters
and digits (ＹＷ－０３) become ASCII; free text (names, descriptions) is only trimmed, so its
full-width punctuation stays as typed.
"""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from efficiency.quarters import Quarter

# Whitespace Python's str.strip() misses or that Excel users paste in: NBSP, zero-width space,
# BOM. The full-width space U+3000 is whitespace to Python already.
_INVISIBLE = "\u00a0\u200b\u200c\u200d\u2060\ufeff"
_STRIP = " \t\r\n\f\v\u3000" + _INVISIBLE
_ANY_SPACE = re.compile(r"[\s" + _INVISIBLE + r"]+")
_HAN = r"\u3400-\u9fff\uf900-\ufaff"
# Spaces between two Chinese characters in a name ("王　芳", "王  芳") are alignment padding.
_SPACE_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN}])[\s{_INVISIBLE}]+(?=[{_HAN}])")
# Several people in one cell: 、，,；; or any spaces (full-width ones are whitespace too).
_PEOPLE_SEPARATORS = re.compile(r"[、，,；;\s" + _INVISIBLE + r"]+")


class CellError(ValueError):
    """A value that cannot be used; ``message`` is already translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FormulaWithoutValue:
    """A formula cell saved without its computed value (openpyxl and some scripts do that)."""

    def __init__(self, formula: str = "") -> None:
        self.formula = formula

    def __repr__(self) -> str:
        return f"FormulaWithoutValue({self.formula!r})"


class FormulaErrorValue:
    """A formula whose cached result is an error such as #DIV/0! or #N/A."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __str__(self) -> str:
        return self.code


def display(value) -> str:
    """A cell value as the user sees it in the spreadsheet, for messages."""
    if value is None or isinstance(value, FormulaWithoutValue):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip(_STRIP)


QUOTE_CHARS = 40


def quote(value) -> str:
    """A value as a message quotes it: at most 40 characters, so that a long cell repeated on
    thousands of rows cannot make a page of megabytes."""
    shown = value if isinstance(value, str) else display(value)
    if len(shown) > QUOTE_CHARS:
        return shown[:QUOTE_CHARS] + "…"
    return shown


# What the forms refuse too (NUL), and the other control characters no one types in a cell;
# tab, line feed and carriage return (Alt+Enter in Excel) are text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_readable(value) -> None:
    """Refuse a formula without a saved result or with an error result, and text holding
    control characters, whatever the column."""
    if isinstance(value, str) and _CONTROL.search(value):
        raise CellError(
            _("contains a control character (such as NUL) that cannot be stored; retype it")
        )
    if isinstance(value, FormulaWithoutValue):
        raise CellError(
            _(
                "the formula has no saved result; open the file in Excel or WPS, save it, "
                "and upload it again"
            )
        )
    if isinstance(value, FormulaErrorValue):
        raise CellError(_("the formula gives an error (%(code)s)") % {"code": value.code})


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip(_STRIP)
    return False


def text(value, *, max_length: int | None = None) -> str:
    """Free text, trimmed of ASCII, full-width and invisible spaces at both ends."""
    check_readable(value)
    result = display(value)
    if max_length is not None and len(result) > max_length:
        raise CellError(
            _("“%(value)s” is longer than %(max)s characters")
            % {"value": quote(result), "max": max_length}
        )
    return result


def name(value, *, max_length: int | None = None) -> str:
    """A person's or a section's name: padding between Chinese characters removed."""
    result = _SPACE_BETWEEN_HAN.sub("", text(value))
    result = _ANY_SPACE.sub(" ", result)
    if max_length is not None and len(result) > max_length:
        raise CellError(
            _("“%(value)s” is longer than %(max)s characters")
            % {"value": quote(result), "max": max_length}
        )
    return result


def key(value) -> str:
    """A code or a header: NFKC (full-width to ASCII), every space removed."""
    check_readable(value)
    return _ANY_SPACE.sub("", unicodedata.normalize("NFKC", display(value)))


def header(value) -> str:
    """A column header as typed, reduced to compare with the layout's names.

    Stray spaces anywhere, a required-marker asterisk and a trailing (必填) are ignored:
    「 工 号 」, 「工号*」 and 「*工号（必填）」 all read as 工号.
    """
    if isinstance(value, FormulaWithoutValue | FormulaErrorValue):
        return ""
    result = _ANY_SPACE.sub("", unicodedata.normalize("NFKC", display(value)))
    result = result.replace("*", "")
    for suffix in ("(必填)", "(选填)"):
        result = result.removesuffix(suffix)
    return result


_STAFF_NO = re.compile(r"^[A-Za-z0-9-]{1,20}$")


def staff_no(value) -> tuple[str, bool]:
    """工号 as text, and whether it arrived as a number (its leading zeros may be lost).

    ``001023`` stays ``001023``; a number 1023 (or 1023.0) becomes ``1023``.
    """
    check_readable(value)
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a valid staff number") % {"value": quote(value)})
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(_("“%(value)s” is not a valid staff number") % {"value": quote(value)})
        return str(int(value)), True
    result = key(value)
    if not _STAFF_NO.match(result):
        raise CellError(_("“%(value)s” is not a valid staff number") % {"value": quote(value)})
    return result, False


def people(value) -> list[tuple[str, bool]]:
    """Several staff numbers in one cell, separated by 、，,；; or spaces (any width)."""
    check_readable(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [staff_no(value)]
    parts = [part for part in _PEOPLE_SEPARATORS.split(display(value)) if part]
    return [staff_no(part) for part in parts]


def code(value, *, upper: bool = True) -> str:
    """A short code (科室代码, 条款编号): NFKC, no spaces, full-width dashes to '-'."""
    result = key(value).replace("－", "-").replace("—", "-").replace("–", "-")
    return result.upper() if upper else result


_DATE_TEXT = re.compile(
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*[T ]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_DIGITS = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
# Excel serial numbers from 1954 to 2119: a date cell that lost its date format.
_SERIAL_RANGE = (20000, 80000)


def date(value) -> datetime.date:
    """A real Excel date, or text in the usual Chinese forms.

    2026-07-01, 2026/7/1, 2026年7月1日, 2026.7.1, 20260701; a bare serial number (a date cell
    whose format was lost) is read as Excel would show it.
    """
    check_readable(value)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    shown = display(value)
    invalid = CellError(_("“%(value)s” is not a valid date") % {"value": quote(shown)})
    if isinstance(value, bool):
        raise invalid
    if isinstance(value, int | float):
        if not float(value).is_integer():
            raise invalid
        number = int(value)
        if _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
            return datetime.date(1899, 12, 30) + datetime.timedelta(days=number)
        match = _DATE_DIGITS.match(str(number))
    else:
        normal = unicodedata.normalize("NFKC", shown).strip()
        match = _DATE_TEXT.match(normal) or _DATE_DIGITS.match(normal)
    if not match:
        raise invalid
    try:
        return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        raise invalid from None


_MONTH_TEXT = re.compile(r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?$")


def month(value) -> datetime.date:
    """A year and month (出生年月): 1985年3月, 1985-03, 1985.3, or any full date; kept as the
    first of the month when no day is given."""
    check_readable(value)
    if not isinstance(value, datetime.date | int | float):
        normal = unicodedata.normalize("NFKC", display(value)).strip()
        match = _MONTH_TEXT.match(normal)
        if match:
            if 1 <= int(match["m"]) <= 12:
                return datetime.date(int(match["y"]), int(match["m"]), 1)
            raise CellError(_("“%(value)s” is not a valid date") % {"value": quote(normal)})
    return date(value)


def decimal(value, *, places: int, maximum: Decimal | None = None) -> Decimal:
    """A number of at most ``places`` decimals, not negative."""
    check_readable(value)
    shown = display(value)
    invalid = CellError(_("“%(value)s” is not a number") % {"value": quote(shown)})
    if isinstance(value, bool):
        raise invalid
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # repr gives the shortest text that reads back as the same float: 99.5, not 99.4999…
        number = Decimal(repr(value))
    else:
        normal = unicodedata.normalize("NFKC", shown).strip().replace("。", ".")
        try:
            number = Decimal(normal)
        except InvalidOperation:
            raise invalid from None
    if not number.is_finite():
        raise invalid
    if number < 0:
        raise CellError(_("“%(value)s” cannot be negative") % {"value": quote(shown)})
    if maximum is not None and number > maximum:
        raise CellError(
            _("“%(value)s” is more than %(max)s") % {"value": quote(shown), "max": maximum}
        )
    exponent = Decimal(1).scaleb(-places)
    if number != number.quantize(exponent):
        raise CellError(
            _("“%(value)s” has more than %(places)s decimal place(s)")
            % {"value": quote(shown), "places": places}
        )
    return number.quantize(exponent) if places else number.quantize(Decimal(1))


def whole_number(value) -> int:
    """A whole number, not negative (排序)."""
    check_readable(value)
    shown = display(value)
    try:
        number = decimal(value, places=0)
    except CellError:
        raise CellError(_("“%(value)s” is not a whole number") % {"value": quote(shown)}) from None
    return int(number)


_YES = {"是", "Y", "YES", "TRUE", "1", "启用", "√", "✓", "T"}
_NO = {"否", "N", "NO", "FALSE", "0", "停用", "禁用", "×", "✗", "F"}


def yes_no(value) -> bool:
    """是/否 (also Y/N, TRUE/FALSE, 1/0, 启用/停用 and Excel's own TRUE/FALSE)."""
    check_readable(value)
    if isinstance(value, bool):
        return value
    normal = key(value).upper()
    if normal in _YES:
        return True
    if normal in _NO:
        return False
    raise CellError(_("“%(value)s” is not 是 or 否") % {"value": quote(value)})


def choice(value, options: dict[str, str]) -> str:
    """One of a fixed list: the Chinese word (or the stored code itself) → the stored code."""
    check_readable(value)
    normal = key(value)
    if normal in options:
        return options[normal]
    if normal.lower() in options.values():
        return normal.lower()
    raise CellError(
        _("“%(value)s” is not one of: %(choices)s")
        % {"value": quote(value), "choices": "、".join(options)}
    )


_YEAR = re.compile(r"^(?P<y>\d{4})(年度?)?$")
YEARS = (2000, 2100)


def year(value) -> int:
    """A year: 2026, 2026年 or 2026年度 → 2026."""
    check_readable(value)
    match = None if isinstance(value, bool) else _YEAR.match(key(value))
    if match is not None and YEARS[0] <= int(match["y"]) <= YEARS[1]:
        return int(match["y"])
    raise CellError(_("“%(value)s” is not a year; write it like 2026.") % {"value": quote(value)})


def period(value) -> str:
    """A quarter code: 2026Q3, 2026q3, 2026-Q3 or 2026年第3季度 (2026年第三季度) → 2026Q3."""
    check_readable(value)
    quarter = Quarter.parse_typed(key(value))
    if quarter is not None:
        return quarter.code
    raise CellError(
        _("“%(code)s” is not a quarter; write it like 2026Q3.") % {"code": quote(value)}
    )
