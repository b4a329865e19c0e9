"""The 年度个人总结 sheet: the year's summaries entered from paper by a head (own sections) or the
administrator, through services.summaries.enter_for(year=); every row checked, all or nothing.

The office of tests/conftest.py; the year's summaries are written from the opening of 2026Q4
until the year's result notices are issued.
"""

import io

import pytest
from openpyxl import load_workbook

from efficiency.excel import exports, sheets
from efficiency.models import (
    AnnualAppraisal,
    AnnualState,
    AnnualSummary,
    AuditEvent,
    ImportRecord,
    SummaryStatus,
)
from efficiency.services import ServiceError, appraisal
from efficiency.services import summaries as services

from .conftest import login
from .excel_samples import openpyxl_xlsx, write
from .test_year_summaries import chinese, q4  # noqa: F401 - fixtures; chinese is autouse

HEADER = ["年度", "工号", "姓名", "年度个人总结"]
TEXT = "全年完成收发文件登记一千二百余件，督办事项按时办结。"
YEAR = 2026


def run(tmp_path, data, actor, name="年度个人总结.xlsx"):
    return sheets.run("year_summaries", write(tmp_path, name, data), name, actor)


def state():
    rows = AnnualSummary.objects.values_list(
        "year", "staff__staff_no", "status", "text", "written_by__username"
    )
    return (sorted(rows), AuditEvent.objects.count(), ImportRecord.objects.count())


def problems(result):
    return [str(p) for p in result.problems]


def rows_of(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data))["年度个人总结"]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.usefixtures("q4")
def test_export_fill_in_and_import_round_trip(tmp_path, office):
    services.submit(actor=office.named, year=YEAR, staff=office.person, text=TEXT)
    name, data = exports.export("year_summaries", user=office.head)  # the open quarter's year
    assert name == "年度个人总结_2026.xlsx"
    rows = rows_of(data)
    assert rows[0] == HEADER
    assert [row[1] for row in rows[1:]] == ["001000", "001001", "001002", "001009"]
    assert rows[2] == [2026, "001001", "王建国", TEXT]
    assert rows[3] == [2026, "001002", "李秀英", None]  # to fill in from paper

    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["年度个人总结"]
    sheet["D4"] = "李秀英全年工作总结。"
    sheet["D3"] = TEXT + "（纸质稿补充）"
    filled = io.BytesIO()
    workbook.save(filled)
    result = run(tmp_path, filled.getvalue(), office.head)
    assert result.ok, problems(result)
    assert result.counts == {"create": 1, "update": 1, "unchanged": 2, "error": 0}
    assert state()[0] == [
        (YEAR, "001001", SummaryStatus.SUBMITTED, TEXT + "（纸质稿补充）", "head"),
        (YEAR, "001002", SummaryStatus.SUBMITTED, "李秀英全年工作总结。", "head"),
    ]
    entered = AuditEvent.objects.order_by("pk").last()
    assert entered.reason == "根据纸质年度个人总结代为录入"

    again = run(tmp_path, filled.getvalue(), office.head)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 4, "error": 0}


@pytest.mark.usefixtures("q4")
def test_a_head_importing_another_sections_person_is_refused_and_nothing_saved(tmp_path, office):
    before = state()
    data = openpyxl_xlsx(
        [
            HEADER,
            [2026, "001001", "王建国", TEXT],
            ["2026年", "002001", "赵志强", TEXT],
        ]
    )
    result = run(tmp_path, data, office.head)
    assert problems(result) == ["第 3 行「工号」：赵志强在综合科工作；您只能录入本人负责科室的小结"]
    assert state() == before
    # The administrator enters anyone's, in one file.
    assert run(tmp_path, data, office.administrator).ok
    assert AnnualSummary.objects.count() == 2


@pytest.mark.usefixtures("q4")
def test_an_accepted_summary_is_left_alone(tmp_path, office):
    services.submit(actor=office.named, year=YEAR, staff=office.person, text=TEXT)
    services.accept(actor=office.head, year=YEAR, staff=office.person)
    before = state()
    data = openpyxl_xlsx(
        [HEADER, ["2026", "001002", "", "李秀英全年工作总结。"], ["2026", "001001", "", "改写"]]
    )
    result = run(tmp_path, data, office.head)
    assert problems(result) == ["第 3 行「年度个人总结」：王建国的年度个人总结已接受，不再更改"]
    assert state() == before


@pytest.mark.usefixtures("q4")
def test_a_text_over_3000_characters_is_refused(tmp_path, office):
    data = openpyxl_xlsx(
        [HEADER, ["2026", "001001", "", "字" * 3000], ["2026", "001002", "", "字" * 3001]]
    )
    result = run(tmp_path, data, office.head)
    assert problems(result) == [f"第 3 行「年度个人总结」：“{'字' * 40}…” 超过 3000 个字"]
    assert AnnualSummary.objects.count() == 0
    assert run(
        tmp_path, openpyxl_xlsx([HEADER, ["2026", "001001", "", "字" * 3000]]), office.head
    ).ok


@pytest.mark.usefixtures("q4")
def test_a_bad_year_is_refused(tmp_path, office):
    data = openpyxl_xlsx(
        [
            HEADER,
            ["2026Q4", "001001", "", TEXT],
            ["26", "001002", "", TEXT],
            ["二〇二六", "001009", "", TEXT],
            [None, "001000", "", TEXT],
        ]
    )
    result = run(tmp_path, data, office.head)
    assert problems(result) == [
        "第 2 行「年度」：“2026Q4”不是有效的年度，请按“2026”格式填写。",
        "第 3 行「年度」：“26”不是有效的年度，请按“2026”格式填写。",
        "第 4 行「年度」：“二〇二六”不是有效的年度，请按“2026”格式填写。",
        "第 5 行「年度」：不能为空",
    ]
    assert state()[0] == []


def test_before_the_fourth_quarter_opens_the_services_message_is_given(tmp_path, office):
    data = openpyxl_xlsx([HEADER, ["2026", "001001", "", TEXT]])
    result = run(tmp_path, data, office.head)
    assert problems(result) == [
        "第 2 行「年度」：2026年度个人总结自第四季度开启之日起填写，第四季度尚未开启。"
    ]
    assert state()[0] == []


@pytest.mark.usefixtures("q4")
def test_after_the_notices_the_services_message_is_given(tmp_path, office):
    services.submit(actor=office.named, year=YEAR, staff=office.person, text=TEXT)
    AnnualAppraisal.objects.create(year=YEAR, state=AnnualState.NOTIFIED)
    before = state()
    data = openpyxl_xlsx([HEADER, ["2026", "001001", "", TEXT + "补"]])
    result = run(tmp_path, data, office.administrator)
    assert problems(result) == [
        "第 2 行「年度」：2026年度考核结果通知书已送达，年度个人总结不能再修改。"
    ]
    assert state() == before


@pytest.mark.usefixtures("q4")
def test_a_refusal_while_writing_names_the_row_and_rolls_everything_back(
    tmp_path, office, monkeypatch
):
    """The rows are checked first, but the service has the last word: if it refuses a row
    (something changed between the check and the write), its message comes back with the row
    and the rows already written are undone."""
    enter_for = services.enter_for

    def refuse_the_colleague(*, staff, **kwargs):
        if staff == office.colleague:
            raise ServiceError("李秀英的年度个人总结刚被接受，不再更改。")
        return enter_for(staff=staff, **kwargs)

    monkeypatch.setattr(services, "enter_for", refuse_the_colleague)
    data = openpyxl_xlsx([HEADER, ["2026", "001001", "", TEXT], ["2026", "001002", "", TEXT]])
    result = run(tmp_path, data, office.head)
    assert problems(result) == [
        "没有导入任何数据，原因：第 3 行：李秀英的年度个人总结刚被接受，不再更改。"
    ]
    assert result.record is None
    assert state()[0] == []


@pytest.mark.usefixtures("q4")
def test_only_heads_and_the_administrator_import(tmp_path, office):
    for actor in (office.named, office.leader):
        with pytest.raises(sheets.NotAllowed) as caught:
            run(tmp_path, openpyxl_xlsx([HEADER]), actor)
        assert caught.value.message == "您没有导入“年度个人总结”表的权限。"


@pytest.mark.usefixtures("q4")
def test_the_administrator_exports_every_section(office):
    services.enter_for(actor=office.head_b, year=YEAR, staff=office.other_person, text=TEXT)
    _name, data = exports.export("year_summaries", user=office.administrator, period="2026")
    rows = rows_of(data)
    assert [2026, "002001", "赵志强", TEXT] in rows
    assert {row[1] for row in rows[1:]} >= {"001001", "002001", "005001"}
    with pytest.raises(exports.ExportRefused):
        exports.export("year_summaries", user=office.named)


def test_the_default_year_without_an_open_quarter_is_the_latest(office):
    appraisal.period_open(actor=office.leader, code="2025Q4")
    assert exports.export("year_summaries", user=office.administrator)[0] == (
        "年度个人总结_2025.xlsx"
    )


@pytest.mark.usefixtures("q4")
def test_a_bad_year_to_export_is_refused_with_a_message(office):
    for bad in ("abc", "1999", "20266"):
        with pytest.raises(exports.ExportRefused) as caught:
            exports.export("year_summaries", user=office.head, period=bad)
        assert caught.value.message == "请写明年度，例如 2026。"
    client = login(office.head)
    answer = client.get("/excel/export/year_summaries/?period=abc", follow=True)
    assert answer.redirect_chain == [("/excel/", 302)]
    assert "请写明年度，例如 2026。" in answer.content.decode()


def test_template_has_the_columns_but_not_the_name(office):
    name, data = exports.template("year_summaries")
    assert name == "年度个人总结导入模板.xlsx"
    sheet = load_workbook(io.BytesIO(data))["年度个人总结"]
    assert [cell.value for cell in sheet[1]] == ["年度", "工号", "年度个人总结"]


@pytest.mark.usefixtures("q4")
def test_the_excel_page_and_the_years_proposals_offer_the_sheet(office):
    page = login(office.head).get("/excel/").content.decode()
    assert 'action="/excel/export/year_summaries/"' in page
    assert '<option value="2026" selected>2026</option>' in page
    assert 'action="/excel/import/year_summaries/"' in page
    proposals = login(office.head).get("/appraisal/annual/2026/review/").content.decode()
    assert 'href="/excel/export/year_summaries/?period=2026"' in proposals
    clerk = login(office.clerk).get("/excel/").content.decode()
    assert 'action="/excel/import/year_summaries/"' not in clerk
