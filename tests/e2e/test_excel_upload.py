"""An administrator uploads the roster in Chromium: a file with an error is shown and cannot
be confirmed; the corrected file is previewed row by row and confirmed."""

import pytest
from playwright.sync_api import expect

from efficiency.models import AuditEvent, ImportRecord, Staff

from ..excel_samples import openpyxl_xlsx, xlsxwriter_xlsx
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ["工号", "姓名", "科室", "职务", "入职日期", "离岗日期"]


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.EXCEL_UPLOAD_DIR = tmp_path / "uploads"


def choose_and_upload(page, path):
    form = page.locator("form[action='/excel/import/staff/']")
    form.get_by_label("导入人员").set_input_files(str(path))
    form.get_by_role("button", name="上传并检查").click()


def test_upload_preview_confirm(page, office, tmp_path):
    wrong = tmp_path / "人员名单.xlsx"
    wrong.write_bytes(
        openpyxl_xlsx(
            [
                ["县委办干部职工花名册"],
                HEADER,
                ["003001", "张三", "秘书科", "科员", "2026/7/1"],
                ["003002", "李四", "综合科", "科员", "2023-02-30"],
            ]
        )
    )
    right = tmp_path / "人员名单（改）.xlsx"
    right.write_bytes(
        xlsxwriter_xlsx(
            [
                ["县委办干部职工花名册"],
                HEADER,
                ["003001", "张三", "秘书科", "科员", "2026/7/1"],
                ["003002", "李四", "综合科", "科员", "2023年2月28日"],
                ["001001", "王建国", "综合科", "副科长"],
            ]
        )
    )

    log_in(page, "administrator")
    page.goto("/")
    page.goto("/excel/")
    expect(page.get_by_role("heading", name="Excel 导入导出")).to_be_visible()

    choose_and_upload(page, wrong)
    expect(page.get_by_text("第 4 行「入职日期」：“2023-02-30” 不是有效日期")).to_be_visible()
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    page.get_by_role("button", name="放弃本次上传").click()
    expect(page.get_by_text("已放弃本次上传，未导入任何数据。")).to_be_visible()

    choose_and_upload(page, right)
    expect(page.locator("[data-count=create]")).to_have_text("2")
    expect(page.locator("[data-count=update]")).to_have_text("1")
    expect(page.locator("[data-count=error]")).to_have_text("0")
    row = page.locator("tr[data-row='5']")
    expect(row).to_contain_text("001001")
    expect(row).to_contain_text("秘书科")
    expect(row).to_contain_text("综合科")
    assert not Staff.objects.filter(staff_no="003001").exists()

    page.get_by_role("button", name="确认导入").click()
    expect(
        page.get_by_text("“人员名单（改）.xlsx”已导入：新增 2 条，更新 1 条，不变 0 条。")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="我最近的导入")).to_be_visible()

    assert Staff.objects.get(staff_no="003002").start_date.isoformat() == "2023-02-28"
    office.person.refresh_from_db()
    assert (office.person.section, office.person.post) == (office.b, "副科长")
    assert ImportRecord.objects.get().imported_by == office.administrator
    assert AuditEvent.objects.filter(reason="由 Excel 文件“人员名单（改）.xlsx”导入").count() == 3


def test_a_file_over_the_limit_is_refused_before_it_is_sent(page, office, tmp_path, settings):
    settings.EXCEL_MAX_UPLOAD_BYTES = 1024 * 1024
    big = tmp_path / "人员（大）.xlsx"
    big.write_bytes(b"PK\x03\x04" + b"\0" * 1_300_000)
    log_in(page, "administrator")
    page.goto("/excel/")
    form = page.locator("form[action='/excel/import/staff/']")
    field = form.get_by_label("导入人员")
    field.set_input_files(str(big))
    form.get_by_role("button", name="上传并检查").click()
    assert field.evaluate("input => input.validationMessage") == (
        "“人员（大）.xlsx”大小为 1.2 MB，只接受 1 MB 以内的文件。"
    )
    assert page.url.endswith("/excel/")
    assert not list((tmp_path / "uploads").glob("user-*/*.json"))


def test_a_long_value_on_every_row_gives_a_short_readable_page(page, office, tmp_path):
    from .. import hostile_files

    path = hostile_files.repeated_long_value(tmp_path / "人员.xlsx", rows=1_500, length=3_000)
    log_in(page, "administrator")
    page.goto("/excel/")
    choose_and_upload(page, path)
    expect(page.locator("[data-count=error]")).to_have_text("1500")
    first = "第 2 行「工号」：“" + "9" * 40 + "…” 不是有效的工号"
    expect(page.get_by_text(first, exact=True)).to_be_visible()
    expect(page.get_by_text("以及另外 500 处")).to_be_visible()
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
