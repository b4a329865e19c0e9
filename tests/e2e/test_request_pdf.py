"""The 请示 from the leaders' decisions page in Chromium: the link is there and serves the PDF."""

import pytest

from . import test_ranking
from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

scored_period = test_ranking.scored_period


def test_a_leader_downloads_the_request_from_the_decisions_page(page, office, scored_period):
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, "leader")
    page.goto("/appraisal/2026Q3/decisions/")
    link = page.get_by_role("link", name="等次审定请示（PDF）")
    assert link.get_attribute("href") == "/reports/2026Q3/request.pdf"
    page.screenshot(path=ARTIFACTS / "decisions-request-link.png", full_page=True)
    response = page.request.get("/reports/2026Q3/request.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
