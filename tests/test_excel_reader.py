"""Reading files as offices make them, and refusing what cannot be read (no database)."""

import datetime
import io
import re
import time
import zipfile

import openpyxl.xml
import pytest
from django.utils import translation

from efficiency.excel import cleaners, layouts
from efficiency.excel.reader import FileRefused, read_table

from .excel_samples import (
    XLS_BYTES,
    Formula,
    Rich,
    csv_bytes,
    openpyxl_xlsx,
    raw_xlsx,
    workbook,
    write,
    xlsxwriter_xlsx,
    zip_of,
)

HINT = "请在 Excel 或 WPS 中选择“文件 → 另存为”，保存类型选“Excel 工作簿（*.xlsx）”，再上传新文件。"
BUILDERS = [openpyxl_xlsx, xlsxwriter_xlsx]
HEADER = ["工号", "姓名", "科室", "职务", "入职日期", "离岗日期"]
DAY = datetime.datetime(2020, 9, 1)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def read(tmp_path, data: bytes, name: str = "人员.xlsx", layout=layouts.STAFF):
    return read_table(write(tmp_path, "upload.bin", data), name, layout)


def refusal(tmp_path, data: bytes, name: str = "人员.xlsx", layout=layouts.STAFF) -> str:
    with pytest.raises(FileRefused) as caught:
        read(tmp_path, data, name, layout)
    return caught.value.message


def values(table):
    return [(row.number, row.values) for row in table.rows]


# --- files as offices make them -----------------------------------------------------------------


@pytest.mark.parametrize("build", BUILDERS)
def test_a_title_and_blank_rows_above_the_header_and_a_merged_title(tmp_path, build):
    data = build(
        {
            "花名册": [
                ["2026年县委办干部职工花名册"],
                [],
                ["制表：行政科", None, None, "2026年7月"],
                HEADER,
                ["001023", "王建国", "秘书科", "科员", "2020-09-01", None],
            ]
        },
        merge={"花名册": ["A1:F1"]},
    )
    table = read(tmp_path, data)
    assert (table.sheet_name, table.header_row) == ("花名册", 4)
    assert values(table) == [
        (
            5,
            {
                "工号": "001023",
                "姓名": "王建国",
                "科室": "秘书科",
                "职务": "科员",
                "入职日期": "2020-09-01",
            },
        )
    ]


@pytest.mark.parametrize("build", BUILDERS)
def test_headers_with_stray_spaces_in_any_order_and_extra_columns(tmp_path, build):
    data = build(
        [
            ["序号", " 姓 名", "\u3000工号\u3000", "备注", "科室 ", "入职日期*"],
            [1, "王建国", "001023", "借调", "秘书科", datetime.date(2020, 9, 1)],
        ]
    )
    table = read(tmp_path, data)
    assert table.columns == ["姓名", "工号", "科室", "入职日期"]
    assert table.ignored == ["序号", "备注"]
    assert values(table)[0][1] == {
        "姓名": "王建国",
        "工号": "001023",
        "科室": "秘书科",
        "入职日期": datetime.datetime(2020, 9, 1),
    }


@pytest.mark.parametrize("build", BUILDERS)
def test_staff_numbers_as_text_and_as_numbers(tmp_path, build):
    table = read(tmp_path, build([HEADER, ["001023", "甲", "秘书科"], [1024, "乙", "秘书科"]]))
    numbers = [cleaners.staff_no(row.values["工号"]) for row in table.rows]
    assert numbers == [("001023", False), ("1024", True)]


@pytest.mark.parametrize("build", BUILDERS)
def test_empty_trailing_rows_and_rows_of_spaces_are_skipped(tmp_path, build):
    rows = [HEADER, ["001023", "王建国", "秘书科"], [], ["", "\u3000", " "], [None]]
    rows += [[]] * 20 + [["\u3000"]]
    table = read(tmp_path, build(rows))
    assert [row.number for row in table.rows] == [2]


def test_formula_values_are_read_when_saved_with_the_file(tmp_path):
    data = xlsxwriter_xlsx(
        [HEADER, [Formula('="00"&"1023"', "001023"), "王建国", "秘书科", Formula("=1+1", 2)]]
    )
    row = read(tmp_path, data).rows[0]
    assert row.values["工号"] == "001023"
    assert row.values["职务"] == 2


def test_a_formula_saved_without_its_result_is_not_read_as_blank(tmp_path):
    data = openpyxl_xlsx([HEADER, [Formula('="00"&"1023"'), "王建国", "秘书科"]])
    value = read(tmp_path, data).rows[0].values["工号"]
    assert isinstance(value, cleaners.FormulaWithoutValue)
    assert value.formula == '"00"&"1023"'


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("xl/worksheets/sheet1.xml").decode()


LIBREOFFICE_ROW = [(2, {"工号": "001023", "姓名": "王建国", "科室": "秘书科", "入职日期": DAY})]


def test_a_libreoffice_file_with_a_formula_and_a_thousand_empty_shaded_rows(tmp_path):
    data = workbook("libreoffice-roster.xlsx")
    # What makes it a LibreOffice file (fixtures/workbooks/README.md): a formula saved with a
    # text result typed "str", a date as a serial number, 1000 empty styled rows declared.
    xml = sheet_xml(data)
    formula = '<f aca="false">&quot;&quot;&amp;&quot;001023&quot;</f><v>001023</v>'
    assert re.search(r'<c r="A2" s="\d+" t="str">' + re.escape(formula), xml)
    assert '<dimension ref="A1:F1002"/>' in xml and '<row r="1002"' in xml
    started = time.perf_counter()
    assert values(read(tmp_path, data)) == LIBREOFFICE_ROW
    assert time.perf_counter() - started < 5


def test_a_libreoffice_file_with_the_whole_sheet_formatted(tmp_path):
    data = workbook("libreoffice-roster-whole-sheet.xlsx")
    assert '<dimension ref="A1:AMJ2"/>' in sheet_xml(data)  # all 1024 columns declared
    assert values(read(tmp_path, data)) == LIBREOFFICE_ROW


def test_a_file_declaring_a_million_rows_and_thousands_of_empty_styled_ones(tmp_path):
    data = raw_xlsx(
        [HEADER, [Formula('=""&"001023"', "001023"), "王建国", "秘书科", None, 44075]],
        dimension="A1:AMJ1048576",
        trailing_empty_rows=3000,
    )
    started = time.perf_counter()
    table = read(tmp_path, data)
    assert time.perf_counter() - started < 5
    assert values(table) == [
        (2, {"工号": "001023", "姓名": "王建国", "科室": "秘书科", "入职日期": 44075})
    ]
    assert cleaners.date(44075) == datetime.date(2020, 9, 1)


def test_a_wps_file_with_rich_text_and_phonetic_guides(tmp_path):
    table = read(tmp_path, raw_xlsx([HEADER, ["001023", Rich(("王", "建国")), "秘书科"]]))
    assert table.rows[0].values["姓名"] == "王建国"


def test_a_mac_excel_file_with_the_1904_date_system(tmp_path):
    data = raw_xlsx([HEADER, ["001023", "王建国", "秘书科", None, datetime.date(2020, 9, 1)]])
    data_1904 = raw_xlsx(
        [HEADER, ["001023", "王建国", "秘书科", None, datetime.date(2020, 9, 1)]], date1904=True
    )
    for sample in (data, data_1904):
        assert read(tmp_path, sample).rows[0].values["入职日期"] == datetime.datetime(2020, 9, 1)


def test_cells_without_coordinates_and_shared_formulas(tmp_path):
    data = raw_xlsx(
        [HEADER, ["001023", "王建国", "秘书科"]], without_coordinates=True, shared_formula=True
    )
    table = read(tmp_path, data)
    assert table.rows[0].values == {"工号": "001023", "姓名": "王建国", "科室": "秘书科"}


def test_a_formula_error_is_kept_as_such(tmp_path):
    data = raw_xlsx([HEADER, ["001023", "王建国", "秘书科", Formula("=1/0", "#DIV/0!", True)]])
    value = read(tmp_path, data).rows[0].values["职务"]
    assert isinstance(value, cleaners.FormulaErrorValue) and value.code == "#DIV/0!"


@pytest.mark.parametrize(
    "encoding, bom, delimiter",
    [
        ("utf-8", True, ","),
        ("utf-8", False, ","),
        ("gbk", False, ","),
        ("gb18030", False, ","),
        ("utf-16", False, "\t"),
        ("gbk", False, ";"),
    ],
)
def test_csv_in_the_encodings_chinese_windows_saves(tmp_path, encoding, bom, delimiter):
    name = "䶮" if encoding in ("gb18030", "utf-8", "utf-16") else "王建国"
    data = csv_bytes(
        [HEADER, ["001023", name, "秘书科", "科员", "2020/9/1"]],
        encoding=encoding,
        bom=bom,
        delimiter=delimiter,
    )
    table = read(tmp_path, data, name="人员.csv")
    assert values(table) == [
        (
            2,
            {
                "工号": "001023",
                "姓名": name,
                "科室": "秘书科",
                "职务": "科员",
                "入职日期": "2020/9/1",
            },
        )
    ]


# --- refusals -------------------------------------------------------------------------------


def test_defusedxml_guards_every_part_openpyxl_parses():
    assert openpyxl.xml.DEFUSEDXML


@pytest.mark.parametrize("data", [XLS_BYTES, workbook("libreoffice-roster.xls")])
def test_an_old_xls_file_is_refused_with_how_to_save_it(tmp_path, data):
    assert refusal(tmp_path, data, name="人员.xls") == (
        "“人员.xls”是旧版 Excel 97–2003（.xls）或 WPS（.et）文件，或设置了打开密码，无法读取。"
        + HINT
    )


@pytest.mark.parametrize(
    "data",
    [
        zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
        workbook("libreoffice-roster.ods"),
    ],
)
def test_an_opendocument_file_is_refused(tmp_path, data):
    assert (
        refusal(tmp_path, data, name="人员.ods")
        == "“人员.ods”是 OpenDocument 表格（.ods）。" + HINT
    )


def test_a_web_page_saved_as_xls_is_refused(tmp_path):
    data = "<html><body><table><tr><td>工号</td></tr></table></body></html>".encode()
    assert refusal(tmp_path, data, name="人员.xls") == (
        "“人员.xls”是网页或 XML 文件，不是 Excel 工作簿。" + HINT
    )


def test_other_content_is_refused(tmp_path):
    assert refusal(tmp_path, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, name="照片.xlsx") == (
        "“照片.xlsx”不是 Excel 工作簿（.xlsx）或 CSV 文件。" + HINT
    )
    assert refusal(tmp_path, b"", name="人员.xlsx") == "“人员.xlsx”是空文件。"
    assert refusal(tmp_path, b"PK\x03\x04 not really a zip", name="人员.xlsx") == (
        "“人员.xlsx”已损坏，或不是真正的 .xlsx 文件。" + HINT
    )
    assert refusal(tmp_path, zip_of({"readme.txt": b"hi"}), name="人员.xlsx") == (
        "“人员.xlsx”是压缩文件，不是 Excel 工作簿。" + HINT
    )


def test_a_csv_in_an_unknown_encoding_is_refused(tmp_path):
    data = "工号,姓名\n".encode() + b"\xff\xfe\xfd\x81\x30"
    assert refusal(tmp_path, b"\x81\x30" + data, name="人员.csv") == (
        "无法识别“人员.csv”的文字编码。" + HINT
    )


def test_limits_on_size_unpacked_size_and_rows(tmp_path, settings):
    data = openpyxl_xlsx([HEADER] + [[f"{n:06d}", "某人", "秘书科"] for n in range(30)])
    settings.EXCEL_MAX_UPLOAD_BYTES = 1024
    assert refusal(tmp_path, data, name="人员.xlsx") == (
        f"“人员.xlsx”大小为 {len(data) / 1024 / 1024:.1f} MB，只接受 0 MB 以内的文件。"
    )
    settings.EXCEL_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    settings.EXCEL_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    bomb = zip_of({"xl/workbook.xml": b"<workbook/>", "xl/sharedStrings.xml": b" " * 3_000_000})
    assert refusal(tmp_path, bomb, name="人员.xlsx") == (
        "“人员.xlsx”解压后超过 2 MB，远超此类表格的正常大小，未予读取。"
    )
    settings.EXCEL_MAX_ROWS = 20
    assert refusal(tmp_path, data, name="人员.xlsx") == (
        "“人员.xlsx”的数据超过 20 行，请拆分为每个不超过 20 行的几个文件。"
    )


def test_an_xml_entity_bomb_is_refused(tmp_path):
    data = raw_xlsx([HEADER, ["001023", "王建国", "秘书科"]], entity_bomb=True)
    assert refusal(tmp_path, data, name="人员.xlsx") == (
        "无法读取“人员.xlsx”：文件已损坏或不是正常的工作簿。" + HINT
    )


def test_no_header_row(tmp_path):
    data = openpyxl_xlsx([["编号", "名称"], ["1", "秘书科"]])
    assert refusal(tmp_path, data) == (
        "找不到表头：各工作表的前 20 行中都没有「工号」、「姓名」、「科室」列。"
        "请确认这是“人员”表，可下载模板查看应有的列。"
    )


def test_a_header_column_twice(tmp_path):
    data = openpyxl_xlsx([HEADER + ["工号 "], ["001023", "王建国", "秘书科"]])
    assert refusal(tmp_path, data) == "表头中“工号”列出现了两次。"


def test_the_data_sheet_is_found_whatever_its_position(tmp_path):
    data = openpyxl_xlsx(
        {
            "填写说明": [["列名", "说明"], ["工号", "文本"]],
            "人员": [HEADER, ["001023", "王", "秘书科"]],
        }
    )
    assert read(tmp_path, data).sheet_name == "人员"
