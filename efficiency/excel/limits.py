"""Counting what a workbook holds while it is read, and stopping at sane limits.

openpyxl's streaming reader still builds a whole ``<row>`` (a dict per cell) before handing it
over, and loads every shared string up front; a 115 KB file holding one row of four million
cells took 1.9 GB. A limit on the zip's unpacked size does not bound that (cells compress
to almost nothing), so the XML is counted before openpyxl builds anything from it:

- the shared strings (:func:`max_shared_strings` of them, their bytes within
  :func:`max_text_chars`) and every other part but the worksheets (styles, the workbook,
  relationships …: :data:`PART_ELEMENTS` elements each, :data:`PARTS_ELEMENTS` in all) are
  counted whole before openpyxl opens the file;
- each worksheet is counted on its way into openpyxl (:class:`CountingStream`): the bytes
  openpyxl reads are counted first, and a chunk that would go over a limit is refused before
  openpyxl sees it — cells in a row (Excel's own 16,384), bytes in a row (:data:`ROW_BYTES`),
  cells in the workbook (:func:`max_cells`). Only what the reader reads is counted: it stops
  at the end of the table, so empty rows declared below it cost nothing. The reader then
  refuses a cell longer than Excel's 32,767 characters, and counts the text it keeps.

A document type declaration is refused outright: no spreadsheet program writes one, and it
is how entity bombs begin.
"""

import re
import zipfile
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _

ROW_CELLS = 16_384  # Excel's last column is XFD
CELL_CHARS = 32_767  # the most characters Excel lets a cell hold
PART_ELEMENTS = 200_000  # styles.xml of a workbook with Excel's 64,000 formats stays below
PARTS_ELEMENTS = 1_000_000  # all the parts but the worksheets and the shared strings
ZIP_PARTS = 2_000  # files in the zip: a workbook has a few dozen, one per sheet and picture
ROW_BYTES = 2 * 1024 * 1024  # of XML: twenty cells of 2,000 Chinese characters take 120 KB
CHUNK = 64 * 1024


def max_cells() -> int:
    return settings.EXCEL_MAX_CELLS


def max_shared_strings() -> int:
    return settings.EXCEL_MAX_SHARED_STRINGS


def max_text_chars() -> int:
    return settings.EXCEL_MAX_TEXT_CHARS


class Refusal(Exception):
    """Raised inside the expat callbacks; :mod:`.reader` turns it into ``FileRefused``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _local(name: str) -> str:
    return name.rpartition("}")[2]


class Budget:
    """What the whole file may hold, spent as its parts are counted."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.cells = 0
        self.chars = 0
        self.elements = 0
        # Read once: the counters run for every cell.
        self.max_cells = max_cells()
        self.max_text_chars = max_text_chars()

    def element(self) -> bool:
        """Count an element of a part other than a worksheet; True once there are too many."""
        self.elements += 1
        return self.elements > PARTS_ELEMENTS

    def cell(self, count: int = 1) -> None:
        self.cells += count
        if self.cells > self.max_cells:
            raise Refusal(
                _(
                    "“%(name)s” holds more than %(limit)s cells, far more than a sheet of this "
                    "kind needs; it was not read. Copy only the table into a new workbook."
                )
                % {"name": self.file_name, "limit": f"{self.max_cells:,}"}
            )

    def text(self, length: int, in_cell: int) -> None:
        self.chars += length
        if in_cell > CELL_CHARS:
            raise cell_too_long(self.file_name)
        if self.chars > self.max_text_chars:
            raise Refusal(
                _(
                    "“%(name)s” holds more than %(limit)s characters of text, far more than a "
                    "sheet of this kind needs; it was not read."
                )
                % {"name": self.file_name, "limit": f"{self.max_text_chars:,}"}
            )


def cell_too_long(file_name: str) -> Refusal:
    return Refusal(
        _(
            "“%(name)s” has a cell of more than %(limit)s characters, more than Excel itself "
            "allows; it was not read."
        )
        % {"name": file_name, "limit": f"{CELL_CHARS:,}"}
    )


def _damaged(file_name: str) -> Refusal:
    return Refusal(damaged_message(file_name))


def damaged_message(file_name: str) -> str:
    return _("“%(name)s” could not be read: it is damaged or not a normal workbook. %(hint)s") % {
        "name": file_name,
        "hint": save_as_hint(),
    }


def save_as_hint() -> str:
    return _(
        "In Excel or WPS choose File → Save As, pick “Excel Workbook (*.xlsx)”, and upload the "
        "new file."
    )


def row_too_wide(file_name: str) -> Refusal:
    return Refusal(
        _(
            "“%(name)s” has a row of more than %(limit)s cells, more than Excel itself allows; "
            "it was not read."
        )
        % {"name": file_name, "limit": f"{ROW_CELLS:,}"}
    )


class _Counter:
    """One part's expat parser with the callbacks that count it."""

    TEXT = {"v", "t", "f"}

    def __init__(self, budget: Budget, part: str) -> None:
        self.budget = budget
        self.part = part
        self.root: str | None = None
        self.elements = 0
        self.in_text = False
        self.text_length = 0
        self.done = False
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.buffer_text = True  # one call per text, not one per chunk of it
        self.parser.buffer_size = CHUNK
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.characters
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.EntityDeclHandler = self.doctype
        self.parser.ExternalEntityRefHandler = self.doctype

    def feed(self, data: bytes, final: bool = False) -> None:
        if self.done:
            return
        self.done = final
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError:
            raise _Malformed from None

    def doctype(self, *args) -> None:
        raise _damaged(self.budget.file_name)

    def start(self, name: str, attrs) -> None:
        local = _local(name)
        if self.root is None:
            self.root = local
        self.elements += 1
        if local in self.TEXT:
            self.in_text = True
            self.text_length = 0
        if self.root in ("worksheet", "sst"):
            return  # counted apart (CountingStream, _count_shared_strings)
        if self.elements > PART_ELEMENTS or self.budget.element():
            raise self.too_many(PART_ELEMENTS)

    def too_many(self, limit: int) -> Refusal:
        return Refusal(
            _(
                "“%(name)s” has a part (%(part)s) with more than %(limit)s entries, far "
                "more than a workbook of this kind needs; it was not read."
            )
            % {"name": self.budget.file_name, "part": self.part, "limit": f"{limit:,}"}
        )

    def end(self, name: str) -> None:
        if _local(name) in self.TEXT:
            self.in_text = False

    def characters(self, data: str) -> None:
        if self.in_text:
            self.text_length += len(data)
            self.budget.text(len(data), self.text_length)
        elif len(data) > CELL_CHARS:  # whitespace between elements, padded out
            self.budget.text(len(data), len(data))


class _Worksheet(Exception):
    pass


class _SharedStrings(Exception):
    pass


# An <si> start tag, with or without a namespace prefix. Counting them in the bytes is ten
# times quicker than an expat callback per element; one inside a comment only counts extra.
_SI = re.compile(rb"<(?:[^\s<>/:!?]+:)?si[\s>/]")


def _count_shared_strings(part, budget: Budget) -> None:
    strings = 0
    tail = b""
    while data := part.read(CHUNK):
        if b"\x00" in data:  # UTF-16 or UTF-32, which the pattern would not see
            raise _damaged(budget.file_name)
        block = tail + data
        # A tag cut by the previous chunk's end is found (once) now.
        strings += sum(1 for match in _SI.finditer(block) if match.end() > len(tail))
        budget.text(len(data), 0)
        if strings > max_shared_strings():
            raise Refusal(
                _(
                    "“%(name)s” holds more than %(limit)s different texts, far more than a "
                    "sheet of this kind needs; it was not read."
                )
                % {"name": budget.file_name, "limit": f"{max_shared_strings():,}"}
            )
        tail = block[-64:]


class _Malformed(Exception):
    pass


def check_parts(path, budget: Budget) -> None:
    """Count every XML part but the worksheets (those are counted as they are read)."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            counter = _Counter(budget, info.filename)
            original = counter.start

            def start(name, attrs, counter=counter, original=original):
                original(name, attrs)
                if counter.root == "worksheet":
                    raise _Worksheet
                if counter.root == "sst":
                    raise _SharedStrings

            counter.parser.StartElementHandler = start
            with archive.open(info) as part:
                try:
                    while data := part.read(CHUNK):
                        counter.feed(data)
                    counter.feed(b"", final=True)
                except (_Worksheet, _SharedStrings):
                    pass
                except _Malformed:
                    # A part openpyxl never parses may be malformed without harm; openpyxl
                    # itself reports the ones it needs.
                    continue
            if counter.root == "sst":
                with archive.open(info) as part:
                    _count_shared_strings(part, budget)


# In a worksheet: a row's or a cell's start tag, or a row's end tag, with or without a prefix.
_SHEET_TAG = re.compile(rb"<(?:[^\s<>/:!?]+:)?(row|c)[\s>/]|</(?:[^\s<>/:!?]+:)?row\s*>")
_SHEET_DATA = re.compile(rb"<(?:[^\s<>/:!?]+:)?sheetData[\s>/]")
TAIL = 64  # bytes kept from one chunk to the next, so that a tag cut in two is still found


class CountingStream:
    """A worksheet's XML as openpyxl reads it, counted before openpyxl gets each chunk.

    The tags are found with a regular expression over the bytes (an expat callback per
    element would double the time of a large sheet): no document type declaration; at most
    :data:`PART_ELEMENTS` elements before the rows (column widths, views …); in each row at
    most :data:`ROW_CELLS` cells and :data:`ROW_BYTES` of XML; in all, :func:`max_cells`
    cells. The reader stops at the end of the rows, so nothing after them is read.
    """

    def __init__(self, source, budget: Budget, part: str = "") -> None:
        self.source = source
        self.budget = budget
        self.part = part
        self.offset = 0  # of the start of ``tail`` in the part
        self.tail = b""
        self.in_rows = False  # past <sheetData>
        self.elements = 0  # before it
        self.row_start: int | None = None
        self.row_cells = 0

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self._count(data)
        return data

    def _count(self, data: bytes) -> None:
        block = self.tail + data
        seen = len(self.tail)  # matches ending within the tail were counted last time
        # NUL never appears in XML written as UTF-8; in UTF-16 or UTF-32 every tag has them,
        # and the patterns above would not see it.
        if b"<!DOCTYPE" in block or b"<!ENTITY" in block or b"\x00" in data:
            raise _damaged(self.budget.file_name)
        if not self.in_rows:
            found = _SHEET_DATA.search(block)
            head = block[seen : found.start() if found else len(block)]
            self.elements += head.count(b"<")
            if self.elements > PART_ELEMENTS:
                raise self._too_many()
            if found is None:
                self._keep(block)
                return
            self.in_rows = True
        for match in _SHEET_TAG.finditer(block):
            if match.end() <= seen:
                continue
            name = match.group(1)
            if name == b"c":
                self.row_cells += 1
                if self.row_cells > ROW_CELLS:
                    raise row_too_wide(self.budget.file_name)
                self.budget.cell()
            elif name == b"row":
                self.row_start = self.offset + match.start()
                self.row_cells = 0
            else:
                self.row_start = None
        if self.row_start is not None and self.offset + len(block) - self.row_start > ROW_BYTES:
            raise Refusal(
                _(
                    "“%(name)s” has a row of more than %(limit)s MB, far more than a sheet of "
                    "this kind needs; it was not read."
                )
                % {"name": self.budget.file_name, "limit": ROW_BYTES // (1024 * 1024)}
            )
        self._keep(block)

    def _keep(self, block: bytes) -> None:
        self.offset += max(0, len(block) - TAIL)
        self.tail = block[-TAIL:]

    def _too_many(self) -> Refusal:
        return Refusal(
            _(
                "“%(name)s” has a part (%(part)s) with more than %(limit)s entries, far "
                "more than a workbook of this kind needs; it was not read."
            )
            % {"name": self.budget.file_name, "part": self.part, "limit": f"{PART_ELEMENTS:,}"}
        )

    def close(self) -> None:
        self.source.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
