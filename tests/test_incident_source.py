"""How an incident came to light (来源): on the form, the pages, the history and the sheet."""

import pytest
from django.utils import translation

from efficiency.excel import exports
from efficiency.models import AuditEvent, Incident

from .conftest import login
from .excel_samples import openpyxl_xlsx
from .factories import report
from .test_excel_incidents import HEADER, problems, run

FORM = {
    "kind": "delay",
    "severity": "minor",
    "occurred_on": "2026-07-02",
    "description": "收文后未及时呈批，延误两个工作日。",
}


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def form(office, **extra):
    return {
        **FORM,
        "standard": office.delay.pk,
        "section": office.a.pk,
        "responsible": [office.person.pk],
        **extra,
    }


def test_an_incident_without_a_source_is_other(office, incident_a):
    assert incident_a.source == "other"


def test_the_form_asks_for_the_source(office):
    client = login(office.clerk)
    page = client.post("/incidents/new/", form(office))
    assert page.status_code == 200
    assert "请选择事件的来源。" in page.content.decode()
    assert not Incident.objects.exists()
    response = client.post("/incidents/new/", form(office, source="complaint"), follow=True)
    incident = Incident.objects.get()
    assert incident.source == "complaint"
    assert '<dd class="col-sm-9 incident-source">投诉</dd>' in response.content.decode()
    created = incident_history_changes(incident)
    assert created["source"] == ["", "complaint"]


def incident_history_changes(incident):
    return AuditEvent.objects.filter(object_id=str(incident.pk), action="create").get().changes


def test_a_correction_may_change_the_source(office, incident_a):
    client = login(office.clerk)
    client.post(
        f"/incidents/{incident_a.number}/edit/",
        form(office, source="self_check", reason="来源登记错误，实为科室自查发现"),
    )
    incident_a.refresh_from_db()
    assert incident_a.source == "self_check"
    page = client.get(f"/incidents/{incident_a.number}/").content.decode()
    assert "来源" in page and "自查" in page


def test_the_list_filters_and_shows_the_source(office):
    complaint = report(
        office.clerk, section=office.a, responsible=[office.person], standard=office.delay
    )
    Incident.objects.filter(pk=complaint.pk).update(source="complaint")
    other = report(
        office.clerk, section=office.a, responsible=[office.person], standard=office.slip
    )
    page = login(office.supervisor).get("/incidents/?source=complaint").content.decode()
    assert complaint.number in page and other.number not in page
    assert '<th scope="col">来源</th>' in page
    assert "全部来源" in page


def sheet(*rows):
    """The 三误事件 sheet with a 来源 column: (编号, 情况描述, 来源) for each row."""
    return openpyxl_xlsx(
        [
            [*HEADER, "不予认定理由", "来源"],
            *(
                [number, "2026-07-01", "延误", "YW-01", "一般", "秘书科", "001001", text]
                + [None, None, None, source]
                for number, text, source in rows
            ),
        ]
    )


def test_the_sheet_reads_the_source_blank_meaning_other(tmp_path, office):
    data = sheet((None, "文件积压。", "投诉"), (None, "文件积压两天。", None))
    result = run(tmp_path, data, office.supervisor)
    assert result.ok, problems(result)
    assert list(Incident.objects.order_by("number").values_list("source", flat=True)) == [
        "complaint",
        "other",
    ]


def test_an_unknown_source_is_an_error_in_its_row(tmp_path, office):
    result = run(tmp_path, sheet((None, "文件积压。", "电话")), office.supervisor)
    assert problems(result) == [
        "第 2 行「来源」：“电话” 不在可选值之内：督查、投诉、领导交办、自查、其他"
    ]
    assert not Incident.objects.exists()


def test_the_export_carries_the_source_and_reimports_unchanged(tmp_path, office, incident_a):
    Incident.objects.filter(pk=incident_a.pk).update(source="inspection")
    name, data = exports.export("incidents", user=office.supervisor)
    result = run(tmp_path, data, office.supervisor, name=name)
    assert result.ok, problems(result)
    assert result.counts["unchanged"] == 1
    # A recorded incident's source cannot be changed by a file.
    changed = sheet((incident_a.number, incident_a.description, "自查"))
    result = run(tmp_path, changed, office.supervisor, name="改.xlsx")
    assert problems(result) == [
        "第 2 行「来源」：与已登记的事件 2026-0001 不同（系统中为“督查”）；"
        "已登记事件的更正须在事件页面填写理由后进行"
    ]
    assert Incident.objects.get().source == "inspection"
