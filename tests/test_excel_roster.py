"""The 科室, 人员 and 三误界定标准 sheets: round trips, messy files, refusals, history."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from efficiency.excel import exports, sheets
from efficiency.models import AuditEvent, ImportRecord, Section, Staff, Standard

from .excel_samples import csv_bytes, openpyxl_xlsx, write, xlsxwriter_xlsx

STAFF_HEADER = ["工号", "姓名", "科室", "职务", "入职日期", "离岗日期"]


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def run(tmp_path, sheet, data, actor, name="导入.xlsx", dry_run=False):
    return sheets.run(sheet, write(tmp_path, name, data), name, actor, dry_run=dry_run)


def state():
    """Everything an import could touch, to show that a refused one touched nothing."""
    return (
        list(Section.objects.order_by("pk").values()),
        list(Staff.objects.order_by("pk").values()),
        list(Standard.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        ImportRecord.objects.count(),
    )


def history(obj):
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).order_by("pk")
    )


# --- round trips --------------------------------------------------------------------------------


@pytest.mark.parametrize("sheet", ["sections", "staff", "standards"])
def test_an_export_reimports_with_no_changes(tmp_path, office, sheet):
    name, data = exports.export(sheet, user=office.administrator)
    before = state()
    result = run(tmp_path, sheet, data, office.administrator, name=name)
    assert result.ok, [str(p) for p in result.problems]
    assert result.counts["unchanged"] == len(result.rows) > 0
    assert result.counts["create"] == result.counts["update"] == 0
    record = result.record
    assert (record.sheet, record.file_name, record.imported_by) == (
        sheet,
        name,
        office.administrator,
    )
    assert record.unchanged == len(result.rows)
    after = state()
    assert after[:4] == before[:4]
    assert after[4] == before[4] + 1


def test_sections_are_created_and_changed_with_their_history(tmp_path, office):
    data = openpyxl_xlsx(
        [
            ["科室代码", "科室名称", "排序", "启用"],
            ["MSK", "秘书一科", 10, "是"],
            ["xxk", "信息科", 30, "否"],
            ["zhk", "综合科", None, None],
        ]
    )
    preview = sheets.preview(
        "sections", write(tmp_path, "s.xlsx", data), "科室.xlsx", office.administrator
    )
    assert [(p.row, p.action, p.key) for p in preview.rows] == [
        (2, "update", "MSK"),
        (3, "create", "xxk"),
        (4, "unchanged", "ZHK"),
    ]
    assert [(c.column, c.old, c.new) for c in preview.rows[0].changes] == [
        ("科室名称", "秘书科", "秘书一科")
    ]
    assert Section.objects.filter(code="xxk").count() == 0  # a preview writes nothing

    result = run(tmp_path, "sections", data, office.administrator, name="科室.xlsx")
    assert result.record.created == 1 and result.record.updated == 1
    office.a.refresh_from_db()
    assert office.a.name == "秘书一科"
    new = Section.objects.get(code="xxk")
    assert (new.name, new.order, new.active) == ("信息科", 30, False)
    (change,) = history(office.a)
    assert change.action == "change" and change.actor == office.administrator
    assert change.changes == {"name": ["秘书科", "秘书一科"]}
    assert change.reason == "由 Excel 文件“科室.xlsx”导入"
    (created,) = history(new)
    assert created.action == "create"
    assert created.changes["name"] == ["", "信息科"]

    again = run(tmp_path, "sections", data, office.administrator, name="科室.xlsx")
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3, "error": 0}
    assert len(history(office.a)) == 1


# --- the example of the issue, and nothing written ---------------------------------------------


def test_an_invalid_date_refuses_the_whole_file(tmp_path, office):
    data = openpyxl_xlsx(
        [
            STAFF_HEADER,
            ["003001", "张三", "秘书科", "科员", "2023-01-03"],
            ["003002", "李四", "秘书科", "科员", "2023-02-01"],
            ["001001", "王建国", "综合科", "科员", "2021-03-01"],
            ["003004", "赵六", "秘书科", "科员", "2023-02-30"],
        ]
    )
    before = state()
    result = run(tmp_path, "staff", data, office.administrator)
    assert [str(p) for p in result.problems] == ["第 5 行「入职日期」：“2023-02-30” 不是有效日期"]
    assert result.record is None
    assert state() == before


def test_every_problem_is_named_by_row_column_and_value(tmp_path, office):
    data = xlsxwriter_xlsx(
        [
            STAFF_HEADER,
            ["003001", "", "秘书科"],
            ["00 30/02", "李四", "秘书科"],
            ["003003", "王五", "宣传科"],
            ["003004", "赵六", "秘书科", "科员", "2023-02-01", "2022-12-31"],
            ["003005", "孙七", None],
            ["003006", "周八", "秘书科", None, "明年"],
            ["003006", "吴九", "秘书科"],
        ]
    )
    before = state()
    result = run(tmp_path, "staff", data, office.administrator)
    assert [str(p) for p in result.problems] == [
        "第 2 行「姓名」：不能为空",
        "第 3 行「工号」：“00 30/02” 不是有效的工号",
        "第 4 行「科室」：“宣传科” 不是科室代码或科室名称",
        "第 5 行「离岗日期」：“2022-12-31” 早于入职日期 2023-02-01",
        "第 6 行「科室」：不能为空",
        "第 7 行「入职日期」：“明年” 不是有效日期",
        "第 8 行「工号」：“003006” 与第 7 行重复",
    ]
    assert state() == before


def test_model_rules_are_reported_on_their_column(tmp_path, office):
    data = openpyxl_xlsx(
        [
            ["条款编号", "类别", "条款内容", "一般扣分"],
            ["YW03", "延误", "超时限未办结。", 1],
            ["YW-04", "延误", "超时限未办结。", "1.25"],
        ]
    )
    result = run(tmp_path, "standards", data, office.administrator)
    assert [str(p) for p in result.problems] == [
        "第 2 行「条款编号」：“YW03”：条款编号请按“YW-03”格式填写。",
        "第 3 行「一般扣分」：“1.25” 的小数超过 1 位",
    ]


def test_a_revision_of_the_catalogue_sets_the_clauses_dates(tmp_path, office):
    """YW-06 superseded on 31 March by YW-07: both dates come in with the sheet."""
    header = ["条款编号", "类别", "条款内容", "启用", "施行日期", "停止适用日期"]
    data = openpyxl_xlsx(
        [
            header,
            ["YW-06", "延误", "发文核稿、印制、分发超过规定时限。", "否", None, "2026-03-31"],
            ["YW-07", "延误", "发文核稿后未在2个工作日内完成印制。", "是", "2026年4月1日", None],
        ]
    )
    result = run(tmp_path, "standards", data, office.administrator)
    assert result.ok, [str(p) for p in result.problems]
    old, new = Standard.objects.get(code="YW-06"), Standard.objects.get(code="YW-07")
    assert (old.active, old.valid_from, old.valid_until) == (
        False,
        None,
        datetime.date(2026, 3, 31),
    )
    assert (new.valid_from, new.valid_until) == (datetime.date(2026, 4, 1), None)
    bad = openpyxl_xlsx([header, ["YW-07", None, None, None, "2026-04-01", "2026-03-31"]])
    result = run(tmp_path, "standards", bad, office.administrator, name="bad.xlsx")
    assert [str(p) for p in result.problems] == [
        "第 2 行「停止适用日期」：“2026-03-31” 早于施行日期 2026-04-01"
    ]
    _name, exported = exports.export("standards", user=office.administrator)
    again = run(tmp_path, "standards", exported, office.administrator, name="again.xlsx")
    assert again.ok and again.counts["unchanged"] == 5


def test_a_section_name_used_twice_is_refused(tmp_path, office):
    data = openpyxl_xlsx(
        [["科室代码", "科室名称"], ["XXK", "秘书科"], ["YYK", "新科"], ["ZZK", "新科"]]
    )
    result = run(tmp_path, "sections", data, office.administrator)
    assert [str(p) for p in result.problems] == [
        "第 2 行「科室名称」：“秘书科” 已被其他行或已有记录使用",
        "第 3 行「科室名称」：“新科” 已被其他行或已有记录使用",
        "第 4 行「科室名称」：“新科” 已被其他行或已有记录使用",
    ]


# --- files as offices make them -------------------------------------------------------------------


@pytest.mark.parametrize("build", [openpyxl_xlsx, xlsxwriter_xlsx])
def test_a_messy_roster_imports_cleanly(tmp_path, office, build):
    data = build(
        {
            "名单": [
                ["县委办干部职工花名册（2026年7月）"],
                [None],
                ["序号", " 姓　名 ", "工 号", "科室", "入职日期", "职务", "备注"],
                [1, "\u3000王　芳\u3000", "003001", "MSK", "2026/7/1", " 科员 "],
                [2, "李  强", "003002", " 综合科 ", "2026年7月1日", "副科长"],
                [3, "陈晨", "003003", "zhk", "2026.7.1", None, "新调入"],
                [4, "刘洋", "003004", "秘书科", datetime.date(2026, 7, 1), "科员"],
                [5, "王建国", 1001, "秘书科", "2020-09-01", "科员"],
                [None],
                ["\u3000"],
            ]
        },
        merge={"名单": ["A1:G1"]},
    )
    result = run(tmp_path, "staff", data, office.administrator)
    assert result.ok, [str(p) for p in result.problems]
    assert result.table.header_row == 3
    assert result.table.ignored == ["序号", "备注"]
    assert result.counts == {"create": 4, "update": 1, "unchanged": 0, "error": 0}
    people = {s.staff_no: s for s in Staff.objects.filter(staff_no__startswith="0030")}
    assert {n: (s.name, s.section.code, s.post, s.start_date) for n, s in people.items()} == {
        "003001": ("王芳", "MSK", "科员", datetime.date(2026, 7, 1)),
        "003002": ("李强", "ZHK", "副科长", datetime.date(2026, 7, 1)),
        "003003": ("陈晨", "ZHK", "", datetime.date(2026, 7, 1)),
        "003004": ("刘洋", "MSK", "科员", datetime.date(2026, 7, 1)),
    }
    # 1001 typed as a number is 王建国's 001001; only his start date was new.
    row = result.rows[4]
    assert row.key == "001001"
    assert row.notes == ["工号“1001”缺少开头的 0，已对应为 001001"]
    assert [(c.column, c.new) for c in row.changes] == [("入职日期", "2020-09-01")]


def test_blank_optional_cells_keep_what_is_recorded(tmp_path, office):
    office.person.post = "副科长"
    office.person.start_date = datetime.date(2019, 1, 2)
    office.person.save()
    data = openpyxl_xlsx([STAFF_HEADER, ["001001", "王建国", "", "", "", ""]])
    result = run(tmp_path, "staff", data, office.administrator)
    assert result.counts["unchanged"] == 1
    office.person.refresh_from_db()
    assert (office.person.post, office.person.start_date) == ("副科长", datetime.date(2019, 1, 2))


def test_a_new_clause_with_blank_points_gets_the_defaults(tmp_path, office):
    data = openpyxl_xlsx(
        [
            ["条款编号", "类别", "条款内容", "一般扣分", "较重扣分", "严重扣分", "启用"],
            ["ＣＷ－０９", "错误", "公文出现原则性错误。", None, None, None, None],
            ["SW-01", "失误", "应传递的信息在本人处中断。", 2, 5, 8, "是"],
        ]
    )
    result = run(tmp_path, "standards", data, office.administrator)
    assert result.ok, [str(p) for p in result.problems]
    new = Standard.objects.get(code="CW-09")
    assert (new.points_minor, new.points_serious, new.points_grave, new.active) == (
        Decimal(3),
        Decimal(6),
        Decimal(12),
        True,
    )
    office.slip.refresh_from_db()
    assert office.slip.points_serious == Decimal(5)
    (change,) = history(office.slip)
    assert change.changes == {"points_serious": ["4.0", "5.0"]}


def test_a_dry_run_writes_nothing(tmp_path, office):
    data = openpyxl_xlsx([STAFF_HEADER, ["003001", "张三", "秘书科"]])
    before = state()
    result = run(tmp_path, "staff", data, office.administrator, dry_run=True)
    assert result.ok and result.counts["create"] == 1 and result.record is None
    assert state() == before


def test_a_header_without_rows_is_refused(tmp_path, office):
    result = run(
        tmp_path, "staff", openpyxl_xlsx([STAFF_HEADER]), office.administrator, name="空.xlsx"
    )
    assert [str(p) for p in result.problems] == ["“空.xlsx”只有表头，没有数据行。"]


def test_a_gbk_csv_from_chinese_windows(tmp_path, office):
    data = csv_bytes(
        [
            ["人员名单"],
            STAFF_HEADER,
            ["1001", "王建国", "秘书科", "科长", "2020/9/1"],  # Excel dropped the zeros
            ["003001", "張三丰", "综合科", "科员", "2026年7月1日"],
        ],
        encoding="gbk",
    )
    result = run(tmp_path, "staff", data, office.administrator, name="人员.csv")
    assert result.ok, [str(p) for p in result.problems]
    assert result.counts == {"create": 1, "update": 1, "unchanged": 0, "error": 0}
    office.person.refresh_from_db()
    assert (office.person.post, office.person.start_date) == ("科长", datetime.date(2020, 9, 1))
    assert Staff.objects.get(staff_no="003001").name == "張三丰"
