"""The year's ZIP of 年度考核登记表 in Chromium: a leader starts it from the reports page's year
card, follows it on the job's page and downloads it."""

import zipfile

import pytest

from efficiency.models import ReportJob

from .. import test_annual_decision
from ..factories import ensure_default_criteria
from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

judges = test_annual_decision.judges


@pytest.fixture
def year(office, judges, tmp_path, settings):
    ensure_default_criteria()
    # The task runs in the live server's request (the immediate backend, tests/conftest.py);
    # tests/e2e/test_report_job.py follows a real worker instead.
    settings.MEDIA_ROOT = tmp_path / "files"
    return test_annual_decision.close_two_quarters(office, judges)


def test_a_leader_makes_the_years_zip_from_the_reports_page(page, office, year, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, "leader")
    page.goto("/reports/2026Q3/")
    card = page.locator(".card", has_text="2026年度考核登记表")
    page.screenshot(path=ARTIFACTS / "reports-index-year-zip.png", full_page=True)
    card.get_by_role("button", name="生成全年 ZIP").click()
    job = ReportJob.objects.get()
    page.wait_for_url(f"**/reports/jobs/{job.pk}/")
    page.get_by_text("正在生成2026年度考核登记表。").wait_for()
    assert page.locator("h1").inner_text() == "年度考核登记表"
    download_link = page.locator("#job-download")
    download_link.wait_for(state="visible", timeout=120_000)  # 8 forms, one process
    assert "已完成" in page.locator("#job-label").inner_text()
    page.screenshot(path=ARTIFACTS / "report-job-year-zip.png", full_page=True)
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename == "2026-年度考核登记表.zip"
    saved = tmp_path / "year.zip"
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        names = archive.namelist()
    assert len(names) == 8
    assert "2026-001001-王建国-公务员年度考核登记表.pdf" in names
    # Back on the reports page the year's ZIP can be made again (the job is finished).
    page.goto("/reports/2026Q2/")
    page.locator(".card", has_text="2026年度考核登记表").get_by_role(
        "button", name="生成全年 ZIP"
    ).wait_for()
