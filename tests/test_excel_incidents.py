"""The 三误事件 sheet: new incidents reported in bulk with the service's rules and history,
recorded ones moved forward through the services, nothing else changed by a file."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from efficiency.excel import engine, exports, sheets
from efficiency.models import AuditEvent, ImportRecord, Incident, IncidentResponsible
from efficiency.services import incidents as services
from efficiency.services.incidents import NewIncident, report_many

from .excel_samples import openpyxl_xlsx, write, xlsxwriter_xlsx
from .factories import report

HEADER = [
    "编号",
    "发生日期",
    "类别",
    "条款编号",
    "严重程度",
    "科室",
    "责任人工号",
    "情况描述",
    "状态",
    "处理决定",
]
DESCRIPTION = "《关于做好防汛工作的通知》收文后未及时呈批，延误两个工作日。"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def run(tmp_path, data, actor, name="三误事件.xlsx", dry_run=False):
    return sheets.run("incidents", write(tmp_path, name, data), name, actor, dry_run=dry_run)


def state():
    return (
        list(Incident.objects.order_by("pk").values()),
        list(IncidentResponsible.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        ImportRecord.objects.count(),
    )


def events(incident):
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Incident), object_id=str(incident.pk)
        ).order_by("pk")
    )


def problems(result):
    return [str(p) for p in result.problems]


def test_new_incidents_are_reported_with_their_history(tmp_path, office):
    data = openpyxl_xlsx(
        [
            HEADER,
            [None, "2026-07-01", "延误", "YW-01", "一般", "秘书科", "001001、001002", DESCRIPTION],
            [None, "2026年8月3日", "失误", "sw-01", "较重", "ZHK", "002001", "会议通知未转达。"],
        ]
    )
    result = run(tmp_path, data, office.supervisor)
    assert result.ok, problems(result)
    assert result.record.created == 2
    first, second = Incident.objects.order_by("number")
    assert (first.number, second.number) == ("2026-0001", "2026-0002")
    assert (first.status, first.reporter, first.points, first.clause_text) == (
        "reported",
        office.supervisor,
        office.delay.points_minor,
        office.delay.text,
    )
    assert sorted(r.staff.staff_no for r in first.responsibilities.all()) == ["001001", "001002"]
    assert {r.section_id for r in first.responsibilities.all()} == {office.a.pk}
    assert (second.severity, second.points, second.section) == ("serious", 4, office.b)
    (created,) = events(first)
    assert (created.action, created.actor, created.to_status) == (
        "create",
        office.supervisor,
        "reported",
    )
    assert created.reason == "由 Excel 文件“三误事件.xlsx”导入"
    assert created.changes["responsible"] == ["", "王建国（001001）、李秀英（001002）"]
    # The numbers go on from where the import left them.
    later = report(
        office.clerk, section=office.a, responsible=[office.person], standard=office.delay
    )
    assert later.number == "2026-0003"


def test_the_bulk_path_writes_what_the_service_writes(office):
    facts = dict(
        kind="slip",
        standard=office.slip,
        severity="grave",
        occurred_on=datetime.date(2026, 7, 6),
        section=office.b,
        responsible=[office.other_person, office.person],
        description=DESCRIPTION,
    )
    by_service = services.incident_report(reporter=office.supervisor, **facts)
    (by_import,) = report_many(reporter=office.supervisor, rows=[NewIncident(**facts)])

    def fields(incident):
        values = {f.attname: getattr(incident, f.attname) for f in Incident._meta.concrete_fields}
        for name in ("id", "number", "reported_at"):
            values.pop(name)
        return values

    by_import = Incident.objects.get(pk=by_import.pk)
    assert fields(by_import) == fields(by_service)
    assert list(by_import.responsibilities.values_list("staff", "section")) == list(
        by_service.responsibilities.values_list("staff", "section")
    )
    (service_event,), (import_event,) = events(by_service), events(by_import)
    for name in ("actor_id", "action", "from_status", "to_status", "reason", "changes"):
        assert getattr(import_event, name) == getattr(service_event, name), name
    assert import_event.object_repr == f"{by_import.number} 失误"


def test_importing_the_same_file_twice_adds_nothing(tmp_path, office):
    data = xlsxwriter_xlsx(
        [HEADER, [None, "2026-07-01", "延误", "YW-01", "一般", "MSK", "001001", DESCRIPTION]]
    )
    run(tmp_path, data, office.supervisor)
    before = state()
    again = run(tmp_path, data, office.supervisor)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 1, "error": 0}
    assert again.rows[0].notes == ["已登记为事件 2026-0001。"]
    assert state()[:3] == before[:3]


def test_an_export_reimports_with_no_changes(tmp_path, office, incident_a, incident_b):
    services.incident_verify(actor=office.supervisor, incident=incident_b)
    handled = report(
        office.clerk,
        section=office.a,
        responsible=[office.colleague, office.person],
        standard=office.error,
    )
    services.incident_verify(actor=office.supervisor, incident=handled)
    services.incident_handle(
        actor=office.supervisor, incident=handled, decision="criticism", note=""
    )
    dismissed = report(
        office.clerk, section=office.a, responsible=[office.person], standard=office.slip
    )
    services.incident_dismiss(actor=office.supervisor, incident=dismissed, reason="经核实不属实。")
    name, data = exports.export("incidents", user=office.supervisor)
    before = state()
    result = run(tmp_path, data, office.supervisor, name=name)
    assert result.ok, problems(result)
    assert result.counts == {"create": 0, "update": 0, "unchanged": 4, "error": 0}
    assert state()[:3] == before[:3]


def test_a_status_moves_forward_through_the_services(tmp_path, office, incident_a, incident_b):
    data = openpyxl_xlsx(
        [
            HEADER,
            [
                incident_a.number,
                "2026-07-01",
                "延误",
                "YW-01",
                "一般",
                "秘书科",
                "001001",
                "文件收文后未在规定时限内呈批。",
                "已认定",
            ],
            [
                incident_b.number,
                "2026-07-01",
                "失误",
                "SW-01",
                "一般",
                "综合科",
                "002001",
                "文件收文后未在规定时限内呈批。",
                "已处理",
                "批评教育",
            ],
        ]
    )
    preview = sheets.preview(
        "incidents", write(tmp_path, "f.xlsx", data), "f.xlsx", office.supervisor
    )
    assert [[(c.column, c.old, c.new) for c in p.changes] for p in preview.rows] == [
        [("状态", "已登记", "已认定")],
        [("状态", "已登记", "已处理"), ("处理决定", "", "批评教育")],
    ]
    result = run(tmp_path, data, office.supervisor)
    assert result.ok and result.record.updated == 2
    incident_a.refresh_from_db()
    incident_b.refresh_from_db()
    assert (incident_a.status, incident_a.decided_by) == ("verified", office.supervisor)
    assert (incident_b.status, incident_b.handling_decision) == ("handled", "criticism")
    assert [e.action for e in events(incident_b)] == ["create", "verify", "handle"]
    assert events(incident_b)[1].reason == "由 Excel 文件“三误事件.xlsx”导入"


def test_a_new_incident_may_arrive_already_handled(tmp_path, office):
    data = openpyxl_xlsx(
        [
            HEADER,
            [
                None,
                "2026-07-01",
                "错误",
                "CW-01",
                "严重",
                "秘书科",
                "001001；001002",
                DESCRIPTION,
                "已处理",
                "通报批评",
            ],
        ]
    )
    result = run(tmp_path, data, office.supervisor)
    assert result.ok, problems(result)
    incident = Incident.objects.get()
    assert (incident.status, incident.handling_decision) == ("handled", "circulated_criticism")
    assert [e.action for e in events(incident)] == ["create", "verify", "handle"]


def test_what_a_file_may_not_do(tmp_path, office, incident_a, incident_b):
    services.incident_verify(actor=office.supervisor, incident=incident_b)
    office.error.active = False
    office.error.save()
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    data = openpyxl_xlsx(
        [
            HEADER,
            [
                incident_a.number,
                "2026-07-02",
                "延误",
                "YW-01",
                "一般",
                "秘书科",
                "001001",
                "文件收文后未在规定时限内呈批。",
            ],
            [
                incident_b.number,
                "2026-07-01",
                "失误",
                "SW-01",
                "一般",
                "综合科",
                "002001",
                "文件收文后未在规定时限内呈批。",
                "已登记",
            ],
            [
                incident_a.number,
                "2026-07-01",
                "延误",
                "YW-01",
                "一般",
                "秘书科",
                "001001",
                "文件收文后未在规定时限内呈批。",
                "不予认定",
            ],
            ["2026-0999", "2026-07-01", "延误", "YW-01", "一般", "秘书科", "001001", DESCRIPTION],
            [None, "2026-07-01", "失误", "YW-01", "一般", "秘书科", "001001", DESCRIPTION],
            [None, "2026-07-01", "错误", "CW-01", "一般", "秘书科", "001001", DESCRIPTION],
            [None, future, "延误", "YW-01", "一般", "秘书科", "001001", DESCRIPTION],
            [None, "2026-07-01", "延误", "YW-01", "一般", "秘书科", "001001、009999", DESCRIPTION],
            [
                None,
                "2026-07-01",
                "延误",
                "YW-01",
                "一般",
                "秘书科",
                "001002",
                DESCRIPTION,
                "已认定",
                "批评教育",
            ],
            [
                None,
                "2026-07-01",
                "延误",
                "YW-01",
                "一般",
                "秘书科",
                "001002",
                "另一起。",
                "已处理",
            ],
            [None, "2026-07-01", "延误", "YW-01", "特别严重", "秘书科", "001002", "又一起。"],
            [None, "2026-07-03", "延误", "YW-01", "一般", "秘书科", "001002", "同一起。"],
            [None, "2026-07-03", "延误", "YW-01", "一般", "秘书科", "001002", "同一起。"],
        ]
    )
    before = state()
    result = run(tmp_path, data, office.supervisor)
    assert problems(result) == [
        f"第 2 行「发生日期」：与已登记的事件 {incident_a.number} 不同（系统中为“2026-07-01”）；"
        "已登记事件的更正须在事件页面填写理由后进行",
        f"第 3 行「状态」：事件 {incident_b.number} 已是“已认定”，不能退回",
        f"第 4 行「编号」：“{incident_a.number}” 与第 2 行重复",
        "第 4 行「不予认定理由」：状态为“不予认定”时不能为空",
        "第 5 行「编号」：没有编号为“2026-0999”的事件（新登记的事件请将编号留空）",
        "第 6 行「条款编号」：条款 YW-01 属于“延误”，不是“失误”",
        "第 7 行「条款编号」：条款CW-01已停用。",
        f"第 8 行「发生日期」：“{future}” 晚于今天",
        "第 9 行「责任人工号」：人员名册中没有工号“009999”",
        "第 10 行「处理决定」：只有状态为“已处理”的事件才填写处理决定",
        "第 11 行「处理决定」：状态为“已处理”时不能为空",
        "第 12 行「严重程度」：“特别严重” 不在可选值之内：一般、较重、严重",
        "第 14 行：与第 13 行是同一起事件",
    ]
    assert result.record is None
    assert state() == before


def test_people_typed_as_numbers_or_with_any_separator(tmp_path, office):
    data = openpyxl_xlsx(
        [
            HEADER,
            [None, "2026-07-01", "延误", "YW-01", "一般", "秘书科", 1001, DESCRIPTION],
            [
                None,
                "2026-07-02",
                "延误",
                "YW-01",
                "一般",
                "秘书科",
                "001001\u3000001002 , 001009",
                DESCRIPTION,
            ],
        ]
    )
    result = run(tmp_path, data, office.supervisor)
    assert result.ok, problems(result)
    first, second = Incident.objects.order_by("number")
    assert [r.staff.staff_no for r in first.responsibilities.all()] == ["001001"]
    assert sorted(r.staff.staff_no for r in second.responsibilities.all()) == [
        "001001",
        "001002",
        "001009",
    ]


def test_the_command_line_needs_an_account_for_incidents(tmp_path, office):
    with pytest.raises(engine.NotAllowed) as caught:
        run(tmp_path, openpyxl_xlsx([HEADER]), None)
    assert caught.value.message == "导入三误事件须用 --user 指定账号，作为登记人记录。"


def test_a_clerk_may_not_import_incidents(tmp_path, office):
    with pytest.raises(engine.NotAllowed) as caught:
        run(tmp_path, openpyxl_xlsx([HEADER]), office.clerk)
    assert caught.value.message == "您没有导入“三误事件”表的权限。"


def test_a_register_with_dismissed_incidents_imports_whole(tmp_path, office):
    """不予认定 with its 不予认定理由: reported, then dismissed, both in the history."""
    header = [*HEADER, "不予认定理由"]
    reason = "经核实，延误系印刷厂设备故障所致，不予认定。"
    data = openpyxl_xlsx(
        [
            header,
            [None, "2026-07-01", "延误", "YW-01", "一般", "秘书科", "001001", DESCRIPTION],
            [
                None,
                "2026-07-02",
                "延误",
                "YW-01",
                "一般",
                "秘书科",
                "001002",
                "印发延误。",
                "不予认定",
                None,
                reason,
            ],
        ]
    )
    result = run(tmp_path, data, office.supervisor)
    assert result.ok, problems(result)
    assert result.record.created == 2
    dismissed = Incident.objects.get(occurred_on=datetime.date(2026, 7, 2))
    assert (dismissed.status, dismissed.dismissal_reason, dismissed.decided_by) == (
        "dismissed",
        reason,
        office.supervisor,
    )
    assert [e.action for e in events(dismissed)] == ["create", "dismiss"]
    # The export carries the reason, and the file re-imports unchanged.
    _name, exported = exports.export("incidents", user=office.supervisor)
    again = run(tmp_path, exported, office.supervisor, name="again.xlsx")
    assert again.ok and again.counts["unchanged"] == 2, problems(again)


def test_a_dismissal_without_its_reason_changes_nothing(tmp_path, office):
    data = openpyxl_xlsx(
        [
            [*HEADER, "不予认定理由"],
            [
                None,
                "2026-07-02",
                "延误",
                "YW-01",
                "一般",
                "秘书科",
                "001002",
                "印发延误。",
                "不予认定",
            ],
            [
                None,
                "2026-07-03",
                "延误",
                "YW-01",
                "一般",
                "秘书科",
                "001002",
                "收文积压。",
                "已认定",
                None,
                "写错了列。",
            ],
        ]
    )
    before = state()
    result = run(tmp_path, data, office.supervisor)
    assert problems(result) == [
        "第 2 行「不予认定理由」：状态为“不予认定”时不能为空",
        "第 3 行「不予认定理由」：只有状态为“不予认定”的事件才填写不予认定理由",
    ]
    assert state() == before
