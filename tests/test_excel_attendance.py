"""The 出勤 sheet: 考核期, 工号, 姓名 (read only), 旷工天数, 病事假天数, 迟到早退次数, through the
project's Excel engine and ``record_attendance``: every row checked, then all or nothing."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from efficiency.excel import exports, sheets
from efficiency.models import Attendance, AuditEvent, ImportRecord
from efficiency.services import appraisal as appraisal_services
from efficiency.services.attendance import record_attendance

from .conftest import login
from .excel_samples import openpyxl_xlsx, write
from .factories import make_staff

HEADER = ["考核期", "工号", "姓名", "旷工天数", "病事假天数", "迟到早退次数"]


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def period(office):
    return appraisal_services.period_open(actor=office.leader, code="2026Q3")


def run(tmp_path, data, actor, name="出勤.xlsx", dry_run=False):
    return sheets.run("attendance", write(tmp_path, name, data), name, actor, dry_run=dry_run)


def figures():
    return sorted(
        (a.period.code, a.staff.staff_no, a.absent_days, a.leave_days, a.late_times)
        for a in Attendance.objects.select_related("period", "staff")
    )


def state():
    return figures(), AuditEvent.objects.count(), ImportRecord.objects.count()


def problems(result):
    return [str(p) for p in result.problems]


def test_it_imports_and_records_history(tmp_path, office, period):
    data = openpyxl_xlsx(
        [
            HEADER,
            ["2026Q3", "001001", "随便写", 1, 1.5, 2],
            ["2026年第3季度", 1002, None, None, "2", None],
            ["2026q3", "002001", "赵志强", 0, 0, 0],
        ]
    )
    result = run(tmp_path, data, office.administrator)
    assert result.ok, problems(result)
    assert result.counts == {"create": 2, "update": 0, "unchanged": 1, "error": 0}
    assert figures() == [
        ("2026Q3", "001001", 1, Decimal("1.5"), 2),
        ("2026Q3", "001002", 0, Decimal("2.0"), 0),
    ]
    event = AuditEvent.objects.get(object_repr="2026Q3 王建国")
    assert (event.actor, event.reason) == (office.administrator, "由 Excel 文件“出勤.xlsx”导入")
    assert result.record.period == period

    # A blank figure keeps what is recorded; a changed one is shown old → new.
    again = run(
        tmp_path,
        openpyxl_xlsx([HEADER, ["2026Q3", "001001", "", None, None, 3]]),
        office.administrator,
    )
    assert again.ok, problems(again)
    assert [(c.column, c.old, c.new) for c in again.rows[0].changes] == [("迟到早退次数", "2", "3")]
    assert figures()[0] == ("2026Q3", "001001", 1, Decimal("1.5"), 3)


def test_errors_are_named_row_by_row_and_nothing_is_written(tmp_path, office, period):
    record_attendance(
        actor=office.administrator,
        period=period,
        staff=office.person,
        absent_days=0,
        leave_days=Decimal(1),
        late_times=0,
    )
    make_staff(office.a, "钱已调", "001099", end_date="2026-06-30")
    before = state()
    data = openpyxl_xlsx(
        [
            HEADER,
            ["2026Q3", "001001", "王建国", 0, 0, 0],  # fine on its own: a change to 0
            ["2026Q3", "009999", "", 1, 0, 0],
            ["2026Q3", "001002", "", -1, 0, 0],
            ["2026Q3", "002001", "", 0, 1.25, 0],
            ["2026Q3", "001099", "", 0, 0, 1],
            ["2031Q1", "001002", "", 0, 0, 1],
            ["2026Q3", "001001", "", 0, 0, 0],
            ["2026Q3", "001009", "", 50, 42.5, 0],
            ["", "", "", 0, 0, "三"],
        ]
    )
    result = run(tmp_path, data, office.administrator)
    assert problems(result) == [
        "第 3 行「工号」：人员名册中没有工号“009999”",
        "第 4 行「旷工天数」：“-1” 不是整数",
        "第 5 行「病事假天数」：“1.25” 的小数超过 1 位",
        "第 6 行「工号」：钱已调（001099）在 2026Q3 期间不在人员名册中。",
        "第 7 行「考核期」：考核期 2031Q1 不存在",
        "第 8 行「工号」：“001001” 与第 2 行重复",
        "第 9 行：旷工天数与病事假天数合计 92.5 天，超过本季度的 92 天。",
        "第 10 行「考核期」：不能为空",
        "第 10 行「工号」：不能为空",
        "第 10 行「迟到早退次数」：“三” 不是整数",
    ]
    assert result.record is None
    assert state() == before


def test_a_half_day_rule_and_a_locked_period(tmp_path, office, period):
    result = run(
        tmp_path, openpyxl_xlsx([HEADER, ["2026Q3", "001001", "", 0, 1.3, 0]]), office.administrator
    )
    assert problems(result) == ["第 2 行「病事假天数」：“1.3”：天数按整天或半天填写，如 1.5。"]
    appraisal_services.period_close(actor=office.leader, period=period)
    appraisal_services.period_lock(actor=office.leader, period=period)
    result = run(
        tmp_path, openpyxl_xlsx([HEADER, ["2026Q3", "001001", "", 0, 1, 0]]), office.administrator
    )
    assert problems(result) == ["第 2 行「考核期」：考核期2026Q3已锁定，不能再作任何修改。"]
    assert not Attendance.objects.exists()


def test_only_the_administrator_imports(tmp_path, office, period):
    data = openpyxl_xlsx([HEADER, ["2026Q3", "001001", "", 1, 0, 0]])
    with pytest.raises(sheets.NotAllowed) as error:
        run(tmp_path, data, office.leader)
    assert error.value.message == "您没有导入“出勤”表的权限。"
    assert not Attendance.objects.exists()


def test_an_export_reimports_with_no_changes(tmp_path, office, period):
    record_attendance(
        actor=office.administrator,
        period=period,
        staff=office.person,
        absent_days=1,
        leave_days=Decimal("2.5"),
        late_times=4,
    )
    name, data = exports.export("attendance", user=office.administrator, period="2026Q3")
    assert name == "出勤_2026Q3.xlsx"
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if r[:6] == HEADER)
    by_no = {r[1]: r[:6] for r in rows[header_at + 1 :]}
    assert by_no["001001"] == ["2026Q3", "001001", "王建国", 1, 2.5, 4]
    assert by_no["002001"] == ["2026Q3", "002001", "赵志强", 0, 0, 0]

    before = state()
    result = run(tmp_path, data, office.administrator, name=name)
    assert result.ok, problems(result)
    assert result.counts["unchanged"] == len(result.rows) == len(by_no)
    assert state()[:2] == before[:2]


def test_the_template_and_the_pages(office, period):
    name, data = exports.template("attendance")
    assert name == "出勤导入模板.xlsx"
    book = load_workbook(io.BytesIO(data), read_only=True)
    header = next(book.worksheets[0].iter_rows(values_only=True))
    assert [h for h in header if h] == ["考核期", "工号", "旷工天数", "病事假天数", "迟到早退次数"]
    client = login(office.administrator)
    assert client.get("/excel/template/attendance/").status_code == 200
    assert client.get("/excel/export/attendance/?period=2026Q3").status_code == 200
    assert login(office.clerk).get("/excel/export/attendance/?period=2026Q3").status_code == 403


def test_the_command_line(tmp_path, office, period):
    path = write(tmp_path, "出勤.xlsx", openpyxl_xlsx([HEADER, ["2026Q3", "001001", "", 1, 0, 0]]))
    out = io.StringIO()
    call_command("import_xlsx", "attendance", str(path), stdout=out)
    assert figures() == [("2026Q3", "001001", 1, Decimal("0.0"), 0)]
    target = tmp_path / "out.xlsx"
    call_command("export_xlsx", "attendance", "--period", "2026Q3", "-o", str(target), stdout=out)
    assert target.stat().st_size > 0
