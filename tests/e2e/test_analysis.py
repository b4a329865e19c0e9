"""The analytics page in Chromium: a leader picks a span and clicks a heatmap cell through to
the incidents behind it."""

import pytest

from .. import test_analysis
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

counted = test_analysis.counted


def test_a_heatmap_cell_leads_to_its_incidents(page, office, counted):
    log_in(page, "leader")
    page.get_by_role("link", name="三误分析").first.click()
    page.get_by_label("统计范围", exact=True).fill("2026-13")
    page.get_by_role("button", name="查看").click()
    page.get_by_text("没有13月。").wait_for()  # said, and the page still shows a quarter
    page.get_by_label("统计范围", exact=True).fill("2026Q4")
    page.get_by_label("统计范围", exact=True).press("Enter")
    page.get_by_role("heading", name="三误分析 · 2026年第4季度").wait_for()
    cell = page.get_by_role("link", name="秘书科，2026年10月：2起")
    cell.click()
    page.wait_for_url("**/incidents/?*")
    rows = page.locator("table.incident-table tbody tr")
    numbers = sorted(rows.locator("td:first-child a").all_inner_texts())
    assert numbers == sorted([counted["a1"], counted["a2"]])
    # The list's own filters show what was chosen, ready to change.
    assert page.get_by_label("统计范围").input_value() == "2026-10"
    assert page.get_by_label("状态").input_value() == "established"
