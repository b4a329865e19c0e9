"""Exported workbooks and templates: what an office worker sees when opening them."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from efficiency import results
from efficiency.excel import exports, layouts, sheets
from efficiency.models import Incident, Section, Staff
from efficiency.services import appraisal as appraisal_services

from .conftest import login
from .excel_samples import write
from .factories import report

INJECTION = '=HYPERLINK("http://evil.example/","点击查看")'


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def cells(sheet, row: int) -> list:
    return [c.value for c in sheet[row]]


def test_a_sheet_is_formatted_for_the_office(office, incident_a):
    name, data = exports.export("incidents", user=office.supervisor)
    assert name.startswith("三误事件_") and name.endswith(".xlsx")
    sheet = book(data)["三误事件"]
    header = sheet[1]
    assert [c.value for c in header] == [c.name for c in layouts.INCIDENTS.all_columns]
    assert all(c.font.b for c in header)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:N2"
    assert sheet.column_dimensions["H"].width == pytest.approx(48, abs=1)  # 情况描述
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
    row = sheet[2]
    assert row[1].is_date and row[1].number_format == "yyyy-mm-dd"
    assert row[7].alignment.wrap_text
    assert row[11].value == "其他"  # 来源
    assert (row[13].value, row[13].number_format) == (1, "0.0")
    assert row[6].value == "001001"


def test_text_a_spreadsheet_would_run_is_escaped_and_numbers_stay_numbers(tmp_path, office):
    incident = report(
        office.clerk,
        section=office.a,
        responsible=[office.person],
        standard=office.delay,
        description=INJECTION,
    )
    office.person.post = "+86 科员"
    office.person.save()
    _name, data = exports.export("incidents", user=office.supervisor)
    sheet = book(data)["三误事件"]
    description = sheet["H2"]
    assert description.value == INJECTION
    assert description.data_type == "s"  # text, not a formula
    assert description.quotePrefix
    assert sheet["N2"].data_type == "n"
    _name, staff = exports.export("staff", user=office.administrator)
    posts = [c for c in book(staff)["人员"]["D"] if c.value == "+86 科员"]
    assert posts and posts[0].data_type == "s" and posts[0].quotePrefix
    # Escaped text reads back exactly as it was: the export re-imports unchanged.
    result = sheets.run("incidents", write(tmp_path, "i.xlsx", data), "i.xlsx", office.supervisor)
    assert result.counts["unchanged"] == 1 and result.ok
    assert Incident.objects.get(pk=incident.pk).description == INJECTION


@pytest.mark.parametrize("sheet", ["sections", "staff", "standards", "incidents", "scores"])
def test_each_blank_template(sheet, office):
    name, data = exports.template(sheet)
    layout = layouts.LAYOUTS[sheet]
    assert name == f"{layout.title}导入模板.xlsx"
    workbook = book(data)
    assert workbook.sheetnames == [layout.title, "填写说明"]
    first = workbook[layout.title]
    header = cells(first, 1)
    if sheet == "scores":  # the criteria follow: see the next test
        header = header[:4]
    assert header == [c.name for c in layout.importable]
    assert first.max_row == 1  # no example rows to import by mistake
    lists = {
        first.cell(row=1, column=next(iter(dv.sqref.ranges)).min_col).value: dv.formula1
        for dv in first.data_validations.dataValidation
    }
    expected = {c.name: '"' + ",".join(c.choices) + '"' for c in layout.importable if c.choices}
    if "科室" in header:  # the office's own sections: see test_the_section_drop_down
        expected["科室"] = '"' + ",".join(Section.objects.values_list("name", flat=True)) + '"'
    assert lists == expected
    for index, column in enumerate(layout.importable, start=1):
        if column.kind == layouts.STAFF_NO:
            (dimension,) = [d for d in first.column_dimensions.values() if d.min <= index <= d.max]
            assert dimension.number_format == "@"  # typed 001023 stays text
    notes = workbook["填写说明"]
    assert notes["A1"].value == f"“{layout.title}”表填写说明"
    listed = [notes.cell(row=r, column=1).value for r in range(3, 3 + len(layout.importable))]
    assert listed == [c.name for c in layout.importable]


@pytest.mark.parametrize("sheet", ["staff", "incidents"])
def test_the_section_drop_down(sheet, office):
    Section.objects.create(code="OLD", name="旧科室", order=99, active=False)
    first = book(exports.template(sheet)[1])[layouts.LAYOUTS[sheet].title]
    (section,) = [
        dv
        for dv in first.data_validations.dataValidation
        if first.cell(row=1, column=next(iter(dv.sqref.ranges)).min_col).value == "科室"
    ]
    assert section.formula1 == '"秘书科,综合科,督查室"'
    assert section.errorStyle == "warning"  # a section code typed instead is still read
    assert str(section.sqref).endswith("2001")


def test_a_long_section_list_goes_to_a_hidden_sheet(office):
    names = [f"第{n}综合业务科" for n in range(1, 41)]
    Section.objects.bulk_create(
        Section(code=f"S{n:02}", name=name, order=100 + n) for n, name in enumerate(names, 1)
    )
    workbook = book(exports.template("staff")[1])
    assert workbook.sheetnames == ["人员", "科室列表", "填写说明"]
    assert workbook["科室列表"].sheet_state == "hidden"
    listed = [row[0] for row in workbook["科室列表"].iter_rows(values_only=True)]
    assert listed == ["秘书科", "综合科", "督查室", *names]
    (section,) = [
        dv for dv in workbook["人员"].data_validations.dataValidation if "科室" in dv.formula1
    ]
    assert section.formula1 == "'科室列表'!$A$1:$A$43"


def test_the_scores_template_has_the_open_periods_criteria(office):
    appraisal_services.period_open(actor=office.leader, code="2026Q3")
    header = cells(book(exports.template("scores")[1])["评分"], 1)
    assert header == [
        "考核期",
        "对象类型",
        "对象编号",
        "考评人工号",
        "履行职责",
        "工作绩效",
        "服务质量",
        "履行职责理由",
        "工作绩效理由",
        "服务质量理由",
    ]


@pytest.fixture
def closed_quarter(office):
    period = appraisal_services.period_open(actor=office.leader, code="2026Q3")
    for assessor, base in ((office.assessor, 90), (office.leader, 80)):
        for staff, bonus in ((office.person, 5), (office.colleague, 0)):
            for criterion in ("duty", "performance", "service"):
                appraisal_services.score_save(
                    assessor=assessor,
                    period=period,
                    criterion_code=criterion,
                    value=str(base + bonus),
                    staff=staff,
                )
        appraisal_services.score_save(
            assessor=assessor, period=period, criterion_code="duty", value="88", section=office.b
        )
    return appraisal_services.period_close(actor=office.leader, period=period)


def test_the_quarters_ranking_is_the_ranking_page_on_paper(office, closed_quarter):
    name, data = exports.export("rankings", user=office.leader, period="2026Q3")
    assert name == "考核排名_2026Q3.xlsx"
    workbook = book(data)
    assert workbook.sheetnames == ["个人排名", "科室排名"]
    staff = workbook["个人排名"]
    assert staff["A1"].value == "2026年第3季度个人考核排名"
    assert {str(r) for r in staff.merged_cells.ranges} == {"A1:L1", "A2:L2"}
    assert staff.freeze_panes == "A4" and staff.print_title_rows == "$3:$3"
    assert cells(staff, 3) == [
        "排名",
        "工号",
        "姓名",
        "科室",
        "履行职责",
        "工作绩效",
        "服务质量",
        "基础分",
        "扣分",
        "最终得分",
        "等次",
        "备注",
    ]
    assert staff["A2"].value.startswith("考核期 2026Q3，状态：已关闭（公示中）。导出时间：")
    table = results.ranking(closed_quarter, results.STAFF)
    rows = {staff.cell(row=r, column=2).value: r for r in range(4, staff.max_row + 1)}
    for line in table.rows:
        r = rows[line.facts.key]
        assert staff.cell(row=r, column=1).value == line.result.rank
        final = staff.cell(row=r, column=10)
        if line.result.assessed:
            assert Decimal(str(final.value)) == line.result.final
            assert final.number_format == "0.00"
            assert staff.cell(row=r, column=11).value == line.result.grade.label
        else:
            assert final.value is None
            assert staff.cell(row=r, column=11).value == "未考核"
            assert staff.cell(row=r, column=12).value.startswith("未考核：")
    first = rows["001001"]
    assert staff.cell(row=first, column=1).value == 1
    assert Decimal(str(staff.cell(row=first, column=10).value)) == Decimal("90.00")
    sections = workbook["科室排名"]
    assert sections["A1"].value == "2026年第3季度科室考核排名"
    assert cells(sections, 3)[:3] == ["排名", "科室代码", "科室名称"]


def test_the_annual_roll_up(office, closed_quarter):
    name, data = exports.export("annual", user=office.leader, period="2026")
    assert name == "年度考核_2026.xlsx"
    sheet = book(data)["年度考核"]
    assert sheet["A1"].value == "2026年度考核"
    header = cells(sheet, 3)
    assert header[:4] == ["排名", "工号", "姓名", "科室"]
    assert header[4:] == ["2026Q3", "年度得分", "等次", "审定等次", "备注"]
    rollup = results.annual_rollup(2026)
    shown = {sheet.cell(row=r, column=2).value: r for r in range(4, sheet.max_row + 1)}
    for row in rollup.rows:
        r = shown[row.facts.key]
        if row.result.score is not None:
            assert Decimal(str(sheet.cell(row=r, column=6).value)) == row.result.score
            assert sheet.cell(row=r, column=7).value == row.result.grade.label


def test_export_refusals(office, closed_quarter):
    def refused(sheet, user, period=None):
        with pytest.raises(exports.ExportRefused) as caught:
            exports.export(sheet, user=user, period=period)
        return caught.value.message

    assert refused("rankings", office.leader) == "请写明季度，例如 2026Q3。"
    assert (
        refused("rankings", office.leader, "2026Q9")
        == "“2026Q9”不是有效的季度，请按“2026Q3”格式填写。"
    )
    assert refused("rankings", office.leader, "2025Q1") == "考核期2025Q1不存在。"
    assert refused("annual", office.leader, "明年") == "请写明年度，例如 2026。"
    assert refused("rankings", office.clerk, "2026Q3") == "您没有导出此表的权限。"
    assert refused("scores", office.clerk, "2026Q3") == "您没有导出此表的权限。"
    assert refused("staff", office.outsider) == "您没有导出此表的权限。"
    assert refused("payroll", office.leader) == "“payroll”不是可以导出的表。"


def test_a_clerk_exports_the_people_the_roster_shows_them(office):
    _name, data = exports.export("staff", user=office.clerk)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert numbers == set(Staff.objects.filter(section=office.a).values_list("staff_no", flat=True))
    page = login(office.clerk).get("/roster/").content.decode()
    assert all(number in page for number in numbers)


def test_exports_show_only_what_the_reader_may_see(office, incident_a, incident_b):
    _name, data = exports.export("incidents", user=office.clerk)
    numbers = [c.value for c in book(data)["三误事件"]["A"]][1:]
    assert numbers == [incident_a.number]
    _name, data = exports.export("staff", user=office.head)
    sections = {c.value for c in book(data)["人员"]["C"]} - {"科室"}
    assert sections == {"秘书科"}
