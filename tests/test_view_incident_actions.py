"""The status actions: explanation, verification, dismissal, handling, appeal; stale and bad
requests change nothing and say why."""

import pytest
from django.db import DatabaseError, transaction

from efficiency.models import AuditEvent, Incident, StaffCategory
from efficiency.services import incidents as services

from .conftest import login
from .factories import report

CONFIRMED = {"confirmed": "1"}
REASON_RULE = "理由须写明具体情况：至少4个字，不能只是数字、标点或同一个字重复。"


def events(incident):
    return list(
        AuditEvent.objects.filter(object_id=str(incident.pk)).values_list("action", flat=True)
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_the_whole_flow_is_recorded_step_by_step(office, incident_a):
    named, supervisor = login(office.named), login(office.supervisor)
    number = incident_a.number
    named.post(
        f"/incidents/{number}/explain/", {"staff": office.person.pk, "text": "当日外出开会。"}
    )
    supervisor.post(f"/incidents/{number}/verify/", {"note": "经核实属实。", **CONFIRMED})
    supervisor.post(
        f"/incidents/{number}/handle/",
        {
            "decision": "reminder_talk",
            "note": "科长谈话提醒。",
            "result_use": "awards",
            **CONFIRMED,
        },
    )
    named.post(f"/incidents/{number}/appeal/", {"text": "时限计算有误。", **CONFIRMED})
    supervisor.post(
        f"/incidents/{number}/appeal/decide/",
        {"outcome": "uphold", "reason": "确属计算错误。", **CONFIRMED},
    )
    incident_a.refresh_from_db()
    assert incident_a.status == "dismissed"
    assert incident_a.appeal_status == "upheld"
    assert incident_a.handling_decision == "reminder_talk"
    assert incident_a.result_use == "awards"
    assert events(incident_a) == [
        "create",
        "explain",
        "verify",
        "handle",
        "appeal",
        "appeal_uphold",
    ]
    detail = supervisor.get(f"/incidents/{number}/").content.decode()
    for text in ["当日外出开会。", "经核实属实。", "提醒谈话", "时限计算有误。", "确属计算错误。"]:
        assert text in detail
    assert "已登记 → 已认定" in detail
    assert "已处理 → 不予认定" in detail


def test_a_rejected_appeal_leaves_the_incident_established(office, incident_a):
    services.incident_verify(actor=office.supervisor, incident=incident_a)
    services.incident_handle(
        actor=office.supervisor, incident=incident_a, decision="criticism", note=""
    )
    services.incident_appeal(actor=office.named, incident=incident_a, text="不服处理决定。")
    login(office.supervisor).post(
        f"/incidents/{incident_a.number}/appeal/decide/",
        {"outcome": "reject", "reason": "事实清楚。", **CONFIRMED},
    )
    incident_a.refresh_from_db()
    assert (incident_a.status, incident_a.appeal_status) == ("handled", "rejected")
    assert incident_a.is_established


def test_an_incident_is_appealed_only_once(office, incident_a):
    services.incident_verify(actor=office.supervisor, incident=incident_a)
    services.incident_handle(
        actor=office.supervisor, incident=incident_a, decision="criticism", note=""
    )
    services.incident_appeal(actor=office.named, incident=incident_a, text="不服处理决定。")
    services.incident_decide_appeal(
        actor=office.supervisor, incident=incident_a, uphold=False, reason="维持原处理。"
    )
    response = login(office.named).post(
        f"/incidents/{incident_a.number}/appeal/", {"text": "再次申诉。", **CONFIRMED}, follow=True
    )
    assert "本事件当前不能申诉" in "".join(messages_of(response))
    assert events(incident_a).count("appeal") == 1


def test_verifying_what_another_supervisor_dismissed_is_refused(office, incident_a):
    # Both supervisors opened the page while the incident was reported.
    login(office.supervisor2).post(
        f"/incidents/{incident_a.number}/dismiss/", {"reason": "不属于三误范围。", **CONFIRMED}
    )
    before = AuditEvent.objects.count()
    response = login(office.supervisor).post(
        f"/incidents/{incident_a.number}/verify/", {"note": ""}, follow=True
    )
    incident_a.refresh_from_db()
    assert incident_a.status == "dismissed"
    assert AuditEvent.objects.count() == before
    assert messages_of(response) == [
        f"事件{incident_a.number}当前状态为“不予认定”，此操作已不适用。页面已刷新为最新状态。"
    ]


def test_handling_twice_is_refused(office, incident_a):
    services.incident_verify(actor=office.supervisor, incident=incident_a)
    client = login(office.supervisor)
    client.post(f"/incidents/{incident_a.number}/handle/", {"decision": "criticism", **CONFIRMED})
    response = client.post(
        f"/incidents/{incident_a.number}/handle/",
        {"decision": "reassignment", **CONFIRMED},
        follow=True,
    )
    incident_a.refresh_from_db()
    assert incident_a.handling_decision == "criticism"
    assert "此操作已不适用" in "".join(messages_of(response))


def test_deciding_an_appeal_twice_is_refused(office, incident_a):
    services.incident_verify(actor=office.supervisor, incident=incident_a)
    services.incident_handle(
        actor=office.supervisor, incident=incident_a, decision="criticism", note=""
    )
    services.incident_appeal(actor=office.named, incident=incident_a, text="不服处理决定。")
    login(office.supervisor2).post(
        f"/incidents/{incident_a.number}/appeal/decide/",
        {"outcome": "reject", "reason": "维持原处理。", **CONFIRMED},
    )
    response = login(office.supervisor).post(
        f"/incidents/{incident_a.number}/appeal/decide/",
        {"outcome": "uphold", "reason": "撤销原认定。", **CONFIRMED},
        follow=True,
    )
    incident_a.refresh_from_db()
    assert (incident_a.status, incident_a.appeal_status) == ("handled", "rejected")
    assert f"事件{incident_a.number}的申诉此前已有决定" in "".join(messages_of(response))


@pytest.mark.parametrize(
    "action,data,message",
    [
        ("dismiss", {"reason": "  "}, "不予认定须填写理由"),
        ("dismiss", {}, "不予认定须填写理由"),
        ("handle", {"decision": "firing"}, "选择一个有效的选项"),
        ("handle", {}, "请选择处理决定。"),
        ("dismiss", {"reason": "abc"}, REASON_RULE),
        ("dismiss", {"reason": "-1"}, REASON_RULE),
        ("dismiss", {"reason": "NaN"}, REASON_RULE),
        ("dismiss", {"reason": "9" * 400}, REASON_RULE),
        ("dismiss", {"reason": "情况属实情况属实"[:1] * 6}, REASON_RULE),
        ("verify", {"note": "长" * 501}, "不超过 500 字符"),
    ],
)
def test_bad_action_input_changes_nothing(office, incident_a, action, data, message):
    if action == "handle":
        services.incident_verify(actor=office.supervisor, incident=incident_a)
    before_status = Incident.objects.get().status
    before = AuditEvent.objects.count()
    response = login(office.supervisor).post(
        f"/incidents/{incident_a.number}/{action}/", {**data, **CONFIRMED}, follow=True
    )
    assert response.status_code == 200
    assert message in "".join(messages_of(response))
    assert Incident.objects.get().status == before_status
    assert AuditEvent.objects.count() == before


def test_appeal_decision_needs_an_outcome_and_reason(office, incident_a):
    services.incident_verify(actor=office.supervisor, incident=incident_a)
    services.incident_handle(
        actor=office.supervisor, incident=incident_a, decision="criticism", note=""
    )
    services.incident_appeal(actor=office.named, incident=incident_a, text="不服处理决定。")
    client = login(office.supervisor)
    for data in [
        {"outcome": "maybe", "reason": "事实清楚，维持。"},
        {"outcome": "uphold", "reason": ""},
        {"outcome": "uphold", "reason": "NaN"},
        {"outcome": "lighten", "reason": "情节较轻，酌情减轻。"},
        {"outcome": "lighten", "lighten_to": "reassignment", "reason": "情节较轻，酌情减轻。"},
    ]:
        client.post(f"/incidents/{incident_a.number}/appeal/decide/", {**data, **CONFIRMED})
    incident_a.refresh_from_db()
    assert incident_a.appeal_status == "pending"


def test_explanations_only_before_verification(office, incident_a):
    services.incident_verify(actor=office.supervisor, incident=incident_a)
    response = login(office.named).post(
        f"/incidents/{incident_a.number}/explain/",
        {"staff": office.person.pk, "text": "补充说明。"},
        follow=True,
    )
    assert "申辩须在认定前提出" in "".join(messages_of(response))
    assert not incident_a.explanations.exists()


def test_explaining_for_someone_not_named_is_refused(office, incident_a):
    login(office.head).post(
        f"/incidents/{incident_a.number}/explain/",
        {"staff": office.colleague.pk, "text": "代为说明。"},
    )
    assert not incident_a.explanations.exists()


def test_get_on_an_action_is_not_allowed(office, incident_a):
    assert (
        login(office.supervisor).get(f"/incidents/{incident_a.number}/verify/").status_code == 405
    )


def test_the_handling_form_suggests_the_next_step_for_a_repeat(office, incident_a):
    services.incident_verify(actor=office.supervisor, incident=incident_a)
    services.incident_handle(
        actor=office.supervisor, incident=incident_a, decision="criticism", note=""
    )
    repeat = report(
        office.clerk, section=office.a, responsible=[office.person], standard=office.delay
    )
    services.incident_verify(actor=office.supervisor, incident=repeat)
    content = login(office.supervisor).get(f"/incidents/{repeat.number}/").content.decode()
    assert "建议处理：<strong>责令书面检查</strong>" in content
    # The suggestion is shown, not chosen: the supervisor picks the decision.
    assert '<option value="" selected>— 请选择处理决定 —</option>' in content
    assert " selected>" not in content.split('name="decision"')[1].split("</select>")[0].replace(
        '<option value="" selected>', ""
    )


def test_a_first_incident_suggests_the_first_step(office, incident_a):
    services.incident_verify(actor=office.supervisor, incident=incident_a)
    content = login(office.supervisor).get(f"/incidents/{incident_a.number}/").content.decode()
    assert "建议处理：<strong>提醒谈话</strong>" in content


def test_history_cannot_be_altered(office, incident_a):
    event = AuditEvent.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.reason == ""


def test_history_is_read_only_in_the_admin(office, incident_a):
    client = login(office.administrator)
    event = AuditEvent.objects.get()
    response = client.post(f"/admin/efficiency/auditevent/{event.pk}/change/", {"reason": "x"})
    assert response.status_code == 403
    response = client.post(f"/admin/efficiency/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    response = client.post(f"/admin/efficiency/incident/{incident_a.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert Incident.objects.filter(pk=incident_a.pk).exists()


def test_a_move_between_sections_keeps_the_incidents_section(office, incident_a):
    client = login(office.administrator)
    person = office.person
    response = client.post(
        f"/admin/efficiency/staff/{person.pk}/change/",
        {
            "staff_no": person.staff_no,
            "name": person.name,
            "section": office.b.pk,
            "post": "科员",
            "start_date": "",
            "end_date": "",
            "user": office.named.pk,
            "category": StaffCategory.CIVIL_SERVANT,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.section == office.b
    incident_a.refresh_from_db()
    assert incident_a.section == office.a
    assert incident_a.responsibilities.get().section == office.a
    move = AuditEvent.objects.get(action="change", object_id=str(person.pk))
    assert move.changes == {"section": ["秘书科", "综合科"]}
    assert move.actor == office.administrator


def test_the_history_says_none_for_nothing_before(office, incident_a):
    # An em dash in a CJK font reads as the numeral 一: "nothing before" is written as 无.
    services.incident_verify(actor=office.supervisor, incident=incident_a)
    services.incident_handle(
        actor=office.supervisor, incident=incident_a, decision="criticism", note=""
    )
    page = login(office.supervisor).get(f"/incidents/{incident_a.number}/").content.decode()
    history = page[page.index('class="list-group list-group-flush history"') :]
    assert '处理决定</span> <span class="text-body-secondary">（无）</span> → 批评教育' in history
    assert "—" not in history
