"""Sample workbooks as offices make them, built in the tests with openpyxl and xlsxwriter.

``rows`` are lists of cell values: str, int, float, datetime.date/datetime, None, or a
``Formula("=A2&\"\"", cached)`` for a formula with (or without) the value a spreadsheet
program would have saved with it. Each builder returns the file's bytes.

``raw_xlsx`` writes the package by hand, for the quirks of files from other programs: WPS
(rich-text shared strings with phonetic runs), Excel (shared formulas, the 1904 date system of
Mac workbooks, cells without coordinates), and shapes no test should need a program for (a
declared range of a million rows). Files from LibreOffice are not imitated: ``workbook``
reads the ones LibreOffice itself wrote, committed in fixtures/workbooks/ (see its README).
"""

import codecs
import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import xlsxwriter
from openpyxl.utils import get_column_letter


@dataclass(frozen=True)
class Formula:
    text: str  # "=B2*2"
    cached: object = None  # the value saved with it; None: none saved
    error: bool = False  # the cached value is an error such as #DIV/0!


def _sheets(rows_or_sheets) -> dict[str, list[list]]:
    if isinstance(rows_or_sheets, dict):
        return rows_or_sheets
    return {"Sheet1": rows_or_sheets}


# --- openpyxl ----------------------------------------------------------------------------------


def openpyxl_xlsx(rows_or_sheets, *, merge: dict[str, list[str]] | None = None) -> bytes:
    """A workbook as openpyxl saves it: formulas are kept without any computed value."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in _sheets(rows_or_sheets).items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(row=r, column=c)
                if isinstance(value, Formula):
                    cell.value = value.text
                elif isinstance(value, str):
                    cell.value = value
                    cell.data_type = "s"  # "=…" typed as text stays text
                elif isinstance(value, datetime.date):
                    cell.value = value
                    cell.number_format = "yyyy-mm-dd"
                else:
                    cell.value = value
        for ref in (merge or {}).get(title, []):
            sheet.merge_cells(ref)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- xlsxwriter --------------------------------------------------------------------------------


def xlsxwriter_xlsx(rows_or_sheets, *, merge: dict[str, list[str]] | None = None) -> bytes:
    """A workbook as xlsxwriter saves it: formulas carry the value given (else 0)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    date_format = book.add_format({"num_format": "yyyy/m/d"})
    text_format = book.add_format({"num_format": "@"})
    for title, rows in _sheets(rows_or_sheets).items():
        sheet = book.add_worksheet(title)
        sheet.set_column(0, 20, 12, text_format)
        for ref in (merge or {}).get(title, []):
            first, last = ref.split(":")
            sheet.merge_range(f"{first}:{last}", "", None)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, Formula):
                    cached = value.cached if value.cached is not None else 0
                    sheet.write_formula(r, c, value.text, None, cached)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, datetime.datetime | datetime.date):
                    sheet.write_datetime(r, c, value, date_format)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                else:
                    sheet.write_number(r, c, value)
    book.close()
    return buffer.getvalue()


# --- CSV ---------------------------------------------------------------------------------------


def csv_bytes(rows, *, encoding: str = "utf-8", bom: bool = False, delimiter: str = ",") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = text.getvalue().encode(encoding)
    if bom and encoding == "utf-8":
        data = codecs.BOM_UTF8 + data
    return data


# --- by hand -----------------------------------------------------------------------------------

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class Rich:
    """A shared string in runs, with a phonetic guide as WPS and Japanese Excel write it."""

    runs: tuple[str, ...]
    phonetic: str = "ワン"


def raw_xlsx(
    rows: list[list],
    *,
    date1904: bool = False,
    dimension: str | None = None,
    trailing_empty_rows: int = 0,
    without_coordinates: bool = False,
    shared_formula: bool = False,
    entity_bomb: bool = False,
) -> bytes:
    """An .xlsx written XML by hand. Dates are written as serial numbers with a date style;
    str cells go to the shared-string table; ``Formula`` cells get ``t="str"`` results as
    LibreOffice writes them."""
    strings: list = []

    def shared(value) -> int:
        strings.append(value)
        return len(strings) - 1

    epoch = datetime.date(1904, 1, 1) if date1904 else datetime.date(1899, 12, 30)
    xml_rows = []
    last_row = 0
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row, start=1):
            ref = "" if without_coordinates else f' r="{get_column_letter(c)}{r}"'
            if value is None:
                continue
            if isinstance(value, Formula):
                if value.error:
                    cells.append(
                        f'<c{ref} t="e"><f>{escape(value.text[1:])}</f><v>{value.cached}</v></c>'
                    )
                elif value.cached is None:
                    cells.append(f"<c{ref}><f>{escape(value.text[1:])}</f></c>")
                elif isinstance(value.cached, str):
                    cells.append(
                        f'<c{ref} t="str"><f>{escape(value.text[1:])}</f>'
                        f"<v>{escape(value.cached)}</v></c>"
                    )
                else:
                    cells.append(
                        f"<c{ref}><f>{escape(value.text[1:])}</f><v>{value.cached}</v></c>"
                    )
            elif isinstance(value, Rich | str):
                cells.append(f'<c{ref} t="s"><v>{shared(value)}</v></c>')
            elif isinstance(value, datetime.date):
                cells.append(f'<c{ref} s="1"><v>{(value - epoch).days}</v></c>')
            else:
                cells.append(f"<c{ref}><v>{value}</v></c>")
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
        last_row = r
    if shared_formula and rows:
        # Excel writes a column of like formulas once, then refers to it: B2 defines, B3 uses.
        xml_rows.append(
            f'<row r="{last_row + 1}"><c r="A{last_row + 1}"><f t="shared" ref="A{last_row + 1}:'
            f'A{last_row + 2}" si="0">"x"</f><v>0</v></c></row>'
        )
    for extra in range(trailing_empty_rows):
        r = last_row + 1 + extra + (2 if shared_formula else 0)
        xml_rows.append(
            f'<row r="{r}" s="2" customFormat="true" ht="12.8" hidden="false">'
            f'<c r="A{r}" s="2"/><c r="B{r}" s="2"/></row>'
        )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{NS}" xmlns:r="{REL}">{dim}<sheetData>{"".join(xml_rows)}'
        f"</sheetData></worksheet>"
    )
    items = []
    for value in strings:
        if isinstance(value, Rich):
            runs = "".join(f"<r><t>{escape(part)}</t></r>" for part in value.runs)
            items.append(
                f'<si>{runs}<rPh sb="0" eb="1"><t>{value.phonetic}</t></rPh>'
                f'<phoneticPr fontId="1"/></si>'
            )
        else:
            items.append(f'<si><t xml:space="preserve">{escape(value)}</t></si>')
    doctype = ""
    if entity_bomb:
        doctype = (
            '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;">]>'
        )
        items.append("<si><t>&lol2;</t></si>")
    sst = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
        f'<sst xmlns="{NS}" count="{len(items)}" uniqueCount="{len(items)}">{"".join(items)}</sst>'
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{NS}">'
        '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )
    pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<workbook xmlns="{NS}" xmlns:r="{REL}">{pr}<sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": workbook,
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": sst,
        "xl/styles.xml": styles,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


WORKBOOKS = Path(__file__).resolve().parent.parent / "fixtures" / "workbooks"


def workbook(name: str) -> bytes:
    """A sample file committed in fixtures/workbooks/, such as one LibreOffice wrote."""
    return (WORKBOOKS / name).read_bytes()


# The first bytes of an old Excel 97–2003 file (an OLE2 compound document).
XLS_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
