"""A supervisor records a 警告 for someone who would be 优秀 (after a confirmation saying what
it does), and a leader reads on the annual page why she is 称职, in Chromium."""

import os

import pytest

from efficiency.models import AuditEvent, Sanction
from efficiency.models.audit import AuditAction

from ..factories import ensure_default_criteria
from ..report_support import quarter
from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    """Screenshots for a person to look at, when asked for (SCREENSHOTS=1)."""
    if os.environ.get("SCREENSHOTS"):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"sanctions-{name}.png", full_page=True)


def test_a_warning_takes_excellent_away_and_the_annual_page_says_why(page, office):
    ensure_default_criteria()
    quarter(office, "2026Q2", incidents=False)
    quarter(office, "2026Q3", incidents=False)

    log_in(page, "leader")
    page.goto("/appraisal/annual/2026/")
    row = page.locator("tr", has=page.get_by_text("001002", exact=True))
    row.get_by_text("优秀", exact=True).wait_for()

    log_in(page, "supervisor")
    page.goto("/sanctions/")
    page.get_by_role("link", name="登记处分").click()
    page.get_by_label("工号").fill("001002")
    page.get_by_role("combobox", name="处分").select_option(label="警告")
    page.get_by_label("处分日期").fill("2026-03-02")
    page.get_by_label("文号").fill("县办发〔2026〕3号")
    shot(page, "form")
    page.get_by_role("button", name="下一步").click()
    page.get_by_text("李秀英将受“警告”处分，影响期自2026-03-02至2026-09-02。").wait_for()
    page.get_by_text("本人2026年度不得评为“优秀”。").wait_for()
    shot(page, "confirm")
    assert not Sanction.objects.exists()
    page.get_by_role("button", name="登记处分").click()
    page.get_by_text("李秀英的处分已登记。").wait_for()
    page.get_by_text("2026年3月受警告处分（县办发〔2026〕3号），本年度不得评为优秀").wait_for()
    shot(page, "person")
    sanction = Sanction.objects.get()
    assert AuditEvent.objects.filter(
        object_id=str(sanction.pk), action=AuditAction.CREATE, actor=office.supervisor
    ).exists()

    log_in(page, "leader")
    page.goto("/appraisal/annual/2026/")
    row = page.locator("tr", has=page.get_by_text("001002", exact=True))
    row.get_by_text("称职", exact=True).wait_for()
    row.get_by_text("2026年3月受警告处分（县办发〔2026〕3号），本年度不得评为优秀").wait_for()
    shot(page, "annual")
    page.goto("/sanctions/")
    shot(page, "list")
    page.goto("/appraisal/2026Q3/card/001002/")
    page.locator("#influence").get_by_text("县办发〔2026〕3号", exact=True).wait_for()
    shot(page, "card")

    log_in(page, "administrator")
    page.goto("/sanctions/months/")
    page.get_by_label("诫勉谈话").fill("9")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("影响期已保存。").wait_for()
    shot(page, "months")
