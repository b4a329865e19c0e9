"""The Quarter value: every quarter code, label and date bound is read through it."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from efficiency.quarters import Quarter


@pytest.mark.parametrize(
    "text,expected",
    [("2026Q3", Quarter(2026, 3)), (" 2026q1 ", Quarter(2026, 1)), ("2026Q5", None), ("", None)],
)
def test_a_code_is_parsed_strictly(text, expected):
    assert Quarter.parse(text) == expected


@pytest.mark.parametrize(
    "text", ["2026Q3", "2026q3", "2026-Q3", "2026年第3季度", "2026年第三季度", "2026第3季度"]
)
def test_what_people_type_is_understood(text):
    assert Quarter.parse_typed(text) == Quarter(2026, 3)


@pytest.mark.parametrize("text", ["2026Q9", "2026年", "明年第一季度", None])
def test_what_is_not_a_quarter_is_none(text):
    assert Quarter.parse_typed(text) is None


def test_bounds_and_neighbours():
    q4 = Quarter(2026, 4)
    assert q4.bounds == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert Quarter(2024, 1).last_day == datetime.date(2024, 3, 31)
    assert q4.next == Quarter(2027, 1) and Quarter(2027, 1).previous == q4
    assert str(q4) == q4.code == "2026Q4"


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_every_day_lies_in_its_quarter(day):
    quarter = Quarter.of(day)
    assert quarter.first_day <= day <= quarter.last_day
    assert Quarter.parse(quarter.code) == quarter
    assert quarter.next.first_day == quarter.last_day + datetime.timedelta(days=1)
