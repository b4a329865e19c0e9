"""The 个人小结 sheet: entered from paper by a head (own sections) or the administrator,
through services.summaries.enter_for; every row checked, all or nothing."""

import datetime
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from efficiency.excel import exports, sheets
from efficiency.models import AuditEvent, ImportRecord, Summary, SummaryStatus
from efficiency.services import appraisal
from efficiency.services import summaries as services

from .excel_samples import openpyxl_xlsx, write
from .factories import make_staff

HEADER = ["考核期", "工号", "姓名", "个人小结"]
TEXT = "本季度完成收发文件登记，按时办结督办事项。"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def period(office):
    return appraisal.period_open(actor=office.leader, code="2026Q3")


def run(tmp_path, data, actor, name="个人小结.xlsx", dry_run=False):
    return sheets.run("summaries", write(tmp_path, name, data), name, actor, dry_run=dry_run)


def state():
    rows = Summary.objects.values_list("staff__staff_no", "status", "text", "written_by__username")
    return (sorted(rows), AuditEvent.objects.count(), ImportRecord.objects.count())


def problems(result):
    return [str(p) for p in result.problems]


def test_the_administrator_imports_summaries_as_submitted(tmp_path, office, period):
    data = openpyxl_xlsx(
        [
            HEADER,
            ["2026Q3", "001001", "（不读）", TEXT],
            ["2026年第3季度", 2001, None, "综合科工作小结。"],
            ["2026Q3", "001002", "李秀英", None],
        ]
    )
    result = run(tmp_path, data, office.administrator)
    assert result.ok, problems(result)
    assert (result.record.created, result.record.unchanged, result.record.period) == (2, 1, period)
    assert state()[0] == [
        ("001001", SummaryStatus.SUBMITTED, TEXT, "administrator"),
        ("002001", SummaryStatus.SUBMITTED, "综合科工作小结。", "administrator"),
    ]
    again = run(tmp_path, data, office.administrator)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3, "error": 0}


def test_errors_are_listed_row_by_row_and_nothing_is_written(tmp_path, office, period):
    make_staff(office.a, "钱离岗", "001099", end_date=datetime.date(2026, 5, 31))
    services.submit(actor=office.named, period=period, staff=office.person, text=TEXT)
    services.accept(actor=office.head, period=period, staff=office.person)
    before = state()
    data = openpyxl_xlsx(
        [
            HEADER,
            ["2026Q3", "001001", "王建国", "改写已接受的小结"],
            ["2026Q9", "001002", "李秀英", TEXT],
            ["2026Q3", "009999", "无此人", TEXT],
            ["2026Q3", "002001", "赵志强", TEXT],
            ["2026Q3", "001099", "钱离岗", TEXT],
            ["2026Q3", "001002", "李秀英", "字" * 1001],
            ["2026Q3", "001009", "陈文书", TEXT],
            ["2026Q3", "001009", "陈文书", TEXT],
        ]
    )
    result = run(tmp_path, data, office.head)
    assert problems(result) == [
        "第 2 行「个人小结」：王建国的个人小结已接受，不再更改",
        "第 3 行「考核期」：“2026Q9”不是有效的季度，请按“2026Q3”格式填写。",
        "第 4 行「工号」：人员名册中没有工号“009999”",
        "第 5 行「工号」：赵志强在综合科工作；您只能录入本人负责科室的小结",
        "第 6 行「工号」：钱离岗不在2026Q3的考核名册中。",
        f"第 7 行「个人小结」：“{'字' * 40}…” 超过 1000 个字",
        "第 9 行「工号」：“001009” 与第 8 行重复",
    ]
    assert state() == before


def test_a_locked_period_refuses_every_row(tmp_path, office, period):
    appraisal.period_close(actor=office.leader, period=period)
    appraisal.period_lock(actor=office.leader, period=period)
    result = run(tmp_path, openpyxl_xlsx([HEADER, ["2026Q3", "001001", "", TEXT]]), office.head)
    assert problems(result) == [
        "第 2 行「考核期」：考核期 2026Q3 当前为“已锁定”，只有在评分或公示阶段才能录入个人小结"
    ]


def test_only_heads_and_the_administrator_import(tmp_path, office, period):
    for actor, message in [
        (office.named, "您没有导入“个人小结”表的权限。"),
        (office.leader, "您没有导入“个人小结”表的权限。"),
        (None, "导入个人小结须用 --user 指定录入人（系统管理员或科室负责人）。"),
    ]:
        with pytest.raises(sheets.NotAllowed) as caught:
            run(tmp_path, openpyxl_xlsx([HEADER]), actor)
        assert caught.value.message == message


def test_export_round_trip(tmp_path, office, period):
    services.submit(actor=office.named, period=period, staff=office.person, text=TEXT)
    name, data = exports.export("summaries", user=office.head, period="2026Q3")
    assert name == "个人小结_2026Q3.xlsx"
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADER
    assert ["2026Q3", "001001", "王建国", TEXT] in rows
    assert not any(row[1] == "002001" for row in rows)  # another section's person
    preview = sheets.preview("summaries", write(tmp_path, name, data), name, office.head)
    assert preview.ok and not preview.changes_anything


def test_export_is_refused_to_people_without_a_section(office, period):
    with pytest.raises(exports.ExportRefused):
        exports.export("summaries", user=office.named, period="2026Q3")


def test_template_has_the_columns_but_not_the_name(office):
    name, data = exports.template("summaries")
    assert name == "个人小结导入模板.xlsx"
    sheet = load_workbook(io.BytesIO(data))["个人小结"]
    assert [cell.value for cell in sheet[1]] == ["考核期", "工号", "个人小结"]
