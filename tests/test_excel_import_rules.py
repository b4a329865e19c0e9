"""File imports follow the forms' rules (no control characters, the same maximum lengths), and an
export never cuts a text to fit a cell."""

import datetime

import pytest
import time_machine
from django.utils import translation

from efficiency.excel import exports, sheets
from efficiency.models import Incident, Staff

from .excel_samples import csv_bytes, openpyxl_xlsx, write
from .factories import report
from .test_excel_incidents import HEADER as INCIDENT_HEADER

STAFF_HEADER = ["工号", "姓名", "科室", "职务"]


@pytest.fixture(autouse=True)
def chinese_on_a_known_day():
    with translation.override("zh-hans"), time_machine.travel(datetime.date(2026, 11, 29)):
        yield


def problems(tmp_path, sheet, rows, actor, name="f.xlsx") -> list[str]:
    data = csv_bytes(rows) if name.endswith(".csv") else openpyxl_xlsx(rows)
    path = write(tmp_path, name, data)
    result = sheets.run(sheet, path, name, actor)
    assert result.record is None
    return [str(p) for p in result.problems]


def test_a_nul_or_other_control_character_is_refused(tmp_path, office):
    # XML cannot carry them (an .xlsx writes _x0000_ instead): they come in CSV files.
    rows = [
        STAFF_HEADER,
        ["003001", "张\x00三", "秘书科"],
        ["003002", "李四", "秘书科", "科员\x07"],
        ["003003", "王五", "秘书科", "科员\n（兼）"],  # a line break (Alt+Enter) is text
    ]
    assert problems(tmp_path, "staff", rows, None, name="人员.csv") == [
        "第 2 行「姓名」：含有无法保存的控制字符（如 NUL），请重新输入",
        "第 3 行「职务」：含有无法保存的控制字符（如 NUL），请重新输入",
    ]
    assert not Staff.objects.filter(staff_no__in=["003001", "003002", "003003"]).exists()


def test_every_text_column_has_the_forms_maximum_length(tmp_path, office):
    rows = [
        STAFF_HEADER,
        ["003001", "张" * 31, "秘书科"],
        ["003002", "李四", "秘书科", "科" * 51],
    ]
    assert problems(tmp_path, "staff", rows, None) == [
        f"第 2 行「姓名」：“{'张' * 31}” 超过 30 个字",
        f"第 3 行「职务」：“{'科' * 40}…” 超过 50 个字",
    ]
    long = "延" * 2001
    rows = [
        INCIDENT_HEADER,
        [None, "2026-07-01", "延误", "YW-01", "一般", "秘书科", "001001", long],
    ]
    assert problems(tmp_path, "incidents", rows, office.supervisor) == [
        f"第 2 行「情况描述」：“{'延' * 40}…” 超过 2000 个字"
    ]
    assert not Incident.objects.exists()
    rows[1][-1] = "延" * 2000  # the incident form's own maximum is accepted
    path = write(tmp_path, "ok.xlsx", openpyxl_xlsx(rows))
    assert sheets.run("incidents", path, "ok.xlsx", office.supervisor).ok


def test_an_export_refuses_a_text_longer_than_a_cell_rather_than_cut_it(office):
    incident = report(
        office.clerk,
        section=office.a,
        responsible=[office.person],
        standard=office.delay,
        description="长" * 40_000,
    )
    with pytest.raises(exports.ExportRefused) as caught:
        exports.export("incidents", user=office.supervisor)
    assert caught.value.message == (
        "第 2 行「情况描述」：文字长 40,000 个字，超过 Excel 单元格能容纳的 32,767 个字，"
        "无法完整导出。请先缩短。"
    )
    Incident.objects.filter(pk=incident.pk).update(description="长" * 32_767)
    _name, data = exports.export("incidents", user=office.supervisor)
    assert data.startswith(b"PK")
