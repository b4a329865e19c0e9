"""The 三误通报 and clause review cards of the reports page in Chromium: choose, download."""

import pytest

from tests import test_report_incidents

from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

incidents = test_report_incidents.incidents  # the hand-made fixture


def test_a_supervisor_prints_a_months_bulletin_and_the_clause_review(page, office, incidents):
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, "supervisor")
    page.goto("/reports/")
    cards = page.locator("#incident-reports")
    page.screenshot(path=ARTIFACTS / "reports-incident-cards.png", full_page=True)
    page.get_by_label("月份或季度").select_option("2026Q4")
    with page.expect_response(lambda r: "/reports/incidents.pdf" in r.url) as info:
        cards.get_by_role("button", name="下载 PDF").first.click()
    response = info.value
    assert response.url.endswith("/reports/incidents.pdf?period=2026Q4")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    page.goto("/reports/")
    page.get_by_label("年度").select_option("2026")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 Excel").click()
    assert download.value.suggested_filename == "2026-界定标准年度评估.xlsx"
