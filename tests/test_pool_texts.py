"""Sentences that state a quota speak per quota pool when the graded are split over pools.

The pools of tests/test_pools.py (公务员/参公 rounded up, 事业编 with at least one place);
with one pool (everyone a civil servant) the sentences keep the office-wide count.
"""

import pytest

from efficiency import results, wording
from efficiency.reports import documents
from efficiency.services.appraisal import period_open

from . import test_annual_decision
from . import test_pools as quarter_pools
from . import test_view_results as base
from . import test_year_pools as year_pools
from .conftest import login

judges = base.judges
period = quarter_pools.period  # 2026Q3 open, split over the two pools
CIVIL_AND_INSTITUTION = (
    "公务员/参公：可评“好”1人（参加定等2人）；事业编：可评“好”1人（参加定等2人）"
)


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


# --- the quarter ----------------------------------------------------------------------------


def test_the_quarters_decide_all_confirmation_counts_per_pool(office, period):
    ask = login(office.leader).post("/appraisal/2026Q3/decisions/all/")
    assert ask.status_code == 200
    text = page_text(ask)
    assert (
        "审定后各名额池——公务员/参公：可评“好”1人，审定后1人；事业编：可评“好”1人，审定后0人。"
        in text
    )
    assert "审定后“好”" not in text


def test_with_one_pool_the_quarters_confirmation_keeps_the_office_count(office, judges):
    one = period_open(actor=office.leader, code="2026Q3")
    base.mark(one, judges, office.colleague, [("95", "95", "95")] * 5)
    base.mark(one, judges, office.person, [("80", "80", "80")] * 5)
    text = page_text(login(office.leader).post("/appraisal/2026Q3/decisions/all/"))
    assert "审定后“好”0人，至多可评0人。" in text
    assert "名额池" not in text


def test_the_bulletins_rules_and_the_score_cards_quota_speak_per_pool(office, period):
    table = results.ranking(period, results.STAFF)
    thresholds = results.thresholds_of(period)
    assert wording.quarter_rules(table.result, thresholds) == (
        f"按名额池定等——{CIVIL_AND_INSTITUTION}。本季度有已认定三误事件的，等次最高为“较好”；"
        "有严重三误事件的，最高为“一般”。"
    )
    assert documents.bulletin_context(period)["quarter_rules"] == wording.quarter_rules(
        table.result, thresholds
    )
    card = page_text(login(office.leader).get("/appraisal/2026Q3/card/001000/"))
    # the score card keeps the person's own pool's figures (tests/test_pools.py)
    assert "本季度参加定等 2 人，“好”等次最多 1 名" in card
    assert "按名额池定等" not in card


@pytest.fixture
def crowded(office, judges):
    """Both civil servants at 好 level, one 好 place in their pool: 王建国 is beyond it."""
    quarter_pools.split_in_two_pools(office)
    crowded = period_open(actor=office.leader, code="2026Q3")
    base.mark(crowded, judges, office.colleague, [("95", "95", "95")] * 5)
    base.mark(crowded, judges, office.person, [("94", "94", "94")] * 5)
    base.mark(crowded, judges, office.other_person, [("70", "72", "74")] * 2)
    base.mark(crowded, judges, office.head.staff, [("85", "86", "87")] * 3)
    return crowded


def test_beyond_the_line_names_the_persons_pool(office, crowded):
    table = results.ranking(crowded, results.STAFF)
    row = table.row("001001")
    thresholds = results.thresholds_of(crowded)
    sentences = wording.quarter_grade_sentences(
        row.result, period=table.result, thresholds=thresholds
    )
    assert (
        "名额池“公务员/参公”参加定等的 2 人中“好”等次最多 1 名，本人排名在名额之外，定为“较好”。"
        in sentences
    )
    notes = wording.quarter_grade_form_notes(row.result, period=table.result, thresholds=thresholds)
    assert "超出名额池“公务员/参公”的“好”等次名额（1 个），定为“较好”。" in notes


# --- the year -------------------------------------------------------------------------------


@pytest.fixture
def year(office, judges):
    return year_pools.close_two_pooled_quarters(office, judges)


def test_the_years_decide_all_confirmation_counts_per_pool(office, year):
    text = page_text(login(office.leader).post("/appraisal/annual/2026/decisions/all/"))
    assert (
        "审定后各名额池——公务员/参公：可评“优秀”1人，审定后1人；事业编：可评“优秀”1人，"
        "审定后0人。" in text
    )
    assert "审定后“优秀”" not in text


def test_with_one_pool_the_years_confirmation_keeps_the_office_count(office, judges):
    test_annual_decision.close_two_quarters(office, judges)
    text = page_text(login(office.leader).post("/appraisal/annual/2026/decisions/all/"))
    assert "名额池" not in text
    assert "审定后“优秀”" in text


def test_the_years_rules_give_the_places_per_pool(office, year):
    rollup = results.annual_rollup(year)
    pools = "公务员/参公：可评“优秀”1人（参加定等2人）；事业编：可评“优秀”1人（参加定等2人）"
    on_page = wording.annual_rules(rollup.thresholds, rollup.result.pools)
    assert f"并在本人所在名额池的名额之内（{pools}）。其余为称职。" in on_page
    printed = documents.annual_context(year)["rules"]
    assert f"并在本人所在名额池的名额之内（{pools}）。" in printed
    assert "%名额" not in on_page and "名额不超过参加定等人数" not in printed
    page = page_text(login(office.leader).get("/appraisal/annual/2026/"))
    assert f"并在本人所在名额池的名额之内（{pools}）。" in page


def test_with_one_pool_the_years_rules_keep_the_share(office, judges):
    year = test_annual_decision.close_two_quarters(office, judges)
    rollup = results.annual_rollup(year)
    assert "并在 20% 名额之内。" in wording.annual_rules(rollup.thresholds, rollup.result.pools)
