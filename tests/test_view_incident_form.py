"""Recording and correcting an incident: the clerk's form, its checks, and bad input."""

import datetime

import pytest
from django.utils import timezone

from efficiency.models import AuditEvent, Incident

from .conftest import login


def form_data(office, **overrides):
    data = {
        "kind": "delay",
        "standard": office.delay.pk,
        "severity": "serious",
        "occurred_on": "2026-07-02",
        "section": office.a.pk,
        "responsible": [office.person.pk, office.colleague.pk],
        "description": "《关于做好防汛工作的通知》收文后未及时呈批，延误两个工作日。",
        "source": "inspection",
    }
    data.update(overrides)
    return data


def test_it_works(office):
    response = login(office.clerk).post("/incidents/new/", form_data(office))
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response.url == f"/incidents/{incident.number}/"
    assert incident.number == "2026-0001"
    assert incident.points == 2  # the clause's 较重 points, kept with the incident
    assert incident.clause_code == "YW-01"
    assert incident.reporter == office.clerk
    assert incident.status == "reported"
    assert {r.staff.name: r.section.code for r in incident.responsibilities.all()} == {
        "王建国": "MSK",
        "李秀英": "MSK",
    }
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.to_status) == ("create", office.clerk, "reported")


def test_numbers_count_up_per_year(office):
    client = login(office.clerk)
    client.post("/incidents/new/", form_data(office))
    client.post("/incidents/new/", form_data(office, occurred_on="2026-08-01"))
    client.post("/incidents/new/", form_data(office, occurred_on="2025-12-30"))
    assert sorted(Incident.objects.values_list("number", flat=True)) == [
        "2025-0001",
        "2026-0001",
        "2026-0002",
    ]


def test_the_form_lists_clauses_with_their_kind_and_points(office):
    content = login(office.clerk).get("/incidents/new/").content.decode()
    assert 'data-kind="delay" data-minor="1.0" data-serious="2.0" data-grave="4.0"' in content
    assert "YW-01" in content and "SW-01" in content


def test_the_form_puts_the_sections_staff_first(office):
    content = login(office.clerk).get("/incidents/new/").content.decode()
    assert content.index("赵志强") > content.index("王建国")  # before any section is chosen
    response = login(office.clerk).post(
        "/incidents/new/", form_data(office, section=office.b.pk, description="")
    )
    content = response.content.decode()
    assert content.index("赵志强") < content.index("王建国")


@pytest.mark.calendar
def test_it_refuses_a_future_date(office):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(office.clerk).post(
        "/incidents/new/", form_data(office, occurred_on=tomorrow.isoformat())
    )
    assert response.status_code == 200
    assert "发生日期不能晚于今天" in response.content.decode()
    assert not Incident.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"standard": "SW-01"}, "选择一个有效的选项"),
        ({"occurred_on": "2026-02-30"}, "输入一个有效的日期"),
        ({"occurred_on": "明天"}, "输入一个有效的日期"),
        ({"kind": "lateness"}, "选择一个有效的选项"),
        ({"severity": ""}, "这个字段是必填项"),
        ({"responsible": []}, "请至少选择一名责任人"),
        ({"responsible": ["999999"]}, "选择一个有效的选项"),
        ({"responsible": ["abc"]}, "不是"),
        ({"description": "   "}, "请填写情况描述"),
        ({"section": "999"}, "选择一个有效的选项"),
    ],
)
def test_it_refuses_bad_input_and_changes_nothing(office, overrides, message):
    response = login(office.clerk).post("/incidents/new/", form_data(office, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Incident.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_clause_of_another_kind(office):
    response = login(office.clerk).post(
        "/incidents/new/", form_data(office, standard=office.slip.pk)
    )
    assert "条款SW-01不属于所选类别" in response.content.decode()
    assert not Incident.objects.exists()


def test_it_refuses_a_section_not_assigned_to_the_clerk(office):
    response = login(office.clerk).post("/incidents/new/", form_data(office, section=office.b.pk))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Incident.objects.exists()


def test_it_refuses_an_inactive_clause(office):
    office.delay.active = False
    office.delay.save()
    login(office.clerk).post("/incidents/new/", form_data(office))
    assert not Incident.objects.exists()


def test_a_clerk_without_sections_is_told_why(office):
    office.a.clerks.remove(office.clerk)
    response = login(office.clerk).get("/incidents/new/", follow=True)
    assert "您尚未被指定为任何科室的登记员" in response.content.decode()


def test_the_reporter_corrects_a_reported_entry_with_a_reason(office, incident_a):
    response = login(office.clerk).post(
        f"/incidents/{incident_a.number}/edit/",
        form_data(
            office, severity="grave", responsible=[office.person.pk], reason="核实后改为严重。"
        ),
    )
    assert response.status_code == 302
    incident_a.refresh_from_db()
    assert (incident_a.severity, incident_a.points) == ("grave", 4)
    event = AuditEvent.objects.filter(action="correct").get()
    assert event.reason == "核实后改为严重。"
    assert event.changes["severity"] == ["minor", "grave"]
    assert event.changes["points"] == ["1.0", "4.0"]


def test_a_correction_needs_a_reason(office, incident_a):
    response = login(office.clerk).post(
        f"/incidents/{incident_a.number}/edit/", form_data(office, reason="")
    )
    assert "请填写更正理由" in response.content.decode()
    incident_a.refresh_from_db()
    assert incident_a.severity == "minor"
    assert not AuditEvent.objects.filter(action="correct").exists()


def test_a_verified_entry_cannot_be_corrected(office, incident_a):
    from efficiency.services import incidents as services

    services.incident_verify(actor=office.supervisor, incident=incident_a)
    response = login(office.clerk).post(
        f"/incidents/{incident_a.number}/edit/",
        form_data(office, reason="改一下"),
        follow=True,
    )
    assert "只有尚处于“已登记”状态的事件才能更正" in response.content.decode()
    incident_a.refresh_from_db()
    assert incident_a.severity == "minor"


@pytest.mark.parametrize(
    "query",
    [
        "quarter=2026Q9",
        "quarter=abc",
        "section=abc",
        "section=99999",
        "kind=x",
        "status=gone",
        "sort=password",
        "page=abc",
        "page=-1",
        "page=99999",
        "q=" + "长" * 200,
    ],
)
def test_the_list_survives_bad_query_strings(office, incident_a, query):
    response = login(office.supervisor).get(f"/incidents/?{query}")
    assert response.status_code == 200


def test_the_list_filters(office, incident_a, incident_b):
    client = login(office.supervisor)
    content = client.get(f"/incidents/?section={office.a.pk}").content.decode()
    assert incident_a.number in content and incident_b.number not in content
    content = client.get("/incidents/?kind=slip").content.decode()
    assert incident_b.number in content and incident_a.number not in content
    content = client.get("/incidents/?q=001001").content.decode()
    assert incident_a.number in content and incident_b.number not in content
    content = client.get("/incidents/?q=王建国").content.decode()
    assert incident_a.number in content and incident_b.number not in content
    content = client.get("/incidents/?quarter=2026Q3").content.decode()
    assert incident_a.number in content
    content = client.get("/incidents/?quarter=2026Q1").content.decode()
    assert incident_a.number not in content
    content = client.get("/incidents/?quarter=abc").content.decode()
    assert "部分筛选条件无效" in content


def test_the_list_paginates(office):
    from .factories import report

    for day in range(1, 26):
        report(
            office.clerk,
            section=office.a,
            responsible=[office.person],
            standard=office.delay,
            occurred_on=datetime.date(2026, 5, day),
        )
    client = login(office.supervisor)
    first = client.get("/incidents/").content.decode()
    second = client.get("/incidents/?page=2").content.decode()
    assert "2026-0025" in first and "2026-0025" not in second
    assert "2026-0001" in second and "2026-0001" not in first


def test_naming_someone_outside_the_clerks_sections_needs_a_confirmation(office):
    client = login(office.clerk)
    form = client.get("/incidents/new/").content.decode()
    # The picker marks, before anything is sent, who is not in the clerk's sections.
    outside = '<span class="badge outside-badge">非本人负责科室</span>'
    assert f'赵志强（002001） <span class="text-muted small">综合科</span> {outside}' in form
    assert '王建国（001001） <span class="text-muted small">秘书科</span></label>' in form

    data = form_data(office, responsible=[office.person.pk, office.other_person.pk])
    response = client.post("/incidents/new/", data)
    assert response.status_code == 200
    assert not Incident.objects.exists()
    page = response.content.decode()
    assert (
        "赵志强（综合科）不在您负责登记的科室。如确属其责任，请勾选下方确认框后再次提交。" in page
    )
    assert 'id="outside-warning"' in page

    response = client.post("/incidents/new/", {**data, "outside_confirmed": "on"})
    assert response.status_code == 302
    names = {r.staff.name for r in Incident.objects.get().responsibilities.all()}
    assert names == {"王建国", "赵志强"}
