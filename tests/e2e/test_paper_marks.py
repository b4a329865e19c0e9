"""The secretary types in paper marks in Chromium: one 评分 workbook with several assessors'
rows, a refused row named with its assessor, then the corrected file confirmed and the
history showing 录入人 and 评分人."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from efficiency.models import Score
from efficiency.roles import Role
from efficiency.services import appraisal as services

from ..excel_samples import openpyxl_xlsx
from ..factories import ensure_default_criteria
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ["考核期", "对象类型", "对象编号", "考评人工号", "履行职责"]


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.EXCEL_UPLOAD_DIR = tmp_path / "uploads"


def choose_and_upload(page, path):
    form = page.locator("form[action='/excel/import/scores/']")
    form.locator("input[type=file]").set_input_files(str(path))
    form.get_by_role("button", name="上传并检查").click()


def test_the_secretary_types_in_paper_marks(page, office, tmp_path):
    ensure_default_criteria()  # a transactional test before this one may have flushed them
    office.head.groups.add(Group.objects.get(name=Role.ASSESSOR))
    services.period_open(actor=office.leader, code="2026Q3")
    wrong = tmp_path / "纸质评分.xlsx"
    wrong.write_bytes(
        openpyxl_xlsx(
            [
                HEADER,
                ["2026Q3", "个人", "001001", "assessor", 80],
                ["2026Q3", "个人", "001000", "001000", 82],
            ]
        )
    )
    right = tmp_path / "纸质评分（改）.xlsx"
    right.write_bytes(
        openpyxl_xlsx(
            [
                HEADER,
                ["2026Q3", "个人", "001001", "assessor", 80],
                ["2026Q3", "个人", "001001", "001000", 82],
            ]
        )
    )

    log_in(page, "administrator")
    page.goto("/excel/")
    choose_and_upload(page, wrong)
    expect(page.get_by_text("第 3 行「对象编号」：考评人001000：不能给本人评分。")).to_be_visible()
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    page.get_by_role("button", name="放弃本次上传").click()

    choose_and_upload(page, right)
    expect(page.locator("[data-count=create]")).to_have_text("2")
    expect(page.locator("tr[data-row='3']")).to_contain_text("王建国（评分人：刘科长（001000））")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("“纸质评分（改）.xlsx”已导入")).to_be_visible()
    assert sorted(Score.objects.values_list("assessor__username", "tenths")) == [
        ("assessor", 800),
        ("head", 820),
    ]

    page.goto("/admin/efficiency/auditevent/?action=score")
    expect(page.get_by_text("录入人：administrator，评分人：刘科长（001000）")).to_be_visible()
    expect(page.get_by_text("录入人：administrator，评分人：assessor")).to_be_visible()
