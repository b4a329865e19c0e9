"""Cell values as offices type them (no database)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from efficiency.excel import cleaners, layouts
from efficiency.excel.cleaners import CellError, FormulaErrorValue, FormulaWithoutValue


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def message(call, *args, **kwargs) -> str:
    with pytest.raises(CellError) as caught:
        call(*args, **kwargs)
    return caught.value.message


@pytest.mark.parametrize(
    "value",
    [
        "2026-07-01",
        "2026/7/1",
        "2026年7月1日",
        "2026.7.1",
        "2026 年 7 月 1 日",
        "２０２６－０７－０１",  # full-width digits and dash
        "\u30002026-07-01\u3000",  # full-width spaces around
        "2026-07-01 00:00:00",
        "20260701",
        20260701,
        46204,  # a date cell that lost its date format
        46204.0,
        datetime.date(2026, 7, 1),
        datetime.datetime(2026, 7, 1, 0, 0),
    ],
)
def test_dates_in_every_common_form(value):
    assert cleaners.date(value) == datetime.date(2026, 7, 1)


@pytest.mark.parametrize(
    "value, shown",
    [
        ("2023-02-30", "2023-02-30"),
        ("2026-13-01", "2026-13-01"),
        ("明天", "明天"),
        ("7/1/2026", "7/1/2026"),
        (3.5, "3.5"),
        (True, "TRUE"),
    ],
)
def test_a_bad_date_names_the_value(value, shown):
    assert message(cleaners.date, value) == f"“{shown}” 不是有效日期"


def test_staff_numbers_stay_text_and_numbers_are_flagged():
    assert cleaners.staff_no("001023") == ("001023", False)
    assert cleaners.staff_no(" ００１０２３\u3000") == ("001023", False)
    assert cleaners.staff_no(1023) == ("1023", True)
    assert cleaners.staff_no(1023.0) == ("1023", True)
    assert message(cleaners.staff_no, "00 10/23") == "“00 10/23” 不是有效的工号"
    assert message(cleaners.staff_no, 10.5) == "“10.5” 不是有效的工号"


@pytest.mark.parametrize(
    "cell",
    [
        "001001、001002",
        "001001，001002",
        "001001,001002",
        "001001；001002",
        "001001;001002",
        "001001 001002",
        "001001\u3000001002",
        "001001 、 001002\n",
        " 001001、、001002 ",
    ],
)
def test_several_people_in_one_cell(cell):
    assert cleaners.people(cell) == [("001001", False), ("001002", False)]


def test_one_person_typed_as_a_number():
    assert cleaners.people(1001) == [("1001", True)]


def test_names_lose_padding_and_stray_spaces():
    assert cleaners.name("\u3000王　芳 ") == "王芳"
    assert cleaners.name("王  建国") == "王建国"
    assert cleaners.name("Li  Ming") == "Li Ming"
    assert cleaners.text("\u00a0文件积压。\u200b") == "文件积压。"


def test_headers_with_stray_spaces_and_markers():
    for typed in ("工号", " 工 号 ", "\u3000工号\u3000", "工号*", "*工号（必填）"):
        assert cleaners.header(typed) == "工号"


def test_decimals():
    assert cleaners.decimal("2.5", places=1) == Decimal("2.5")
    assert cleaners.decimal(99.5, places=1) == Decimal("99.5")
    assert cleaners.decimal("１２", places=1) == Decimal("12.0")
    assert message(cleaners.decimal, "2.55", places=1) == "“2.55” 的小数超过 1 位"
    assert message(cleaners.decimal, "-1", places=1) == "“-1” 不能为负数"
    assert message(cleaners.decimal, "两分", places=1) == "“两分” 不是数字"
    assert message(cleaners.whole_number, "1.5") == "“1.5” 不是整数"


def test_yes_and_no():
    for yes in ("是", " 是 ", "Y", "TRUE", True, 1, "启用", "√"):
        assert cleaners.yes_no(yes) is True
    for no in ("否", "N", "false", False, 0, "停用"):
        assert cleaners.yes_no(no) is False
    assert message(cleaners.yes_no, "也许") == "“也许” 不是“是”或“否”"


def test_fixed_values():
    assert cleaners.choice(" 延误 ", layouts.KINDS) == "delay"
    assert cleaners.choice("delay", layouts.KINDS) == "delay"
    assert message(cleaners.choice, "耽误", layouts.KINDS) == (
        "“耽误” 不在可选值之内：延误、失误、错误"
    )


def test_quarters():
    for typed in (
        "2026Q3",
        "2026q3",
        " 2026-Q3 ",
        "2026年第3季度",
        "2026年第三季度",
        "2026年3季度",
    ):
        assert cleaners.period(typed) == "2026Q3"
    assert message(cleaners.period, "2026Q5") == "“2026Q5”不是有效的季度，请按“2026Q3”格式填写。"


def test_formulas_without_a_result_or_with_an_error():
    assert message(cleaners.text, FormulaWithoutValue("A1&B1")) == (
        "公式没有保存计算结果，请用 Excel 或 WPS 打开文件、保存后重新上传"
    )
    assert message(cleaners.date, FormulaErrorValue("#DIV/0!")) == "公式计算出错（#DIV/0!）"


def test_the_sheets_words_match_the_models_chinese_labels():
    from efficiency.models import IncidentKind, IncidentStatus, Severity
    from efficiency.models.incidents import HandlingDecision

    for options, choices in (
        (layouts.KINDS, IncidentKind),
        (layouts.SEVERITIES, Severity),
        (layouts.STATUSES, IncidentStatus),
        (layouts.DECISIONS, HandlingDecision),
    ):
        assert options == {str(c.label): c.value for c in choices}
