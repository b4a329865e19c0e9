"""Spans of days for incident reports and analytics: every code form, the months a span
touches, and a clear message for each way a code can be wrong."""

import datetime

import pytest
from django.utils import translation

from efficiency import spans

D = datetime.date


@pytest.mark.parametrize(
    ("code", "kind", "first", "last"),
    [
        ("2026-10", "month", D(2026, 10, 1), D(2026, 10, 31)),
        ("2026-2", "month", D(2026, 2, 1), D(2026, 2, 28)),
        ("2028-02", "month", D(2028, 2, 1), D(2028, 2, 29)),
        ("2026Q4", "quarter", D(2026, 10, 1), D(2026, 12, 31)),
        (" 2026q1 ", "quarter", D(2026, 1, 1), D(2026, 3, 31)),
        ("2026", "year", D(2026, 1, 1), D(2026, 12, 31)),
        ("2026-01-15..2026-3-31", "range", D(2026, 1, 15), D(2026, 3, 31)),
        ("2026-05-05..2026-05-05", "range", D(2026, 5, 5), D(2026, 5, 5)),
    ],
)
def test_each_code_names_its_days(code, kind, first, last):
    span = spans.parse(code)
    assert (span.kind, span.first, span.last) == (kind, first, last)
    assert spans.parse(span.code) == span


def test_the_months_a_span_touches_cross_the_year():
    span = spans.parse("2025-11-20..2026-02-03")
    assert span.months == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]
    assert spans.parse("2026").months == [(2026, m) for m in range(1, 13)]
    assert D(2026, 2, 3) in span and D(2026, 2, 4) not in span


def test_labels_in_chinese():
    with translation.override("zh-hans"):
        assert spans.parse("2026-10").label == "2026年10月"
        assert spans.parse("2026Q4").label == "2026年第4季度"
        assert spans.parse("2026").label == "2026年度"
        assert spans.parse("2026-01-15..2026-03-31").label == "2026-01-15至2026-03-31"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("2026-13", "没有13月。"),
        ("2026-02-30..2026-03-01", "中有不存在的日期"),
        ("2026-03-01..2026-02-01", "结束日期早于开始日期。"),
        ("2020-01-01..2026-01-01", "自定义范围最长为三年。"),
        ("十月", "不是有效的统计范围"),
        ("", "不是有效的统计范围"),
    ],
)
def test_a_wrong_code_says_why(code, message):
    with translation.override("zh-hans"), pytest.raises(spans.SpanError) as error:
        spans.parse(code)
    assert message in str(error.value)
