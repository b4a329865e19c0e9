"""Decisions that cannot be taken back: the confirmation step says what will happen and
changes nothing until confirmed; an appeal may be upheld in part; a period opened by
mistake is withdrawn; every required reason must say something."""

import pytest
import time_machine

from efficiency.models import AuditEvent, Incident, Period, PeriodState, Score
from efficiency.models.audit import AuditAction
from efficiency.reasons import reason_problem
from efficiency.services import ServiceError
from efficiency.services import appraisal as periods
from efficiency.services import incidents as services

from .conftest import login
from .excel_samples import openpyxl_xlsx, write

CONFIRMED = {"confirmed": "1"}
REASON_RULE = "理由须写明具体情况：至少4个字，不能只是数字、标点或同一个字重复。"
NOTHING_SAID = ["abc", "-1", "NaN", "9" * 400, "。。。。", "好好好好", " a b ", "12.5%", "----"]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def snapshot(incident: Incident) -> tuple:
    incident.refresh_from_db()
    return (
        incident.status,
        incident.handling_decision,
        incident.appeal_status,
        AuditEvent.objects.count(),
    )


def handled(office, incident, decision="circulated_criticism"):
    services.incident_verify(actor=office.supervisor, incident=incident)
    services.incident_handle(actor=office.supervisor, incident=incident, decision=decision, note="")
    return incident


def appealed(office, incident, decision="circulated_criticism"):
    handled(office, incident, decision)
    services.incident_appeal(actor=office.named, incident=incident, text="情节轻微，处理过重。")
    return incident


# --- the reason rule ----------------------------------------------------------------------


@pytest.mark.parametrize("text", NOTHING_SAID)
def test_a_reason_that_says_nothing_is_refused(text):
    assert reason_problem(text) == REASON_RULE


@pytest.mark.parametrize("text", ["经核实不属实", "补录评分", "Data was late", "漏评2人"])
def test_a_reason_that_says_something_passes(text):
    assert reason_problem(text) is None


@pytest.mark.parametrize("text", NOTHING_SAID)
def test_every_service_refuses_an_empty_reason(office, incident_a, text):
    with pytest.raises(ServiceError, match=REASON_RULE):
        services.incident_dismiss(actor=office.supervisor, incident=incident_a, reason=text)
    assert Incident.objects.get().status == "reported"


@pytest.mark.parametrize("text", ["abc", "NaN", "9" * 400])
def test_the_correction_form_refuses_an_empty_reason(office, incident_a, text):
    from .test_view_incident_form import form_data

    response = login(office.clerk).post(
        f"/incidents/{incident_a.number}/edit/", form_data(office, reason=text)
    )
    assert response.status_code == 200
    assert REASON_RULE in response.content.decode()
    incident_a.refresh_from_db()
    assert incident_a.severity == "minor"


def test_a_mark_reason_must_say_something(office):
    period = periods.period_open(actor=office.leader, code="2026Q3")
    client = login(office.assessor)
    response = client.post(
        "/appraisal/2026Q3/sheet/save/",
        {"subject": "staff", "id": office.person.pk, "criterion": "duty", "value": "100"}
        | {"reason": "NaN"},
    )
    assert response.status_code == 400
    assert response.json()["message"] == REASON_RULE
    assert not Score.objects.filter(period=period).exists()


def test_an_imported_mark_reason_must_say_something(tmp_path, office):
    from efficiency.excel import sheets

    periods.period_open(actor=office.leader, code="2026Q3")
    data = openpyxl_xlsx(
        [
            ["考核期", "对象类型", "对象编号", "考评人工号", "履行职责", "履行职责理由"],
            ["2026Q3", "个人", "001001", "assessor", 100, "-1"],
            ["2026Q3", "个人", "001002", "assessor", 55, "9" * 400],
        ]
    )
    result = sheets.run("scores", write(tmp_path, "评分.xlsx", data), "评分.xlsx", office.assessor)
    assert [str(p) for p in result.problems] == [
        f"第 2 行「履行职责理由」：{REASON_RULE}",
        f"第 3 行「履行职责理由」：{REASON_RULE}",
    ]
    assert not Score.objects.exists()


# --- the confirmation step on incidents ---------------------------------------------------


def test_verifying_asks_first_and_says_who_loses_how_many_points(office, incident_a):
    client = login(office.supervisor)
    before = snapshot(incident_a)
    response = client.post(f"/incidents/{incident_a.number}/verify/", {"note": "经核实属实。"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"认定事件{incident_a.number}？" in html
    assert "认定后事件成立：王建国每人将在2026年第3季度考核中扣1.0分。" in html
    assert "责任人该季度等次最高为“较好”。" in html
    assert "认定后不能撤回，下一步登记处理决定。" in html
    assert '<input type="hidden" name="note" value="经核实属实。">' in html
    assert f'<a class="btn btn-outline-secondary" href="/incidents/{incident_a.number}/">' in html
    assert snapshot(incident_a) == before

    response = client.post(
        f"/incidents/{incident_a.number}/verify/", {"note": "经核实属实。", **CONFIRMED}
    )
    assert response.status_code == 302
    incident_a.refresh_from_db()
    assert incident_a.status == "verified"


def test_a_grave_incident_says_the_grade_is_capped_at_average(office):
    from .factories import report

    grave = report(
        office.clerk,
        section=office.a,
        responsible=[office.person, office.colleague],
        standard=office.error,
        severity="grave",
    )
    html = login(office.supervisor).post(f"/incidents/{grave.number}/verify/").content.decode()
    assert "认定后事件成立：王建国、李秀英每人将在2026年第3季度考核中扣12.0分。" in html
    assert "本事件为严重：责任人该季度等次最高为“一般”，本年度不能评为“优秀”。" in html


def test_dismissing_asks_first(office, incident_a):
    client = login(office.supervisor)
    before = snapshot(incident_a)
    response = client.post(
        f"/incidents/{incident_a.number}/dismiss/", {"reason": "不属于三误范围。"}
    )
    html = response.content.decode()
    assert "不予认定后，本事件不扣王建国的分，也不能再认定或处理。" in html
    assert "不属于三误范围。" in html
    assert snapshot(incident_a) == before
    client.post(
        f"/incidents/{incident_a.number}/dismiss/", {"reason": "不属于三误范围。", **CONFIRMED}
    )
    assert snapshot(incident_a)[0] == "dismissed"


def test_the_handling_form_chooses_nothing_and_handling_asks_first(office, incident_a):
    services.incident_verify(actor=office.supervisor, incident=incident_a)
    client = login(office.supervisor)
    page = client.get(f"/incidents/{incident_a.number}/").content.decode()
    select = page.split('name="decision"')[1].split("</select>")[0]
    assert '<option value="" selected>— 请选择处理决定 —</option>' in select
    assert select.count("selected") == 1
    before = snapshot(incident_a)
    response = client.post(
        f"/incidents/{incident_a.number}/handle/", {"decision": "circulated_criticism"}
    )
    html = response.content.decode()
    assert "将对王建国作出“通报批评”的处理决定。" in html
    assert "建议的处理为“提醒谈话”，您选择了其他处理。" in html
    assert snapshot(incident_a) == before
    client.post(
        f"/incidents/{incident_a.number}/handle/",
        {"decision": "circulated_criticism", **CONFIRMED},
    )
    assert snapshot(incident_a)[:2] == ("handled", "circulated_criticism")


def test_an_action_that_no_longer_applies_is_refused_before_asking(office, incident_a):
    services.incident_dismiss(actor=office.supervisor, incident=incident_a, reason="经核实不属实")
    response = login(office.supervisor).post(
        f"/incidents/{incident_a.number}/verify/", {}, follow=True
    )
    assert messages_of(response) == [
        f"事件{incident_a.number}当前状态为“不予认定”，此操作已不适用。页面已刷新为最新状态。"
    ]


@pytest.mark.parametrize(
    "data,sentence",
    [
        (
            {"outcome": "reject"},
            "驳回：事件维持“已处理”，扣分和“通报批评”的处理决定不变。",
        ),
        (
            {"outcome": "uphold"},
            "申诉成立：事件改为“不予认定”，王建国每人被扣的1.0分撤销，处理决定不再有效。",
        ),
        (
            {"outcome": "lighten", "lighten_to": "criticism"},
            "部分成立：事件仍然成立，王建国每人仍扣1.0分；"
            "处理决定由“通报批评”改为较轻的“批评教育”。",
        ),
    ],
)
def test_deciding_an_appeal_asks_first(office, incident_a, data, sentence):
    appealed(office, incident_a)
    before = snapshot(incident_a)
    response = login(office.supervisor).post(
        f"/incidents/{incident_a.number}/appeal/decide/", {**data, "reason": "经复核，酌情决定。"}
    )
    html = response.content.decode()
    assert sentence in html
    assert "申诉决定作出后不能更改，本事件不能再申诉。" in html
    assert snapshot(incident_a) == before


# --- an appeal upheld in part -------------------------------------------------------------


def test_an_appeal_upheld_in_part_lightens_the_handling(office, incident_a):
    appealed(office, incident_a)
    response = login(office.supervisor).post(
        f"/incidents/{incident_a.number}/appeal/decide/",
        {
            "outcome": "lighten",
            "lighten_to": "criticism",
            "reason": "初次发生，情节较轻，改为批评教育。",
            **CONFIRMED,
        },
        follow=True,
    )
    assert messages_of(response) == [f"事件{incident_a.number}的申诉已作出决定。"]
    incident_a.refresh_from_db()
    assert (incident_a.status, incident_a.appeal_status, incident_a.handling_decision) == (
        "handled",
        "partial",
        "criticism",
    )
    assert incident_a.is_established  # the points still count
    event = AuditEvent.objects.filter(object_id=str(incident_a.pk)).last()
    assert (event.action, event.reason, event.changes) == (
        AuditAction.APPEAL_LIGHTEN,
        "初次发生，情节较轻，改为批评教育。",
        {"handling_decision": ["circulated_criticism", "criticism"]},
    )
    html = response.content.decode()
    assert "申诉部分成立：改为较轻的处理" in html
    assert "批评教育" in html


@pytest.mark.parametrize(
    "data,message",
    [
        ({"outcome": "lighten"}, "请选择改为哪一种较轻的处理。"),
        ({"outcome": "lighten", "lighten_to": "reassignment"}, "选择一个有效的选项"),
        ({"outcome": "lighten", "lighten_to": "circulated_criticism"}, "选择一个有效的选项"),
    ],
)
def test_lightening_needs_a_lighter_step(office, incident_a, data, message):
    appealed(office, incident_a)
    before = snapshot(incident_a)
    response = login(office.supervisor).post(
        f"/incidents/{incident_a.number}/appeal/decide/",
        {**data, "reason": "情节较轻，酌情减轻。", **CONFIRMED},
        follow=True,
    )
    assert message in "".join(messages_of(response))
    assert snapshot(incident_a) == before


def test_the_service_refuses_a_heavier_step(office, incident_a):
    appealed(office, incident_a)
    with pytest.raises(ServiceError, match="请选择比“通报批评”较轻的处理。"):
        services.incident_decide_appeal(
            actor=office.supervisor,
            incident=incident_a,
            uphold=False,
            lighten_to="admonition_talk",
            reason="改为诫勉谈话。",
        )


@pytest.mark.parametrize("who", ["clerk", "head", "leader", "named"])
def test_the_services_check_the_right_whoever_calls_them(office, incident_a, who):
    """Not only the pages: a decision asked of a service by someone without the right (from a
    sheet, a command or a future page) is refused and changes nothing."""
    actor = getattr(office, who)
    before = snapshot(incident_a)
    with pytest.raises(ServiceError, match="您没有执行此操作的权限。"):
        services.incident_verify(actor=actor, incident=incident_a)
    with pytest.raises(ServiceError, match="您没有执行此操作的权限。"):
        services.incident_dismiss(actor=actor, incident=incident_a, reason="经核实不属实。")
    assert snapshot(incident_a) == before
    appealed(office, incident_a)
    before = snapshot(incident_a)
    with pytest.raises(ServiceError, match="您没有执行此操作的权限。"):
        services.incident_decide_appeal(
            actor=actor, incident=incident_a, uphold=True, reason="事实不清，予以撤销。"
        )
    assert snapshot(incident_a) == before


def test_the_lightest_step_cannot_be_lightened(office, incident_a):
    appealed(office, incident_a, decision="reminder_talk")
    html = login(office.supervisor).get(f"/incidents/{incident_a.number}/").content.decode()
    assert "申诉成立：改为不予认定" in html
    assert "申诉部分成立" not in html


# --- periods: open, withdraw --------------------------------------------------------------


@time_machine.travel("2026-08-15 10:00 +0800", tick=False)
def test_a_quarter_that_has_not_begun_needs_an_explicit_choice(office):
    client = login(office.leader)
    response = client.post("/appraisal/open/", {"code": "2026Q4", **CONFIRMED}, follow=True)
    assert messages_of(response) == [
        "考核期2026Q4尚未开始（2026-10-01起）。如需提前开启，请勾选“开启尚未开始的季度”。"
    ]
    assert not Period.objects.exists()
    response = client.post("/appraisal/open/", {"code": "2026Q4", "future": "on"})
    html = response.content.decode()
    assert "2026年第4季度尚未开始（2026-10-01起），将提前开启。" in html
    assert "采用以下考核指标及权重，此后不再变动：履行职责 40、工作绩效 40、服务质量 20。" in html
    assert not Period.objects.exists()
    client.post("/appraisal/open/", {"code": "2026Q4", "future": "on", **CONFIRMED})
    assert Period.objects.get(code="2026Q4").state == PeriodState.OPEN


@time_machine.travel("2026-08-15 10:00 +0800", tick=False)
def test_a_future_draft_offers_only_an_early_opening(office):
    Period.objects.create(code="2026Q4", year=2026, quarter=4)
    Period.objects.create(code="2026Q3", year=2026, quarter=3)
    html = login(office.leader).get("/appraisal/").content.decode()
    future = html.split('id="p-2026Q4"')[1].split("</article>")[0]
    current = html.split('id="p-2026Q3"')[1].split("</article>")[0]
    assert "提前开启（本季度尚未开始）" in future
    assert '<input type="hidden" name="future" value="on">' in future
    assert "开启本考核期" in current and 'name="future"' not in current


def test_a_period_opened_by_mistake_is_withdrawn_with_a_reason(office):
    period = periods.period_open(actor=office.leader, code="2026Q3")
    client = login(office.leader)
    page = client.get("/appraisal/").content.decode()
    assert "误开启？尚无人评分，可以撤销开启。理由：" in page

    for reason, message in [("", "撤销开启须填写理由。"), ("NaN", REASON_RULE)]:
        response = client.post("/appraisal/2026Q3/withdraw/", {"reason": reason}, follow=True)
        assert messages_of(response) == [message]
    response = client.post("/appraisal/2026Q3/withdraw/", {"reason": "季度选错，应为第二季度"})
    html = response.content.decode()
    assert "撤销考核期2026Q3的开启？" in html
    assert "2026年第3季度回到“草稿”状态：评分表关闭，复制进来的考核指标一并撤回。" in html
    assert Period.objects.get().state == PeriodState.OPEN

    response = client.post(
        "/appraisal/2026Q3/withdraw/",
        {"reason": "季度选错，应为第二季度", **CONFIRMED},
        follow=True,
    )
    assert messages_of(response) == ["考核期2026Q3已撤销开启，恢复为草稿。"]
    period.refresh_from_db()
    assert (period.state, period.opened_at, period.criteria.count()) == ("draft", None, 0)
    event = AuditEvent.objects.filter(object_id=str(period.pk)).last()
    assert (event.action, event.actor, event.reason) == (
        AuditAction.PERIOD_WITHDRAW,
        office.leader,
        "季度选错，应为第二季度",
    )
    assert "撤销开启" in response.content.decode()


def test_a_period_with_marks_cannot_be_withdrawn(office):
    period = periods.period_open(actor=office.leader, code="2026Q3")
    periods.score_save(
        assessor=office.assessor,
        period=period,
        criterion_code="duty",
        value="80",
        staff=office.person,
    )
    client = login(office.leader)
    assert "误开启" not in client.get("/appraisal/").content.decode()
    response = client.post(
        "/appraisal/2026Q3/withdraw/", {"reason": "季度选错了", **CONFIRMED}, follow=True
    )
    assert messages_of(response) == ["考核期2026Q3已有评分，不能撤销开启。"]
    assert Period.objects.get().state == PeriodState.OPEN


def test_a_period_closed_once_cannot_be_withdrawn(office):
    period = periods.period_open(actor=office.leader, code="2026Q3")
    periods.period_close(actor=office.leader, period=period)
    periods.period_reopen(actor=office.leader, period=period, reason="补录两名考评人")
    with pytest.raises(ServiceError, match="已关闭公示过，不能撤销开启"):
        periods.period_withdraw(actor=office.leader, period=period, reason="季度选错了")


def test_only_openers_withdraw(office):
    periods.period_open(actor=office.leader, code="2026Q3")
    for user in (office.assessor, office.supervisor, office.named):
        response = login(user).post(
            "/appraisal/2026Q3/withdraw/", {"reason": "季度选错了", **CONFIRMED}
        )
        assert response.status_code == 403
    assert Period.objects.get().state == PeriodState.OPEN


@pytest.mark.parametrize("action", ["close", "open"])
def test_closing_and_opening_ask_first(office, action):
    client = login(office.leader)
    if action == "close":
        periods.period_open(actor=office.leader, code="2026Q3")
        response = client.post("/appraisal/2026Q3/close/")
        sentence = "2026年第3季度停止评分，排名和等次进入公示。"
        state = PeriodState.OPEN
    else:
        response = client.post("/appraisal/open/", {"code": "2026Q3"})
        sentence = "开启后，考评人员即可对2026年第3季度评分。"
        state = None
    assert response.status_code == 200
    assert sentence in response.content.decode()
    assert Period.objects.filter(code="2026Q3").values_list("state", flat=True).first() == state


@pytest.mark.parametrize("text", ["abc", "NaN", "9" * 400])
def test_the_grounds_of_an_appeal_must_say_something(office, incident_a, text):
    handled(office, incident_a)
    response = login(office.named).post(
        f"/incidents/{incident_a.number}/appeal/", {"text": text, **CONFIRMED}, follow=True
    )
    assert messages_of(response) == [REASON_RULE]
    with pytest.raises(ServiceError, match=REASON_RULE):
        services.incident_appeal(actor=office.named, incident=incident_a, text=text)
    assert snapshot(incident_a)[2] == ""
