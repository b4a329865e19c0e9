"""Incident numbers sort as numbers: past 9,999 in a year, 2026-10000 comes after 2026-9999."""

import datetime
import io

import openpyxl
import pytest
import time_machine

from efficiency.excel import exports
from efficiency.models import Incident, IncidentSequence
from efficiency.models.incidents import number_sort_key

from .conftest import login
from .factories import report

DAY = datetime.date(2026, 7, 1)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, 0), tick=False):
        yield


@pytest.fixture
def past_ten_thousand(office):
    """2026-9998 … 2026-10001 on one day (the sequence already at 9,997), and a 2025 one."""
    IncidentSequence.objects.create(year=2026, last=9997)
    for _ in range(4):
        report(
            office.clerk,
            section=office.a,
            responsible=[office.person],
            standard=office.delay,
            occurred_on=DAY,
        )
    report(
        office.clerk,
        section=office.a,
        responsible=[office.person],
        standard=office.delay,
        occurred_on=datetime.date(2025, 12, 30),
    )


ASCENDING = ["2025-0001", "2026-9998", "2026-9999", "2026-10000", "2026-10001"]


def test_the_numbers_grow_a_digit(past_ten_thousand):
    assert sorted(Incident.objects.values_list("number", flat=True), key=number_sort_key) == (
        ASCENDING
    )


def listed(client, **query) -> list[str]:
    page = client.get("/incidents/", query)
    return [incident.number for incident in page.context["page"].object_list]


def test_the_list_sorts_them_as_numbers(office, past_ten_thousand):
    client = login(office.supervisor)
    assert listed(client, sort="number") == ASCENDING
    assert listed(client, sort="-number") == ASCENDING[::-1]
    # Newest first, and within a day the highest number first.
    assert listed(client) == ["2026-10001", "2026-10000", "2026-9999", "2026-9998", "2025-0001"]
    assert listed(client, sort="occurred_on") == ASCENDING
    assert listed(client, sort="number", q="2026") == ASCENDING[1:]  # a DISTINCT query


def test_the_default_order_and_the_export_too(office, past_ten_thousand):
    assert list(Incident.objects.values_list("number", flat=True)) == [
        "2026-10001",
        "2026-10000",
        "2026-9999",
        "2026-9998",
        "2025-0001",
    ]
    _name, data = exports.export("incidents", user=office.supervisor)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["三误事件"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ASCENDING
