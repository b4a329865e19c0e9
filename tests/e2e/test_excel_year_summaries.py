"""A section head in Chromium downloads the year's 年度个人总结 sheet from the Excel page, types
in a paper summary and imports it: previewed row by row, then confirmed."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from efficiency.models import AnnualSummary, SummaryStatus
from efficiency.services import appraisal

from ..factories import ensure_default_criteria
from .axe import violations
from .conftest import log_in
from .test_summaries import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.EXCEL_UPLOAD_DIR = tmp_path / "uploads"


def test_a_head_exports_fills_in_and_imports_the_years_summaries(page, office, tmp_path):
    ensure_default_criteria()
    appraisal.period_open(actor=office.leader, code="2026Q4")

    log_in(page, "head")
    page.goto("/excel/")
    card = page.locator("section[aria-labelledby='sheet-year_summaries']")
    expect(card.get_by_role("heading", name="年度个人总结")).to_be_visible()
    expect(card.get_by_label("年度", exact=True)).to_have_value("2026")
    screenshot(page, "excel-year-summaries")
    assert violations(page) == []

    with page.expect_download() as download:
        card.get_by_role("button", name="导出").click()
    assert download.value.suggested_filename == "年度个人总结_2026.xlsx"
    # The download is saved without its name, so openpyxl is given the bytes.
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook["年度个人总结"]
    assert [cell.value for cell in sheet["B"]][1:] == ["001000", "001001", "001002", "001009"]
    sheet["D3"] = "全年完成收发文件登记一千二百余件。"
    filled = tmp_path / "年度个人总结（已填）.xlsx"
    data = io.BytesIO()
    workbook.save(data)
    filled.write_bytes(data.getvalue())

    card.get_by_label("导入年度个人总结").set_input_files(str(filled))
    card.get_by_role("button", name="上传并检查").click()
    expect(page.locator("[data-count=create]")).to_have_text("1")
    expect(page.locator("[data-count=error]")).to_have_text("0")
    expect(page.locator("tr[data-row='3']")).to_contain_text("王建国")
    assert not AnnualSummary.objects.exists()
    page.get_by_role("button", name="确认导入").click()
    expect(
        page.get_by_text("“年度个人总结（已填）.xlsx”已导入：新增 1 条，更新 0 条，不变 3 条。")
    ).to_be_visible()
    summary = AnnualSummary.objects.get()
    assert (summary.year, summary.staff, summary.status) == (
        2026,
        office.person,
        SummaryStatus.SUBMITTED,
    )

    # The year's proposals page, where the head follows each person's 个人总结, links to it.
    page.goto("/appraisal/annual/2026/review/")
    link = page.locator("#year-summaries-excel").get_by_role("link", name="下载2026年度个人总结表")
    expect(link).to_have_attribute("href", "/excel/export/year_summaries/?period=2026")
    screenshot(page, "year-review-excel-link")
