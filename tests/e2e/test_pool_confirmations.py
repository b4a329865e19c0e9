"""The decide-all confirmations in Chromium when the graded are split over two quota pools:
the places and the count afterwards, pool by pool (the quarter's 好 and the year's 优秀)."""

import pytest

from efficiency.models import QuotaPool
from efficiency.services.appraisal import period_open

from .. import test_pools, test_year_pools
from .. import test_view_results as base
from ..factories import ensure_default_criteria
from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

judges = base.judges


@pytest.fixture
def pools(transactional_db):
    """The migration's default pools (a transactional test flushes them), and the criteria."""
    ensure_default_criteria()
    for name, order, category in (
        ("公务员/参公", 10, "civil_servant"),
        ("事业编", 20, "institution"),
    ):
        QuotaPool.objects.get_or_create(name=name, defaults={"order": order, "category": category})


def confirm_decide_all(page, decisions: str, said: str, shot: str) -> None:
    """As the leader: 全部按建议审定 on ``decisions``; the confirmation says ``said``."""
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, "leader")
    page.goto(decisions)
    page.get_by_role("button", name="全部按建议审定").click()
    page.get_by_text(said).wait_for()
    page.screenshot(path=ARTIFACTS / shot, full_page=True)


def test_the_quarters_decide_all_confirmation_per_pool(page, office, judges, pools):
    test_pools.split_in_two_pools(office)
    period = period_open(actor=office.leader, code="2026Q3")
    base.mark(period, judges, office.colleague, [("95", "95", "95")] * 5)
    base.mark(period, judges, office.person, [("88", "86", "84")] * 5)
    base.mark(period, judges, office.head.staff, [("85", "86", "87")] * 3)
    base.mark(period, judges, office.other_person, [("70", "72", "74")] * 2)
    confirm_decide_all(
        page,
        "/appraisal/2026Q3/decisions/",
        "审定后各名额池——公务员/参公：可评“好”1人，审定后1人；事业编：可评“好”1人，审定后0人。",
        "decide-all-confirm-pools.png",
    )


def test_the_years_decide_all_confirmation_per_pool(page, office, judges, pools):
    test_year_pools.close_two_pooled_quarters(office, judges)
    confirm_decide_all(
        page,
        "/appraisal/annual/2026/decisions/",
        "审定后各名额池——公务员/参公：可评“优秀”1人，审定后1人；事业编：可评“优秀”1人，审定后0人。",
        "year-decide-all-confirm-pools.png",
    )
