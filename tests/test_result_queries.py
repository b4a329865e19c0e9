"""The pages that show computed results take the same number of queries for three times the
people, whether their ranking is computed afresh or reused."""

import pytest

from efficiency import results
from efficiency.services.appraisal import period_close, period_open, period_reopen

from .test_page_queries import add_people, queries
from .test_progress import chinese  # noqa: F401  (autouse: the pages in Chinese)

CARD = "/appraisal/2026Q3/card/001001/"
PAGES = [
    CARD,
    "/appraisal/2026Q3/ranking/",
    "/appraisal/trends/",
    "/appraisal/trends/?staff=001001",
    "/appraisal/annual/2026/",
]


@pytest.fixture
def period(office):
    return period_open(actor=office.leader, code="2026Q3")


def counted(user, address: str, *, kept: bool) -> int:
    """Queries of one request, with the rankings computed afresh or kept from a first one."""
    results.forget_kept()
    if kept:
        queries(user, address)
    return queries(user, address)


def grow(office, period) -> None:
    add_people(office, period, office.a, 8, 4)  # three times the people of the first count


@pytest.mark.parametrize("address", PAGES)
@pytest.mark.parametrize("kept", [False, True])
def test_the_pages_take_the_same_queries_for_three_times_the_people(office, period, address, kept):
    # Measured on the closed quarter, which the annual roll-up counts.
    add_people(office, period, office.a, 4, 0)
    period_close(actor=office.leader, period=period)
    small = counted(office.leader, address, kept=kept)
    period_reopen(actor=office.leader, period=period, reason="补录新进人员的评分")
    grow(office, period)
    period_close(actor=office.leader, period=period)
    assert len(results.annual_rollup(2026).rows) >= 12
    assert counted(office.leader, address, kept=kept) == small
