"""Hostile uploads: small files that unpack into more than a server can hold are refused, in
Chinese, after reading little of them (no database)."""

import time
import tracemalloc

import pytest
from django.utils import translation

from efficiency.excel import layouts
from efficiency.excel.reader import FileRefused, read_table

from . import hostile_files

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def refused(path, name: str) -> tuple[str, float, float]:
    """The refusal, the seconds it took and the peak of Python memory in MB."""
    tracemalloc.start()
    began = time.perf_counter()
    try:
        with pytest.raises(FileRefused) as caught:
            read_table(path, name, layouts.STAFF)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return caught.value.message, time.perf_counter() - began, peak / MB


def test_one_row_of_four_million_cells(tmp_path):
    # The issue's 115 KB file: 1.9 GB and 34 s before; stopped at Excel's last column now.
    path = hostile_files.wide_row(tmp_path / "upload.bin")
    assert path.stat().st_size < 150_000
    message, _seconds, peak = refused(path, "人员.xlsx")
    assert message == "“人员.xlsx”中有一行超过 16,384 个单元格，超出 Excel 本身的上限，未予读取。"
    assert peak < 50


def test_a_csv_line_of_millions_of_cells(tmp_path):
    path = hostile_files.wide_csv(tmp_path / "upload.bin", cells=1_000_000)
    message, _seconds, peak = refused(path, "人员.csv")
    assert message == "“人员.csv”中有一行超过 16,384 个单元格，超出 Excel 本身的上限，未予读取。"
    assert peak < 50


def test_too_many_cells_in_all(tmp_path, settings):
    settings.EXCEL_MAX_CELLS = 5_000
    path = hostile_files.many_cells(tmp_path / "upload.bin", rows=20, columns=500)
    message, _seconds, _peak = refused(path, "人员.xlsx")
    assert message == (
        "“人员.xlsx”包含超过 5,000 个单元格，远超此类表格的正常大小，未予读取。"
        "请只把表格复制到新工作簿后再上传。"
    )


def test_millions_of_shared_strings(tmp_path, settings):
    settings.EXCEL_MAX_SHARED_STRINGS = 1_000
    path = hostile_files.many_shared_strings(tmp_path / "upload.bin", strings=2_000)
    message, _seconds, _peak = refused(path, "人员.xlsx")
    assert message == "“人员.xlsx”包含超过 1,000 条不同的文字，远超此类表格的正常大小，未予读取。"


def test_the_default_limit_on_shared_strings_stops_the_issues_file_early(tmp_path):
    # 8,000,000 shared strings in 324 KB took 816 MB; counting stops at 200,000.
    path = hostile_files.many_shared_strings(tmp_path / "upload.bin", strings=8_000_000)
    message, _seconds, peak = refused(path, "人员.xlsx")
    assert "200,000 条不同的文字" in message
    assert peak < 50


def test_a_cell_longer_than_excel_allows(tmp_path):
    path = hostile_files.huge_cell(tmp_path / "upload.bin", chars=50_000)
    message, _seconds, peak = refused(path, "人员.xlsx")
    assert message == "“人员.xlsx”中有单元格超过 32,767 个字符，超出 Excel 本身的上限，未予读取。"
    assert peak < 50


def test_a_cell_of_fifty_million_characters_is_stopped_at_its_row(tmp_path):
    path = hostile_files.huge_cell(tmp_path / "upload.bin", chars=50_000_000)
    assert path.stat().st_size < 200_000
    message, _seconds, peak = refused(path, "人员.xlsx")
    assert message == "“人员.xlsx”中有一行超过 2 MB，远超此类表格的正常大小，未予读取。"
    assert peak < 50


def test_a_document_type_declaration_in_a_sheet_is_refused(tmp_path):
    def rows():
        yield b"<row><c><v>1</v></c></row>"

    path = hostile_files.package(tmp_path / "upload.bin", rows)
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        b"?>", b'?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>', 1
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    message, _seconds, _peak = refused(path, "人员.xlsx")
    assert message.startswith("无法读取“人员.xlsx”：文件已损坏或不是正常的工作簿。")


def test_too_much_text_in_all(tmp_path, settings):
    settings.EXCEL_MAX_TEXT_CHARS = 100_000
    path = hostile_files.huge_text(tmp_path / "upload.bin", cells=10, chars=20_000)
    message, _seconds, _peak = refused(path, "人员.xlsx")
    assert message == (
        "“人员.xlsx”包含超过 100,000 个字符的文字，远超此类表格的正常大小，未予读取。"
    )


def test_one_long_shared_string_in_every_row_counts_each_time(tmp_path, settings):
    # The table keeps the string once per row (and the preview stores it so).
    settings.EXCEL_MAX_TEXT_CHARS = 50_000
    path = hostile_files.repeated_long_value(tmp_path / "upload.bin", rows=100, length=1_000)
    message, _seconds, _peak = refused(path, "人员.xlsx")
    assert "超过 50,000 个字符的文字" in message


def test_a_styles_part_of_millions_of_formats(tmp_path):
    path = hostile_files.styles_bomb(tmp_path / "upload.bin", formats=250_000)
    message, _seconds, peak = refused(path, "人员.xlsx")
    assert message == (
        "“人员.xlsx”的组成部分 xl/styles.xml 中超过 200,000 项，远超此类工作簿的正常大小，"
        "未予读取。"
    )
    assert peak < 50


def test_a_file_within_the_limits_is_read(tmp_path):
    path = hostile_files.repeated_long_value(tmp_path / "upload.bin", rows=50, length=100)
    table = read_table(path, "人员.xlsx", layouts.STAFF)
    assert len(table.rows) == 50
    assert table.rows[0].values == {"工号": "9" * 100, "姓名": "王建国", "科室": "秘书科"}


def test_a_zip_of_many_thousand_parts(tmp_path):
    import zipfile

    path = hostile_files.wide_row(tmp_path / "upload.bin", cells=10)
    with zipfile.ZipFile(path, "a") as archive:
        for n in range(2_001):
            archive.writestr(f"xl/media/p{n}.xml", b"<a/>")
    message, _seconds, _peak = refused(path, "人员.xlsx")
    assert message == "“人员.xlsx”由超过 2,000 个部分组成，远超此类工作簿的正常大小，未予读取。"


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_a_part_in_utf16_cannot_slip_past_the_counting(tmp_path, settings, part):
    import zipfile

    settings.EXCEL_MAX_CELLS = 100
    settings.EXCEL_MAX_SHARED_STRINGS = 100
    path = hostile_files.many_shared_strings(tmp_path / "upload.bin", strings=50)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    text = parts[part].decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    parts[part] = text.encode("utf-16")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    message, _seconds, _peak = refused(path, "人员.xlsx")
    assert message.startswith("无法读取“人员.xlsx”：文件已损坏或不是正常的工作簿。")


def test_openpyxl_still_sizes_sheets_where_the_reader_steps_around_it():
    """The reader replaces openpyxl's private ReadOnlyWorksheet._get_size, which its __init__
    calls: if a new openpyxl renames either, this fails before a wide row can hang a worker."""
    import inspect

    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    from efficiency.excel import reader  # noqa: F401  (installs the replacement)

    assert "self._get_size()" in inspect.getsource(ReadOnlyWorksheet.__init__)
    assert ReadOnlyWorksheet._get_size(object()) is None
