"""The incident form offers only the clauses in force on the date it happened, and says why a
chosen clause disappeared when the date moves outside its validity."""

import datetime

import pytest
import time_machine

from efficiency.models import Incident, Period, Standard

from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YW06 = "YW-06　发文核稿、印制、分发超过规定时限。（适用至2026年3月31日）"
YW07 = "YW-07　发文核稿后未在2个工作日内完成印制、用印和分发。（2026年4月1日起施行）"


@pytest.fixture
def revision(office):
    common = {"kind": "delay", "points_minor": 1, "points_serious": 2, "points_grave": 4}
    Standard.objects.create(
        code="YW-06",
        text="发文核稿、印制、分发超过规定时限。",
        active=False,
        valid_until=datetime.date(2026, 3, 31),
        **common,
    )
    Standard.objects.create(
        code="YW-07",
        text="发文核稿后未在2个工作日内完成印制、用印和分发。",
        valid_from=datetime.date(2026, 4, 1),
        **common,
    )
    for quarter in range(1, 5):
        Period.objects.create(code=f"2026Q{quarter}", year=2026, quarter=quarter)


def offered(page) -> list[str]:
    return page.locator("select[name=standard] option:not([disabled])").evaluate_all(
        "options => options.filter(o => o.value).map(o => o.textContent.trim())"
    )


def test_the_clauses_follow_the_date(page, office, revision):
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, 0), tick=True):
        log_in(page, "clerk")
        page.goto("/incidents/new/")
        page.get_by_text("延误", exact=True).click()
        # Today (November): the new clause, not the superseded one.
        assert YW07 in offered(page) and YW06 not in offered(page)
        page.get_by_label("2. 界定条款").select_option(label=YW07)
        page.get_by_label("4. 发生日期").fill("2026-02-10")
        hint = page.locator("#clause-hint")
        assert hint.inner_text() == "所选条款在该日期不适用，已取消选择，请重新选择。"
        assert page.get_by_label("2. 界定条款").input_value() == ""
        assert YW06 in offered(page) and YW07 not in offered(page)
        page.get_by_label("2. 界定条款").select_option(label=YW06)
        assert hint.inner_text() == "仅列出所选类别、在发生日期适用的条款。"
        page.get_by_text("一般", exact=True).click()
        page.get_by_label("5. 科室").select_option(label="秘书科")
        page.get_by_placeholder("按姓名或工号查询").fill("001001")
        page.get_by_placeholder("按姓名或工号查询").press("Enter")
        page.get_by_label("7. 情况描述").fill("《关于做好防汛工作的通知》核稿后未及时送印。")
        page.get_by_text("自查", exact=True).click()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "incident-form-clause-by-date.png", full_page=True)
        page.get_by_role("button", name="提交登记").click()
        page.get_by_text("事件2026-0001已登记").wait_for()
        assert Incident.objects.get().clause_code == "YW-06"
