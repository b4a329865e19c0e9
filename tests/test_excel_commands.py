"""``import_xlsx`` and ``export_xlsx``: the same engine on the command line."""

import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from efficiency.models import ImportRecord, Incident, Staff
from efficiency.services import appraisal as appraisal_services

from .excel_samples import openpyxl_xlsx, write

STAFF_HEADER = ["工号", "姓名", "科室", "职务", "入职日期", "离岗日期"]


def command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args) -> tuple[str, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return str(caught.value), err.getvalue()


def test_export_then_import_changes_nothing(tmp_path, office):
    target = tmp_path / "人员.xlsx"
    out, _err = command("export_xlsx", "staff", "-o", str(target))
    assert out.startswith(f"已写入：{target}（")
    out, _err = command("import_xlsx", "staff", str(target))
    assert f"人员.xlsx：工作表“人员”，表头在第 1 行，共 {Staff.objects.count()} 行数据。" in out
    assert f"导入完成：新增 0 条，更新 0 条，不变 {Staff.objects.count()} 条。" in out
    record = ImportRecord.objects.get()
    assert (record.sheet, record.imported_by) == ("staff", None)


def test_a_dry_run_writes_nothing(tmp_path, office):
    path = write(
        tmp_path,
        "人员.xlsx",
        openpyxl_xlsx([STAFF_HEADER, ["003001", "张三", "秘书科", "", "", "", "借调"]]),
    )
    out, _err = command("import_xlsx", "staff", str(path), "--dry-run")
    assert "检查通过，导入后将：新增 1 条，更新 0 条，不变 0 条。本次未写入任何数据。" in out
    assert not Staff.objects.filter(staff_no="003001").exists()
    assert not ImportRecord.objects.exists()


def test_the_same_row_level_errors_and_nothing_written(tmp_path, office):
    path = write(
        tmp_path,
        "人员.xlsx",
        openpyxl_xlsx(
            [
                STAFF_HEADER,
                ["003001", "张三", "秘书科"],
                ["003002", "李四", "秘书科"],
                ["003003", "王五", "秘书科"],
                ["003004", "赵六", "秘书科", "科员", "2023-02-30"],
            ]
        ),
    )
    message, err = refused("import_xlsx", "staff", str(path))
    assert message == "未导入任何数据：文件中有 1 处错误。"
    assert err.strip() == "第 5 行「入职日期」：“2023-02-30” 不是有效日期"
    assert not Staff.objects.filter(staff_no__startswith="0030").exists()


def test_accounts_and_their_rights(tmp_path, office):
    staff = write(
        tmp_path, "人员.xlsx", openpyxl_xlsx([STAFF_HEADER, ["003001", "张三", "秘书科"]])
    )
    assert refused("import_xlsx", "staff", str(staff), "--user", "nobody")[0] == (
        "没有名为“nobody”的有效账号。"
    )
    assert refused("import_xlsx", "staff", str(staff), "--user", "clerk")[0] == (
        "您没有导入“人员”表的权限。"
    )
    incidents = write(
        tmp_path,
        "三误事件.xlsx",
        openpyxl_xlsx(
            [
                ["发生日期", "类别", "条款编号", "严重程度", "科室", "责任人工号", "情况描述"],
                ["2026-07-01", "延误", "YW-01", "一般", "秘书科", "001001", "收文未及时呈批。"],
            ]
        ),
    )
    assert refused("import_xlsx", "incidents", str(incidents))[0] == (
        "导入三误事件须用 --user 指定账号，作为登记人记录。"
    )
    out, _err = command("import_xlsx", "incidents", str(incidents), "--user", "supervisor")
    assert "导入完成：新增 1 条" in out
    assert Incident.objects.get().reporter == office.supervisor


def test_bad_arguments(tmp_path, office):
    assert refused("import_xlsx")[0] == "请写明表名和文件，例如：“import_xlsx staff roster.xlsx”。"
    assert refused("import_xlsx", "rankings", "x.xlsx")[0] == (
        "“rankings”不是可以导入的表，请使用："
        "sections, staff, standards, incidents, scores, attendance, summaries, year_summaries。"
    )
    assert refused("import_xlsx", "staff", str(tmp_path / "none.xlsx"))[0] == (
        f"文件“{tmp_path / 'none.xlsx'}”不存在。"
    )
    assert refused("export_xlsx", "staff")[0] == (
        "请写明表名和保存位置，例如：“export_xlsx staff -o staff.xlsx”。"
    )
    assert refused("export_xlsx", "payroll", "-o", "x.xlsx")[0] == (
        "“payroll”不是可以导出的表，请使用："
        "sections, staff, standards, incidents, scores, attendance, summaries, year_summaries, "
        "rankings, annual。"
    )
    assert refused("export_xlsx", "staff", "-o", str(tmp_path / "no" / "x.xlsx"))[0] == (
        f"文件夹“{tmp_path / 'no'}”不存在。"
    )
    assert refused("export_xlsx", "rankings", "-o", str(tmp_path / "r.xlsx"))[0] == (
        "请写明季度，例如 2026Q3。"
    )
    assert refused("export_xlsx", "rankings", "--template", "-o", str(tmp_path / "r.xlsx"))[0] == (
        "“rankings”没有导入模板。"
    )


def test_rankings_annual_and_templates(tmp_path, office):
    period = appraisal_services.period_open(actor=office.leader, code="2026Q3")
    appraisal_services.period_close(actor=office.leader, period=period)
    for args, sheet in (
        (["rankings", "--period", "2026Q3"], "个人排名"),
        (["annual", "--period", "2026"], "年度考核"),
        (["incidents", "--period", "2026Q3"], "三误事件"),
        (["staff", "--template"], "人员"),
    ):
        target = tmp_path / f"{args[0]}.xlsx"
        command("export_xlsx", *args, "-o", str(target))
        assert openpyxl.load_workbook(target).sheetnames[0] == sheet


def test_a_refusal_exits_non_zero(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_xlsx", "staff", str(tmp_path / "none.xlsx")],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "none.xlsx" in result.stderr
