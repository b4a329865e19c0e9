"""Working-day arithmetic (efficiency.workdays) on real 2026 dates. No database.

The calendar used is the State Council's 2026 notice (国务院办公厅关于2026年部分节假日安排的
通知, 4 November 2025), as built into ``workdays.OFFICIAL_DAYS``: National Day 1–7 October off
(Thursday to Wednesday), with Sunday 20 September and Saturday 10 October worked; 中秋节
25–27 September off; 元旦 1–3 January off with Sunday 4 January worked; 春节 15–23 February off
with Saturdays 14 and 28 February worked; 劳动节 1–5 May off with Saturday 9 May worked.
"""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from efficiency.workdays import OFF, OFFICIAL_DAYS, WORKED, Calendar

d = datetime.date
CHINA_2026 = Calendar.of(
    off=[day for day, kind, _name in OFFICIAL_DAYS[2026] if kind == OFF],
    worked=[day for day, kind, _name in OFFICIAL_DAYS[2026] if kind == WORKED],
)


def test_the_official_table_is_the_notice():
    national_day = [(day, kind) for day, kind, name in OFFICIAL_DAYS[2026] if name == "国庆节"]
    assert national_day == [(d(2026, 9, 20), WORKED)] + [
        (d(2026, 10, day), OFF) for day in range(1, 8)
    ] + [(d(2026, 10, 10), WORKED)]
    off = sum(1 for _day, kind, _name in OFFICIAL_DAYS[2026] if kind == OFF)
    worked = sum(1 for _day, kind, _name in OFFICIAL_DAYS[2026] if kind == WORKED)
    # 3 + 9 + 3 + 5 + 3 + 3 + 7 days off; 1 + 2 + 1 + 2 weekend days worked.
    assert (off, worked) == (33, 6)


def test_national_day_week_is_off():
    for day in range(1, 8):
        assert not CHINA_2026.is_working_day(d(2026, 10, day)), day
    assert CHINA_2026.is_working_day(d(2026, 10, 8))  # Thursday, back at work


def test_a_working_saturday_and_sunday():
    assert d(2026, 10, 10).weekday() == 5
    assert CHINA_2026.is_working_day(d(2026, 10, 10))
    assert d(2026, 9, 20).weekday() == 6
    assert CHINA_2026.is_working_day(d(2026, 9, 20))
    assert not CHINA_2026.is_working_day(d(2026, 10, 11))  # an ordinary Sunday


def test_an_ordinary_week_without_a_calendar():
    plain = Calendar()
    assert plain.is_working_day(d(2026, 10, 1))
    assert plain.add_working_days(d(2026, 11, 20), 1) == d(2026, 11, 23)  # Friday → Monday


def test_five_working_days_from_the_thursday_before_national_day():
    # Thursday 24 September: Fri 25 to Sun 27 is 中秋节, Mon 28, Tue 29, Wed 30 are worked,
    # 1–7 October off, Thursday 8 and Friday 9 October worked.
    assert CHINA_2026.add_working_days(d(2026, 9, 24), 5) == d(2026, 10, 9)
    # Without the holidays it would have been the next Thursday.
    assert Calendar().add_working_days(d(2026, 9, 24), 5) == d(2026, 10, 1)
    # The working Saturday after counts: six days reach 10 October.
    assert CHINA_2026.add_working_days(d(2026, 9, 24), 6) == d(2026, 10, 10)


def test_counting_across_the_year_end():
    # Thursday 31 December 2026 → Friday 1 January 2027 is a plain weekday here: the 2027
    # table is not built in, so only the week counts after the year ends.
    assert CHINA_2026.add_working_days(d(2025, 12, 31), 1) == d(2026, 1, 4)  # 元旦, worked Sunday
    assert CHINA_2026.add_working_days(d(2026, 12, 30), 3) == d(2027, 1, 4)
    assert CHINA_2026.working_days_between(d(2025, 12, 31), d(2026, 1, 5)) == 2


def test_working_days_between():
    assert CHINA_2026.working_days_between(d(2026, 9, 30), d(2026, 10, 8)) == 1
    assert CHINA_2026.working_days_between(d(2026, 10, 8), d(2026, 9, 30)) == -1
    assert CHINA_2026.working_days_between(d(2026, 10, 3), d(2026, 10, 3)) == 0
    # The fourth quarter: 92 days, 13 weekends, five weekdays of National Day off, and
    # Saturday 10 October worked: 92 - 26 - 5 + 1 = 62.
    assert CHINA_2026.working_days_between(d(2026, 9, 30), d(2026, 12, 31)) == 62


def test_zero_days_is_the_start_and_negative_is_refused():
    assert CHINA_2026.add_working_days(d(2026, 10, 3), 0) == d(2026, 10, 3)
    with pytest.raises(ValueError):
        CHINA_2026.add_working_days(d(2026, 10, 3), -1)


days_2026 = st.dates(min_value=d(2025, 12, 1), max_value=d(2027, 1, 31))


@given(start=days_2026, n=st.integers(min_value=1, max_value=60))
def test_adding_lands_on_a_working_day_and_counts_back(start, n):
    end = CHINA_2026.add_working_days(start, n)
    assert CHINA_2026.is_working_day(end)
    assert CHINA_2026.working_days_between(start, end) == n
    # and no earlier day would have done
    assert CHINA_2026.working_days_between(start, end - datetime.timedelta(days=1)) == n - 1
