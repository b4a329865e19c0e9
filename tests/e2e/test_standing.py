"""The administrator sets 不定等次 for someone on /appraisal/<code>/standing/ with the keyboard,
in Chromium; the ranking then shows the badge and the reason, and the 好 places are counted
without that person."""

import datetime

import pytest
from playwright.sync_api import expect

from efficiency import results
from efficiency.models import Period, StaffStanding

from ..factories import ensure_default_criteria
from ..report_support import quarter
from .axe import violations
from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def marked(office):
    ensure_default_criteria()
    return quarter(office, state="open", incidents=False)


def test_the_administrator_sets_it_and_the_ranking_shows_it(page, office, marked):
    before = results.ranking(marked).result
    office.person.probation_ends = datetime.date(2026, 12, 31)
    office.person.save()
    log_in(page, "administrator")
    page.goto("/appraisal/")
    page.locator("#p-2026Q3").get_by_role("link", name="考核情况").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("考核情况")
    expect(page.locator("#proposals")).to_contain_text("王建国")
    assert violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "standing.png", full_page=True)

    person = page.get_by_label("工号或姓名")
    person.fill("李秀英")
    page.get_by_label("考核情况及原因").select_option(label="不定等次：被立案调查尚未结案")
    page.get_by_label("备注（选填）").fill("纪委立案审查")
    page.get_by_label("备注（选填）").press("Enter")
    expect(page.locator(".messages")).to_contain_text("李秀英")
    expect(page.locator("#standing-list")).to_contain_text("被立案调查尚未结案")
    row = StaffStanding.objects.get()
    assert (row.staff, row.reason, row.note) == (office.colleague, "investigation", "纪委立案审查")

    page.get_by_role("button", name="应用建议…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("试用期建议")
    expect(page.locator(".facts")).to_contain_text("王建国")
    page.screenshot(path=ARTIFACTS / "standing-confirm.png", full_page=True)
    page.get_by_role("button", name="应用建议", exact=True).click()
    expect(page.locator("#standing-list")).to_contain_text("试用期至2026年12月31日")
    assert StaffStanding.objects.count() == 2

    page.goto("/appraisal/2026Q3/ranking/")
    cell = page.locator("#row-001002 .grade-cell")
    expect(cell).to_contain_text("不定等次")
    expect(cell).to_contain_text("被立案调查尚未结案（纪委立案审查）")
    after = results.ranking(Period.objects.get(pk=marked.pk)).result
    assert after.graded_count == before.graded_count - 2
    expect(page.locator(".stat-card").filter(has_text="“好”等次名额")).to_contain_text(
        f"{after.quota} / {after.graded_count}"
    )
    assert violations(page) == []
    page.screenshot(path=ARTIFACTS / "standing-ranking.png", full_page=True)
    page.goto("/appraisal/2026Q3/review/")
    expect(page.locator("#row-001002")).to_contain_text("只写评价意见")
    page.screenshot(path=ARTIFACTS / "standing-review.png", full_page=True)
    log_in(page, "leader")
    page.goto("/appraisal/2026Q3/decisions/")
    expect(page.locator("#row-001002")).to_contain_text("无须审定")
    assert violations(page) == []
    page.screenshot(path=ARTIFACTS / "standing-decisions.png", full_page=True)
