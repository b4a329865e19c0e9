"""Quota pools (名额) in Chromium: the decision page's 好 counter is one per pool and follows
the selects of that pool only; the ranking lists each pool's places; the admin's pool list."""

import pytest
from playwright.sync_api import expect

from efficiency.models import QuotaPool

from . import test_ranking
from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
scored_period = test_ranking.scored_period


@pytest.fixture
def two_pools(office):
    """领导班子成员 (赵志强 named, at least 1 place) and 其他干部 (rounded up: ceil(0.8) = 1)."""
    leaders = QuotaPool.objects.create(name="领导班子成员", order=1, minimum=1)
    leaders.members.set([office.other_person])
    QuotaPool.objects.create(name="其他干部", order=2, category="civil_servant", rounding="up")


@pytest.fixture
def pooled_period(two_pools, scored_period):
    """test_ranking's quarter (王建国 86, 李秀英 93, 赵志强 78), opened after the pools."""
    return scored_period


def test_the_counter_is_one_per_pool(page, office, pooled_period):
    ARTIFACTS.mkdir(exist_ok=True)
    leaders = QuotaPool.objects.get(name="领导班子成员")
    others = QuotaPool.objects.get(name="其他干部")
    log_in(page, "leader")
    page.goto("/appraisal/2026Q3/decisions/")
    lead = page.locator(f"#good-counter-p{leaders.pk}")
    rest = page.locator(f"#good-counter-p{others.pk}")
    assert lead.inner_text() == "领导班子成员：可评“好”1人，已定0人"
    assert rest.inner_text() == "其他干部：可评“好”1人，已定0人"

    # Deciding 李秀英 好 as computed fits 其他干部's place and needs no reason.
    row = page.locator("#row-001002")
    row.get_by_role("button", name="审定", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("button", name="保存审定").click()
    # The saved decision reloads the page: wait for the new page's counter, not the old one's.
    expect(rest).to_have_text("其他干部：可评“好”1人，已定1人")

    # 赵志强's select moves his pool's counter only.
    page.locator("#row-002001 [data-grade-select]").select_option("good")
    assert lead.inner_text() == "领导班子成员：可评“好”1人，已定1人"
    assert rest.inner_text() == "其他干部：可评“好”1人，已定1人"
    # A second 好 in 其他干部 goes over its one place: that counter turns red, the other not.
    page.locator("#row-001001 [data-grade-select]").select_option("good")
    assert rest.inner_text() == "其他干部：可评“好”1人，已定2人"
    assert "text-danger" in (rest.get_attribute("class") or "")
    assert "text-danger" not in (lead.get_attribute("class") or "")
    page.screenshot(path=ARTIFACTS / "pools-decisions.png", full_page=True)

    page.goto("/appraisal/2026Q3/ranking/")
    places = page.locator("#pool-places")
    assert "领导班子成员：参加定等 1 人，可评“好” 1 人，已评 0 人" in places.inner_text()
    assert "其他干部：参加定等 2 人，可评“好” 1 人，已评 1 人" in places.inner_text()
    page.screenshot(path=ARTIFACTS / "pools-ranking.png", full_page=True)


def test_the_administrator_sees_the_pools(page, office, pooled_period):
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, "administrator")
    page.goto("/admin/efficiency/quotapool/")
    page.get_by_text("在各名额池内分别计算").wait_for()
    assert "领导班子成员" in page.locator("#result_list").inner_text()
    page.screenshot(path=ARTIFACTS / "pools-admin-list.png", full_page=True)
    page.get_by_role("link", name="领导班子成员").click()
    page.get_by_label("最少名额").wait_for()
    page.screenshot(path=ARTIFACTS / "pools-admin-change.png", full_page=True)
