"""The clerk → explanation → supervisor → handling → appeal flow, clicked as people do."""

import pytest

from efficiency.models import Incident

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_incident_from_report_to_appeal(page, office):
    # The clerk records it.
    log_in(page, "clerk")
    page.get_by_role("link", name="登记事件").first.click()
    page.get_by_text("延误", exact=True).click()
    page.get_by_label("2. 界定条款").select_option(
        label="YW-01　正在办理的文件在本人处积压，超过规定时限。"
    )
    page.get_by_text("较重", exact=True).click()
    assert "扣分：每名责任人扣2.0分" in page.locator("#points-hint").inner_text()
    page.get_by_label("4. 发生日期").fill("2026-07-02")
    page.get_by_label("5. 科室").select_option(label="秘书科")
    page.get_by_placeholder("按姓名或工号查询").fill("001001")
    page.get_by_placeholder("按姓名或工号查询").press("Enter")
    assert "王建国" in page.locator("#staff-chosen").inner_text()
    page.get_by_label("7. 情况描述").fill(
        "《关于做好防汛工作的通知》收文后未及时呈批，延误两个工作日。"
    )
    page.get_by_text("督查", exact=True).click()
    page.get_by_role("button", name="提交登记").click()
    page.get_by_text("事件2026-0001已登记").wait_for()
    number = Incident.objects.get().number

    # The person named writes an explanation.
    log_in(page, "named")
    page.goto(f"/incidents/{number}/")
    page.get_by_label("申辩意见", exact=True).fill("当日在外参加防汛会议，已电话告知科长。")
    page.get_by_role("button", name="提交申辩").click()
    page.get_by_text("当日在外参加防汛会议，已电话告知科长。", exact=True).first.wait_for()

    # The supervisor verifies, then records the suggested handling decision.
    log_in(page, "supervisor")
    page.get_by_role("link", name="三误事件").first.click()
    page.get_by_role("link", name=number).click()
    page.get_by_text("当日在外参加防汛会议，已电话告知科长。", exact=True).first.wait_for()
    page.get_by_role("button", name="认定", exact=True).click()
    # A second look before it counts: who loses how many points, and that it is final.
    page.get_by_text("认定后事件成立：王建国每人将在2026年第3季度考核中扣2.0分。").wait_for()
    assert Incident.objects.get().status == "reported"
    page.get_by_role("button", name="认定", exact=True).click()
    page.get_by_text(f"事件{number}已认定").wait_for()
    # The suggestion is shown, the choice is the supervisor's.
    assert page.get_by_label("处理决定", exact=True).input_value() == ""
    page.get_by_label("处理决定", exact=True).select_option("reminder_talk")
    page.get_by_role("button", name="登记处理决定").click()
    page.get_by_text("将对王建国作出“提醒谈话”的处理决定。").wait_for()
    page.get_by_role("button", name="登记处理决定").click()
    page.get_by_text(f"事件{number}的处理决定已登记").wait_for()

    # The person named appeals once.
    log_in(page, "named")
    page.goto(f"/incidents/{number}/")
    page.get_by_label("申诉理由").fill("会议通知在前，时限应顺延。")
    page.get_by_role("button", name="提出申诉").click()
    page.get_by_role("button", name="提出申诉").click()
    page.get_by_text(f"事件{number}的申诉已提交").wait_for()

    # The supervisor rejects the appeal; the history shows every step.
    log_in(page, "supervisor")
    page.goto(f"/incidents/{number}/")
    page.get_by_text("驳回申诉").click()
    page.get_by_label("理由", exact=True).fill("事实清楚，维持原处理。")
    page.get_by_role("button", name="作出申诉决定").click()
    page.get_by_text("驳回：事件维持“已处理”，扣分和“提醒谈话”的处理决定不变。").wait_for()
    page.get_by_role("button", name="作出申诉决定").click()
    page.get_by_text(f"事件{number}的申诉已作出决定").wait_for()
    history = page.locator("ol.history").inner_text()
    for step in ["登记", "提交申辩", "认定", "作出处理决定", "提出申诉", "驳回申诉"]:
        assert step in history
    incident = Incident.objects.get()
    assert (incident.status, incident.appeal_status) == ("handled", "rejected")


def test_a_clerk_sees_only_the_chosen_kinds_clauses(page, office):
    log_in(page, "clerk")
    page.goto("/incidents/new/")
    page.get_by_text("失误", exact=True).click()
    options = page.locator("select[name=standard] option:not([hidden])").all_inner_texts()
    assert any("SW-01" in text for text in options)
    assert not any("YW-01" in text or "CW-01" in text for text in options)


def test_an_empty_form_says_what_is_missing(page, office):
    log_in(page, "clerk")
    page.goto("/incidents/new/")
    page.get_by_role("button", name="提交登记").click()
    page.get_by_text("请修改下方标出的内容").wait_for()
    assert Incident.objects.count() == 0
