"""Hostile uploads, built on the fly (never committed as binaries): small files that unpack into
rows, strings or cells enough to take a server down if read naively.

Each builder writes a real .xlsx (or .csv) to ``path`` and streams its XML into the zip, so even
the full sizes the bench uses (millions of cells) are built in little memory. Used by
tests/test_excel_limits.py and bench/hostile_uploads.py.
"""

import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

STAFF_HEADER = ["工号", "姓名", "科室"]


def _inline(value: str) -> str:
    return f'<c t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def _row(number: int, cells: Iterable[str]) -> bytes:
    return f'<row r="{number}">{"".join(cells)}</row>'.encode()


def package(
    path: Path,
    sheet_rows: Callable[[], Iterable[bytes]],
    *,
    strings: Callable[[], Iterable[bytes]] | None = None,
    styles: Callable[[], Iterable[bytes]] | None = None,
) -> Path:
    """An .xlsx whose one sheet's ``<sheetData>`` is what ``sheet_rows`` yields; ``strings``
    and ``styles`` yield the inside of ``<sst>`` and the whole styles part."""
    overrides = [
        ("/xl/workbook.xml", f"{CT}.sheet.main+xml"),
        ("/xl/worksheets/sheet1.xml", f"{CT}.worksheet+xml"),
    ]
    relations = [("rId1", "worksheet", "worksheets/sheet1.xml")]
    if strings:
        overrides.append(("/xl/sharedStrings.xml", f"{CT}.sharedStrings+xml"))
        relations.append(("rId2", "sharedStrings", "sharedStrings.xml"))
    if styles:
        overrides.append(("/xl/styles.xml", f"{CT}.styles+xml"))
        relations.append(("rId3", "styles", "styles.xml"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
            + "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            '<sheets><sheet name="人员" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
            + "".join(
                f'<Relationship Id="{i}" Type="{REL}/{kind}" Target="{target}"/>'
                for i, kind, target in relations
            )
            + "</Relationships>",
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'.encode())
            part.write(b"<sheetData>")
            for chunk in sheet_rows():
                part.write(chunk)
            part.write(b"</sheetData></worksheet>")
        if strings:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode())
                for chunk in strings():
                    part.write(chunk)
                part.write(b"</sst>")
        if styles:
            with archive.open("xl/styles.xml", "w", force_zip64=True) as part:
                for chunk in styles():
                    part.write(chunk)
    return path


def _header() -> bytes:
    return _row(1, (_inline(name) for name in STAFF_HEADER))


def _batched(items: Iterable[str], size: int = 10_000) -> Iterable[bytes]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield "".join(batch).encode()
            batch = []
    yield "".join(batch).encode()


def wide_row(path: Path, cells: int = 4_000_000) -> Path:
    """One data row of ``cells`` cells (the issue's 115 KB file: four million)."""

    def rows():
        yield _header()
        yield b'<row r="2">'
        yield from _batched("<c><v>1</v></c>" for _ in range(cells))
        yield b"</row>"

    return package(path, rows)


def many_cells(path: Path, rows: int = 2_000, columns: int = 1_000) -> Path:
    """Rows no wider than Excel allows, but many millions of cells in all."""
    row = "".join("<c><v>1</v></c>" for _ in range(columns))

    def sheet():
        yield _header()
        for n in range(2, rows + 2):
            yield f'<row r="{n}"><c t="inlineStr"><is><t>{n:06d}</t></is></c>{row}</row>'.encode()

    return package(path, sheet)


def many_shared_strings(path: Path, strings: int = 8_000_000) -> Path:
    """A shared-string table of ``strings`` entries (openpyxl loads them all up front)."""

    def sheet():
        yield _header()

    def table():
        yield from _batched("<si><t>x</t></si>" for _ in range(strings))

    return package(path, sheet, strings=table)


def huge_cell(path: Path, chars: int = 50_000_000) -> Path:
    """One cell of ``chars`` characters (Excel allows 32,767)."""

    def sheet():
        yield _header()
        yield b'<row r="2"><c t="inlineStr"><is><t>'
        block = ("长" * 10_000).encode()
        for _ in range(chars // 10_000):
            yield block
        yield b"</t></is></c></row>"

    return package(path, sheet)


def huge_text(path: Path, cells: int = 1_000, chars: int = 32_000) -> Path:
    """Many cells each just under Excel's limit: a great deal of text in all."""
    value = "长" * chars

    def sheet():
        yield _header()
        for n in range(2, cells + 2):
            yield _row(n, [_inline(f"{n:06d}"), _inline(value)])

    return package(path, sheet)


def styles_bomb(path: Path, formats: int = 3_000_000) -> Path:
    """A styles part of millions of cell formats (openpyxl reads them all)."""

    def sheet():
        yield _header()

    def styles():
        yield f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'.encode()
        yield f'<cellXfs count="{formats}">'.encode()
        yield from _batched('<xf numFmtId="0" fontId="0"/>' for _ in range(formats))
        yield b"</cellXfs></styleSheet>"

    return package(path, sheet, styles=styles)


def repeated_long_value(path: Path, rows: int = 5_000, length: int = 3_000) -> Path:
    """Every row's 工号 is the same long, wrong shared string: each row is an error that
    quotes it (the issue's 35 KB file that made a 75 MB preview page)."""

    def sheet():
        yield _header()
        yield from _batched(
            f'<row r="{n}"><c t="s"><v>0</v></c>{_inline("王建国")}{_inline("秘书科")}</row>'
            for n in range(2, rows + 2)
        )

    def table():
        yield f"<si><t>{'9' * length}</t></si>".encode()

    return package(path, sheet, strings=table)


def wide_csv(path: Path, cells: int = 4_000_000) -> Path:
    """A CSV line of ``cells`` commas."""
    with path.open("wb") as handle:
        handle.write(",".join(STAFF_HEADER).encode() + b"\n")
        for start in range(0, cells, 100_000):
            handle.write(b"1," * min(100_000, cells - start))
        handle.write(b"\n")
    return path


HOSTILE = {
    "wide_row.xlsx": wide_row,
    "many_cells.xlsx": many_cells,
    "many_shared_strings.xlsx": many_shared_strings,
    "huge_cell.xlsx": huge_cell,
    "huge_text.xlsx": huge_text,
    "styles_bomb.xlsx": styles_bomb,
    "repeated_long_value.xlsx": repeated_long_value,
    "wide_row.csv": wide_csv,
}
