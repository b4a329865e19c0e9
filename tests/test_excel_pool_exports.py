"""The ranking and annual workbooks show the quota pools (名额池) when the graded are split over
more than one, and the annual one the vetoes, 不定等次 and the decided grade; read back with
openpyxl as the office opens them.

The pools of tests/test_pools.py and tests/test_year_pools.py: 王建国 (001001) and 李秀英
(001002) in 公务员/参公; 刘科长 (001000) and 赵志强 (002001) in 事业编.
"""

import datetime
import io

import openpyxl
import pytest
from django.utils import translation

from efficiency.excel import exports
from efficiency.services import annual as decisions
from efficiency.services import sanctions
from efficiency.services.appraisal import period_close, period_open
from efficiency.services.standing import set_standing

from . import test_pools as quarter_pools
from . import test_view_results as base
from . import test_year_pools as year_pools

judges = base.judges
period = quarter_pools.period


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def sheet_of(data: bytes, name: str):
    return openpyxl.load_workbook(io.BytesIO(data))[name]


def by_staff_no(sheet, header: list) -> dict[str, dict]:
    column = header.index("工号") + 1
    return {
        sheet.cell(row=r, column=column).value: {
            title: sheet.cell(row=r, column=c).value for c, title in enumerate(header, start=1)
        }
        for r in range(4, sheet.max_row + 1)
        if sheet.cell(row=r, column=column).value
    }


def test_the_ranking_has_a_pool_column_when_the_quarter_has_two_pools(office, period):
    period_close(actor=office.leader, period=period)
    _name, data = exports.export("rankings", user=office.leader, period="2026Q3")
    staff = sheet_of(data, "个人排名")
    header = [c.value for c in staff[3]]
    assert header[:5] == ["排名", "工号", "姓名", "科室", "名额池"]
    rows = by_staff_no(staff, header)
    assert {key: rows[key]["名额池"] for key in ("001001", "001002", "001000", "002001")} == {
        "001001": "公务员/参公",
        "001002": "公务员/参公",
        "001000": "事业编",
        "002001": "事业编",
    }
    assert rows["001002"]["等次"] == "好"
    # the sections' ranking has no pools
    assert "名额池" not in [c.value for c in sheet_of(data, "科室排名")[3]]


def test_with_one_pool_the_ranking_has_no_pool_column(office, judges):
    one = period_open(actor=office.leader, code="2026Q3")
    base.mark(one, judges, office.colleague, [("95", "95", "95")] * 5)
    period_close(actor=office.leader, period=one)
    _name, data = exports.export("rankings", user=office.leader, period="2026Q3")
    assert "名额池" not in [c.value for c in sheet_of(data, "个人排名")[3]]


@pytest.fixture
def year(office, judges):
    return year_pools.close_two_pooled_quarters(office, judges)


def test_the_annual_workbook_shows_pools_vetoes_undetermined_and_decisions(office, year):
    sanctions.sanction_record(
        actor=office.supervisor,
        staff=office.colleague,
        kind="warning",
        dated=datetime.date(2026, 5, 12),
        document_number="县委办纪〔2026〕3号",
    )
    set_standing(
        actor=office.administrator,
        staff=office.head.staff,
        year=year,
        quarter=None,
        standing="undetermined",
        reason="probation",
        note="试用期至2026年12月31日",
    )
    decisions.decide(actor=office.leader, year=year, staff=office.person, grade="competent")
    _name, data = exports.export("annual", user=office.leader, period="2026")
    sheet = sheet_of(data, "年度考核")
    header = [c.value for c in sheet[3]]
    assert header == [
        "排名",
        "工号",
        "姓名",
        "科室",
        "名额池",
        "2026Q2",
        "2026Q3",
        "年度得分",
        "等次",
        "审定等次",
        "备注",
    ]
    rows = by_staff_no(sheet, header)
    assert rows["001001"]["名额池"] == "公务员/参公"
    assert rows["002001"]["名额池"] == "事业编"
    # the 警告 bars 优秀 for 李秀英, and says so
    assert rows["001002"]["等次"] == "称职"
    assert "警告" in rows["001002"]["备注"]
    # 不定等次: no grade, the reason in the remarks
    assert rows["001000"]["等次"] == "不定等次"
    assert rows["001000"]["备注"] == "新录用试用期（试用期至2026年12月31日）"
    # the committee's decision beside the computed grade
    assert rows["001001"]["审定等次"] == "称职"
    assert rows["002001"]["审定等次"] is None
