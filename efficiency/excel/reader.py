"""Reading an uploaded workbook safely, and finding its header row.

What arrives is checked by its content, not its name: an .xlsx is a zip holding
``xl/workbook.xml``; an old .xls (or a WPS .et, or a password-protected workbook) is an OLE2
file and is refused with a message telling how to save it as .xlsx; CSV is read in UTF-8
(with or without a BOM), UTF-16 or GB18030 (which covers GBK and GB2312, what Chinese Windows
saves). Limits: the upload size, the unpacked size of the zip (no zip bombs), the number of data
rows. openpyxl parses in read-only mode, streaming each sheet's XML row by row; with
``defusedxml`` installed it refuses entity tricks (billion laughs) in every part it parses.

Formulas: the workbook is opened with ``data_only=True``, so a formula cell gives the value
Excel, WPS or LibreOffice computed and saved with it. A file written by a program that saves
formulas without results (openpyxl does) has no value to read: such a cell becomes a
:class:`~efficiency.excel.cleaners.FormulaWithoutValue`, and the importer reports it on its row
rather than reading it as blank. (xlsxwriter stores 0 as the result unless told otherwise;
that 0 cannot be told from a real 0. Excel recomputes on opening, so a file saved by Excel is
right.)
"""

import codecs
import csv
import io
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import openpyxl.xml
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, FORMULA_TAG, ROW_TAG, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from efficiency.wording import MB, file_too_big

from . import cleaners, limits
from .layouts import Layout

log = logging.getLogger(__name__)

# openpyxl sizes every read-only sheet as it opens the workbook and, when a sheet declares no
# <dimension>, parses all of it to find out: a whole uncounted parse (one row of four million
# cells: 90 s) whose result the reader never uses, since it streams rows through its own
# counted parser. Only this module opens workbooks read-only.
ReadOnlyWorksheet._get_size = lambda self: None

# What a row holds, kept until the row ends; anything else is dropped as soon as it is read.
_CELL_TAGS = {f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("c", "v", "f", "is", "t", "r", "rPh", "rPr")}
HEADER_SCAN_ROWS = 20  # title rows, blank rows and notes above the header
BLANK_RUN_END = 1000  # this many blank rows in a row end the table (LibreOffice pads to 10⁶)


def max_upload_bytes() -> int:
    return settings.EXCEL_MAX_UPLOAD_BYTES


def max_rows() -> int:
    return settings.EXCEL_MAX_ROWS


def max_unpacked_bytes() -> int:
    return settings.EXCEL_MAX_UNPACKED_BYTES


class FileRefused(Exception):
    """The file as a whole cannot be read; ``message`` is translated and says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Row:
    number: int  # the row number the user sees in the spreadsheet (the line, for CSV)
    values: dict[str, object]  # layout column name -> raw value (absent columns missing)


@dataclass
class Table:
    file_name: str
    sheet_name: str
    header_row: int
    columns: list[str]  # the layout's columns present, in the file's order
    ignored: list[str]  # headers not in the layout
    rows: list[Row] = field(default_factory=list)


def period_codes(table: Table) -> set[str]:
    """The quarters the rows name under 考核期, to load their periods at once; a cell that is
    not a quarter is left to the row's own check to report."""
    codes = set()
    for row in table.rows:
        try:
            codes.add(cleaners.period(row.values.get("考核期")))
        except cleaners.CellError:
            pass
    return codes


# --- what kind of file is it ---------------------------------------------------------------------

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


def sniff(head: bytes, file_name: str) -> str:
    """'xlsx', 'csv', or raise :class:`FileRefused` with a message saying what to do."""
    name = file_name.lower()
    if head.startswith(OLE2):
        raise FileRefused(
            _(
                "“%(name)s” is an old Excel 97–2003 (.xls) or WPS (.et) workbook, or one "
                "protected by a password; it cannot be read here. %(hint)s"
            )
            % {"name": file_name, "hint": limits.save_as_hint()}
        )
    if head.startswith(ZIP):
        return "xlsx"
    if not head.strip():
        raise FileRefused(_("“%(name)s” is empty.") % {"name": file_name})
    stripped = head.lstrip(codecs.BOM_UTF8).lstrip()
    if stripped[:1] == b"<":
        # An HTML table or an XML Spreadsheet 2003 saved with an .xls name.
        raise FileRefused(
            _("“%(name)s” is a web page or XML file, not an Excel workbook. %(hint)s")
            % {"name": file_name, "hint": limits.save_as_hint()}
        )
    if name.endswith((".csv", ".txt")):
        return "csv"
    raise FileRefused(
        _("“%(name)s” is not an Excel workbook (.xlsx) or a CSV file. %(hint)s")
        % {"name": file_name, "hint": limits.save_as_hint()}
    )


def _check_zip(path: Path, file_name: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise FileRefused(
            _("“%(name)s” is damaged or is not a real .xlsx file. %(hint)s")
            % {"name": file_name, "hint": limits.save_as_hint()}
        ) from None
    if len(names) > limits.ZIP_PARTS:
        raise FileRefused(
            _(
                "“%(name)s” is made of more than %(limit)s parts, far more than a workbook of "
                "this kind needs; it was not read."
            )
            % {"name": file_name, "limit": f"{limits.ZIP_PARTS:,}"}
        )
    if b"opendocument" in mimetype:
        raise FileRefused(
            _("“%(name)s” is an OpenDocument spreadsheet (.ods). %(hint)s")
            % {"name": file_name, "hint": limits.save_as_hint()}
        )
    if "xl/workbook.xml" not in names:
        raise FileRefused(
            _("“%(name)s” is a zip file but not an Excel workbook. %(hint)s")
            % {"name": file_name, "hint": limits.save_as_hint()}
        )
    if unpacked > max_unpacked_bytes():
        raise FileRefused(
            _(
                "“%(name)s” unpacks to more than %(limit)s MB, far more than a sheet of this "
                "kind needs; it was not read."
            )
            % {"name": file_name, "limit": max_unpacked_bytes() // MB}
        )


# --- xlsx ----------------------------------------------------------------------------------------


class _CellParser(WorkSheetParser):
    """openpyxl's streaming parser, telling a formula without a saved result from a blank.

    It reads only the rows, with the standard library's C parser rather than defusedxml's
    pure-Python one (five times slower a cell): the sheet reaches it through
    :class:`~.limits.CountingStream`, which has refused any document type declaration (and so
    any entity) before a byte of it gets here.
    """

    def __init__(self, *args, file_name: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.file_name = file_name

    def parse(self):
        for _event, element in ElementTree.iterparse(self.source):
            if element.tag == ROW_TAG:
                yield self.parse_row(element)
                element.clear()
            elif element.tag == DATA_TAG:
                return  # nothing after the rows is needed
            elif element.tag not in _CELL_TAGS:
                element.clear()

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if isinstance(cell["value"], str) and len(cell["value"]) > limits.CELL_CHARS:
            raise limits.cell_too_long(self.file_name)
        if cell["data_type"] == "e" and cell["value"] is not None:
            cell["value"] = cleaners.FormulaErrorValue(str(cell["value"]))
        elif cell["value"] is None:
            formula = element.find(FORMULA_TAG)
            if formula is not None:
                cell["value"] = cleaners.FormulaWithoutValue(formula.text or "")
        return cell


def _xlsx_sheets(
    path: Path, file_name: str
) -> Iterator[tuple[str, Iterator[tuple[int, dict[int, object]]]]]:
    """Each worksheet's title and its rows as (row number, {column index: value})."""
    budget = limits.Budget(file_name)
    limits.check_parts(path, budget)
    # A file object, not the path: openpyxl judges a path by its extension, and uploads are
    # stored under a random name without one.
    with path.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
        try:
            for sheet in workbook.worksheets:
                yield sheet.title, _xlsx_rows(workbook, sheet, budget)
        finally:
            workbook.close()


def _xlsx_rows(workbook, sheet, budget: limits.Budget) -> Iterator[tuple[int, dict[int, object]]]:
    # The same call openpyxl's ReadOnlyWorksheet makes, with our parser (openpyxl 3.1), fed
    # through the counter that stops a hostile sheet before openpyxl builds its rows.
    with sheet._get_source() as raw, limits.CountingStream(raw, budget) as source:
        parser = _CellParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
            file_name=budget.file_name,
        )
        for number, cells in parser.parse():
            yield (
                number,
                {c["column"] - 1: c["value"] for c in cells if c["value"] is not None},
            )


# --- csv -----------------------------------------------------------------------------------------


def _decode(data: bytes, file_name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused(
        _("The text of “%(name)s” is in an encoding that cannot be read. %(hint)s")
        % {"name": file_name, "hint": limits.save_as_hint()}
    )


def _csv_sheets(path: Path, file_name: str):
    content = _decode(path.read_bytes(), file_name)
    # The separator used most in the first lines: comma (Excel), tab (“Unicode text”), or the
    # semicolon some regional settings use.
    lines = content.splitlines()
    head = "\n".join(lines[:HEADER_SCAN_ROWS])
    delimiter = max(",\t;", key=lambda d: (head.count(d), d == ","))
    # Refused before the csv module builds a list of millions of cells from one line.
    if any(line.count(delimiter) >= limits.ROW_CELLS for line in lines):
        raise FileRefused(limits.row_too_wide(file_name).message)
    del lines
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)

    budget = limits.Budget(file_name)

    def rows():
        for number, cells in enumerate(reader, start=1):
            if len(cells) > limits.ROW_CELLS:
                raise limits.row_too_wide(file_name)
            budget.cell(len(cells))
            row = {i: value for i, value in enumerate(cells) if value != ""}
            for value in row.values():
                budget.text(len(value), len(value))
            yield number, row

    yield file_name, rows()


# --- the header and the rows ---------------------------------------------------------------------


def _header_in(row: dict[int, object], accepts) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in row.items():
        name = cleaners.header(value)
        if name and accepts(name) and name not in found:
            found[name] = index
    return found


def read_table(path: Path, file_name: str, layout: Layout, accepts=None) -> Table:
    """The first sheet whose header row holds the layout's required columns, and its rows.

    ``accepts(name)`` says whether a header belongs to the layout (default: the layout's own
    columns); the scores sheet passes one that knows the criteria.
    """
    known = {c.name for c in layout.importable}
    accepts = accepts or known.__contains__
    size = path.stat().st_size
    if size > max_upload_bytes():
        raise FileRefused(file_too_big(max_upload_bytes(), file_name, size))
    with path.open("rb") as handle:
        head = handle.read(4096)
    kind = sniff(head, file_name)
    if kind == "xlsx":
        _check_zip(path, file_name)
        if not openpyxl.xml.DEFUSEDXML:
            log.error("defusedxml is not installed: refusing to parse uploaded workbooks")
            raise FileRefused(
                _("Reading Excel files is switched off on this server; tell the administrator.")
            )
        sheets = _xlsx_sheets(path, file_name)
    else:
        sheets = _csv_sheets(path, file_name)
    try:
        return _find_table(sheets, file_name, layout, accepts)
    except FileRefused:
        raise
    except limits.Refusal as refusal:
        raise FileRefused(refusal.message) from None
    except Exception:  # a malformed part, forbidden XML entities, a bad date …
        log.warning("could not read %s", file_name, exc_info=True)
        raise FileRefused(limits.damaged_message(file_name)) from None
    finally:
        close = getattr(sheets, "close", None)
        if close:
            close()


def _find_table(sheets, file_name: str, layout: Layout, accepts) -> Table:
    required = set(layout.required)
    best: tuple[int, str, list[str]] = (-1, "", sorted(required))
    for sheet_name, rows in sheets:
        for number, row in rows:
            if number > HEADER_SCAN_ROWS:
                break
            found = _header_in(row, accepts)
            duplicates = _duplicate_headers(row, accepts)
            if required <= found.keys():
                if duplicates:
                    raise FileRefused(
                        _("The column “%(column)s” appears twice in the header row.")
                        % {"column": duplicates[0]}
                    )
                return _read_rows(rows, file_name, sheet_name, number, row, found, accepts)
            if len(found) > best[0]:
                best = (len(found), sheet_name, sorted(required - found.keys()))
    missing = [c.name for c in layout.importable if c.name in best[2]] or best[2]
    raise FileRefused(
        _(
            "No header row found: none of the first %(rows)s rows of any sheet has the "
            "columns %(missing)s. Is this a “%(title)s” file? Download the template to see "
            "the columns."
        )
        % {
            "rows": HEADER_SCAN_ROWS,
            "missing": "、".join(f"「{name}」" for name in missing),
            "title": layout.title,
        }
    )


def _duplicate_headers(row: dict[int, object], accepts) -> list[str]:
    seen: set[str] = set()
    duplicates = []
    for value in row.values():
        name = cleaners.header(value)
        if name and accepts(name):
            if name in seen:
                duplicates.append(name)
            seen.add(name)
    return duplicates


def _read_rows(rows, file_name, sheet_name, header_number, header_row, found, accepts) -> Table:
    ignored = [
        cleaners.display(value)
        for index, value in sorted(header_row.items())
        if not accepts(cleaners.header(value)) and cleaners.display(value)
    ]
    table = Table(
        file_name=file_name,
        sheet_name=sheet_name,
        header_row=header_number,
        columns=[name for name, _index in sorted(found.items(), key=lambda item: item[1])],
        ignored=ignored,
    )
    limit = max_rows()
    blank_run = 0
    # A shared string is held once however many cells refer to it; what the table keeps (and
    # the preview stores) is counted again here.
    kept = limits.Budget(file_name)
    for number, row in rows:
        values = {name: row.get(index) for name, index in found.items() if index in row}
        for value in values.values():
            if isinstance(value, str):
                kept.text(len(value), len(value))
        if all(cleaners.is_blank(value) for value in values.values()):
            blank_run += 1
            if blank_run >= BLANK_RUN_END:
                break
            continue
        blank_run = 0
        if len(table.rows) >= limit:
            raise FileRefused(
                _(
                    "“%(name)s” has more than %(limit)s rows of data; split it into several "
                    "files of at most %(limit)s rows."
                )
                % {"name": file_name, "limit": limit}
            )
        table.rows.append(Row(number=number, values=values))
    return table
