"""处分 and influence periods with the database: services and their history, the annual
roll-up's vetoes, and the pages."""

import datetime
import io
import re

import openpyxl
import pytest

from efficiency import results
from efficiency.excel import exports
from efficiency.models import AuditEvent, InfluenceMonths, Sanction
from efficiency.models.audit import AuditAction
from efficiency.reports import annual as annual_report
from efficiency.scoring import AnnualGrade
from efficiency.services import ServiceError
from efficiency.services import incidents as incident_services
from efficiency.services import sanctions as services

from .conftest import login
from .factories import report
from .report_support import pdf_text, quarter, squeeze

LI = "001002"  # 李秀英: top marks, 好 in every quarter, so 优秀 for the year without a veto


def record(office, kind="warning", dated=datetime.date(2026, 3, 2), staff=None, **kw):
    return services.sanction_record(
        actor=office.supervisor,
        staff=staff or office.colleague,
        kind=kind,
        dated=dated,
        document_number=kw.pop("document_number", "县办发〔2026〕3号"),
        **kw,
    )


def history(obj) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
    )


# --- services -------------------------------------------------------------------------------


def test_recording_a_sanction_is_in_the_history(office):
    sanction = record(office, note="  通报全办。 ")
    assert (sanction.kind, sanction.note, sanction.recorded_by) == (
        "warning",
        "通报全办。",
        office.supervisor,
    )
    assert sanction.ends_on == datetime.date(2026, 9, 2)
    [event] = history(sanction)
    assert event.action == AuditAction.CREATE and event.actor == office.supervisor
    assert event.changes["kind"] == ["", "warning"]
    assert event.changes["document_number"] == ["", "县办发〔2026〕3号"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "fine"}, "请从列表中选择处分种类。"),
        ({"dated": datetime.date(2026, 11, 21)}, "处分日期不能晚于今天。"),
        ({"dated": None}, "请填写处分日期。"),
        ({"document_number": "  "}, "请填写处分决定的文号。"),
        ({"document_number": "号" * 101}, "文号过长：不能超过100个字。"),
    ],
)
def test_bad_sanctions_are_refused_and_nothing_is_written(office, changes, message):
    data = {"kind": "warning", "dated": datetime.date(2026, 3, 2), "document_number": "3号"}
    data.update(changes)
    with pytest.raises(ServiceError) as caught:
        services.sanction_record(actor=office.supervisor, staff=office.colleague, **data)
    assert caught.value.message == message
    assert not Sanction.objects.exists() and not AuditEvent.objects.exists()


def test_only_a_supervisor_records_sanctions(office):
    for user in (office.leader, office.clerk, office.administrator):
        with pytest.raises(ServiceError):
            services.sanction_record(
                actor=user,
                staff=office.colleague,
                kind="warning",
                dated=datetime.date(2026, 3, 2),
                document_number="3号",
            )
    assert not Sanction.objects.exists()


def test_a_correction_needs_a_reason_and_records_the_change(office):
    sanction = record(office)
    args = {"kind": "demerit", "dated": sanction.dated, "document_number": "4号", "note": ""}
    with pytest.raises(ServiceError):
        services.sanction_correct(actor=office.supervisor, sanction=sanction, reason="", **args)
    services.sanction_correct(
        actor=office.supervisor, sanction=sanction, reason="文号和种类录错。", **args
    )
    sanction.refresh_from_db()
    assert (sanction.kind, sanction.document_number) == ("demerit", "4号")
    event = history(sanction)[-1]
    assert event.action == AuditAction.CORRECT and event.reason == "文号和种类录错。"
    assert event.changes == {
        "kind": ["warning", "demerit"],
        "document_number": ["县办发〔2026〕3号", "4号"],
    }


def test_a_withdrawal_needs_a_reason_and_then_nothing_changes_any_more(office):
    sanction = record(office)
    with pytest.raises(ServiceError) as caught:
        services.sanction_withdraw(actor=office.supervisor, sanction=sanction, reason="")
    assert caught.value.message == "请填写撤销理由。"
    services.sanction_withdraw(
        actor=office.supervisor, sanction=sanction, reason="处分决定已撤销。"
    )
    sanction.refresh_from_db()
    assert sanction.withdrawn and sanction.withdrawn_by == office.supervisor
    assert history(sanction)[-1].action == AuditAction.SANCTION_WITHDRAW
    with pytest.raises(ServiceError):
        services.sanction_withdraw(actor=office.supervisor, sanction=sanction, reason="再撤一次。")
    with pytest.raises(ServiceError):
        services.sanction_correct(
            actor=office.supervisor,
            sanction=sanction,
            kind="warning",
            dated=sanction.dated,
            document_number="5号",
            note="",
            reason="改文号。",
        )


def test_the_administrator_sets_the_months_with_history(office):
    assert InfluenceMonths.table()["admonition_talk"] == 6
    row = services.influence_months_set(
        actor=office.administrator, decision="admonition_talk", months=9
    )
    assert InfluenceMonths.table()["admonition_talk"] == 9
    [event] = history(row)
    assert event.action == AuditAction.CHANGE and event.changes == {"months": ["6", "9"]}
    for decision, months in (
        ("admonition_talk", 9),
        ("no_annual_award", 3),
        ("nonsense", 3),
        ("criticism", 121),
    ):
        with pytest.raises(ServiceError):
            services.influence_months_set(
                actor=office.administrator, decision=decision, months=months
            )
    with pytest.raises(ServiceError):
        services.influence_months_set(actor=office.supervisor, decision="criticism", months=1)


# --- the annual roll-up ---------------------------------------------------------------------


@pytest.fixture
def two_quarters(office):
    quarter(office, "2026Q2", incidents=False)
    quarter(office, "2026Q3", incidents=False)


def annual_row(key):
    rollup = results.annual_rollup(2026)
    return rollup, next(r for r in rollup.rows if r.facts.key == key)


def test_without_a_veto_she_is_excellent(two_quarters):
    _rollup, row = annual_row(LI)
    assert row.result.grade is AnnualGrade.EXCELLENT and row.result.vetoes == ()


def test_a_warning_in_the_year_makes_her_competent_and_says_why(office, two_quarters):
    record(office, dated=datetime.date(2026, 3, 2))
    _rollup, row = annual_row(LI)
    assert row.result.grade is AnnualGrade.COMPETENT
    page = login(office.leader).get("/appraisal/annual/2026/").content.decode()
    line = page.split(f">{LI}<", 1)[1].split("</tr>", 1)[0]
    assert "2026年3月受警告处分（县办发〔2026〕3号），本年度不得评为优秀" in line
    assert "grade-competent" in line


def test_a_withdrawn_warning_no_longer_counts(office, two_quarters):
    sanction = record(office)
    services.sanction_withdraw(actor=office.supervisor, sanction=sanction, reason="处分已撤销。")
    assert annual_row(LI)[1].result.grade is AnnualGrade.EXCELLENT


def test_a_demerit_running_into_next_year_leaves_the_year_undetermined(office, two_quarters):
    before, _row = annual_row(LI)
    record(office, kind="demerit", dated=datetime.date(2026, 2, 10))
    rollup, row = annual_row(LI)
    assert row.result.undetermined and row.result.grade is None and row.result.rank == 1
    assert row.grade_label == "不定等次"
    assert rollup.result.graded_count == before.result.graded_count - 1
    page = login(office.leader).get("/appraisal/annual/2026/").content.decode()
    line = page.split(f">{LI}<", 1)[1].split("</tr>", 1)[0]
    assert "不定等次" in line
    assert "2026年2月受记过处分（县办发〔2026〕3号），影响期至2027年2月10日，本年度不定等次" in line


def handled_2025_incident(office, decision):
    """An incident of 2025 naming 李秀英 (no quarter of 2026 loses points) handled today, then
    the two quarters (incidents are taken only from the first open quarter on)."""
    incident = report(
        office.clerk,
        section=office.a,
        responsible=[office.colleague],
        standard=office.delay,
        occurred_on=datetime.date(2025, 12, 1),
    )
    incident_services.incident_verify(actor=office.supervisor, incident=incident)
    incident_services.incident_handle(
        actor=office.supervisor, incident=incident, decision=decision, note="已处理。"
    )
    quarter(office, "2026Q2", incidents=False)
    quarter(office, "2026Q3", incidents=False)
    return incident


def test_a_disqualification_decided_this_year_still_bars_excellent(office):
    handled_2025_incident(office, "no_annual_award")
    _rollup, row = annual_row(LI)
    assert row.result.grade is AnnualGrade.COMPETENT
    notes = "；".join(results.wording.annual_notes(row.result))
    assert "2026年11月取消年度评优资格，影响期至2026年12月31日，本年度不得评为优秀" in notes


def test_an_admonition_talk_period_bars_excellent(office):
    incident = handled_2025_incident(office, "admonition_talk")
    _rollup, row = annual_row(LI)
    assert row.result.grade is AnnualGrade.COMPETENT
    notes = "；".join(results.wording.annual_notes(row.result))
    assert re.search(r"2026年11月诫勉谈话，影响期至2027年5月\d+日，本年度不得评为优秀", notes)
    page = login(office.supervisor).get(f"/incidents/{incident.number}/").content.decode()
    assert "影响期至2027-05-" in page
    # the administrator shortens 诫勉谈话 to none: the veto goes
    services.influence_months_set(actor=office.administrator, decision="admonition_talk", months=0)
    assert annual_row(LI)[1].result.grade is AnnualGrade.EXCELLENT


# --- pages ----------------------------------------------------------------------------------


def form(**changes):
    data = {
        "staff_no": LI,
        "kind": "warning",
        "dated": "2026-03-02",
        "document_number": "3号",
        "note": "",
    }
    data.update(changes)
    return data


def test_recording_asks_for_confirmation_first(office):
    client = login(office.supervisor)
    response = client.post("/sanctions/new/", form())
    assert response.status_code == 200
    page = response.content.decode()
    assert "确认登记李秀英的处分？" in page
    assert "李秀英将受“警告”处分，影响期自2026-03-02至2026-09-02。" in page
    assert not Sanction.objects.exists()
    response = client.post("/sanctions/new/", form(confirmed="1"))
    assert response.status_code == 302 and response.url == f"/people/{LI}/influence/"
    assert Sanction.objects.get().staff == office.colleague


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"staff_no": "999999"}, "没有工号为“999999”的人员。"),
        ({"dated": "2026-02-30"}, "请按 2026-03-15 的格式填写日期。"),
        ({"dated": "2026-12-01", "confirmed": "1"}, "处分日期不能晚于今天。"),
        ({"document_number": ""}, "这个字段是必填项。"),
    ],
)
def test_bad_input_is_explained_and_nothing_recorded(office, changes, message):
    response = login(office.supervisor).post("/sanctions/new/", form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Sanction.objects.exists()


def test_the_list_searches_and_hides_withdrawn(office):
    record(office, document_number="县办发〔2026〕3号")
    other = record(office, staff=office.other_person, document_number="县办发〔2026〕9号")
    services.sanction_withdraw(actor=office.supervisor, sanction=other, reason="处分已撤销。")
    client = login(office.leader)
    page = client.get("/sanctions/").content.decode()
    assert "李秀英" in page and "赵志强" not in page
    page = client.get("/sanctions/", {"withdrawn": "on", "q": "9号"}).content.decode()
    assert "赵志强" in page and "李秀英" not in page
    assert "登记处分" not in page  # a leader sees, does not record


def test_the_persons_page_lists_periods_and_the_years_veto(office):
    sanction = record(office)
    services.sanction_correct(
        actor=office.supervisor,
        sanction=sanction,
        kind="warning",
        dated=sanction.dated,
        document_number="县办发〔2026〕3号",
        note="已通报。",
        reason="补充备注内容。",
    )
    page = login(office.supervisor).get(f"/people/{LI}/influence/").content.decode()
    assert "2026-09-02" in page and "县办发〔2026〕3号" in page
    assert "2026年3月受警告处分（县办发〔2026〕3号），本年度不得评为优秀" in page
    assert "撤销" in page and "更正" in page
    history = page.split("处分操作记录", 1)[1]
    assert "理由：补充备注内容。" in history and "已通报。" in history


def test_the_months_page_saves_through_the_service(office):
    client = login(office.administrator)
    data = {
        "reminder_talk": "0",
        "criticism": "1",
        "written_self_criticism": "3",
        "circulated_criticism": "6",
        "admonition_talk": "6",
        "reassignment": "12",
    }
    assert client.post("/sanctions/months/", data).status_code == 302
    assert InfluenceMonths.table()["criticism"] == 1
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE).count() == 1
    response = client.post("/sanctions/months/", {**data, "criticism": "-1"})
    assert response.status_code == 400 and InfluenceMonths.table()["criticism"] == 1


def test_the_excel_and_the_pdf_say_why_too(office, two_quarters, tmp_path):
    record(office, dated=datetime.date(2026, 3, 2))
    record(office, kind="demerit", staff=office.other_person, dated=datetime.date(2026, 5, 2))
    name, data = exports.export("annual", user=office.leader, period="2026")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["年度考核"]
    header = [cell.value for cell in sheet[3]]
    grade, notes = header.index("等次") + 1, header.index("备注") + 1
    rows = {sheet.cell(row=r, column=2).value: r for r in range(4, sheet.max_row + 1)}
    li, zhao = rows[LI], rows["002001"]
    assert sheet.cell(row=li, column=grade).value == "称职"
    assert (
        "2026年3月受警告处分（县办发〔2026〕3号），本年度不得评为优秀"
        in sheet.cell(row=li, column=notes).value
    )
    assert sheet.cell(row=zhao, column=grade).value == "不定等次"
    text = squeeze(pdf_text(annual_report.annual(2026).content, tmp_path))
    # the remarks cell wraps: its lines are read between the row's other cells
    for piece in ("2026年3月受警告处分（县办发", "3号），本年度不得评为优秀", "不定等次"):
        assert squeeze(piece) in text
    assert squeeze("本年度不定等次") in text
