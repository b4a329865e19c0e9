"""更正 after lock: the rules of recording one, its history, and where it shows and counts.

The stored result of a locked quarter never changes; a correction is a record beside it that
the ranking, the score card and the annual roll-up show, and the roll-up counts.
"""

import datetime
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest

from efficiency import results
from efficiency.models import AuditEvent, Correction, Period, StaffStanding
from efficiency.models.audit import AuditAction
from efficiency.models.standing import StandingKind, StandingReason
from efficiency.scoring import Grade
from efficiency.services import ServiceError, corrections
from efficiency.services import appraisal as services
from efficiency.services import incidents as incident_services

from .conftest import login
from .factories import report

CODES = ("duty", "performance", "service")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
NO_RIGHT = "您没有执行此操作的权限。"


def mark(period, assessor, *, value, staff):
    for code in CODES:
        services.score_save(
            assessor=assessor, period=period, criterion_code=code, value=value, staff=staff
        )


@pytest.fixture
def appeal(office):
    """An incident against the person in 2026Q3, handled; appealed and upheld after the lock."""
    incident = report(
        office.clerk,
        section=office.a,
        responsible=[office.person],
        standard=office.slip,
        occurred_on=datetime.date(2026, 8, 3),
    )
    incident_services.incident_verify(actor=office.supervisor, incident=incident)
    incident_services.incident_handle(
        actor=office.supervisor, incident=incident, decision="reminder_talk", note="谈话提醒"
    )
    return incident


@pytest.fixture
def locked(office, appeal):
    period = services.period_open(actor=office.leader, code="2026Q3")
    mark(period, office.assessor, value="90", staff=office.person)
    mark(period, office.assessor, value="85", staff=office.colleague)
    mark(period, office.assessor, value="70", staff=office.other_person)
    services.period_close(actor=office.leader, period=period)
    period = services.period_lock(actor=office.leader, period=period)
    incident_services.incident_appeal(actor=office.named, incident=appeal, text="当天在外出差")
    incident_services.incident_decide_appeal(
        actor=office.supervisor, incident=appeal, uphold=True, reason="出差属实，撤销认定"
    )
    return Period.objects.get(pk=period.pk)


def facts(office, appeal, **overrides):
    values = {
        "corrected_final": "90",
        "corrected_grade": "good",
        "what": "扣分所依据的事件经申诉撤销",
        "why": "申诉成立，恢复扣除的分数",
        "incident": appeal,
        "reference": "",
    }
    values.update(overrides)
    return values


def record(office, period, appeal, **overrides):
    return corrections.correction_record(
        actor=office.leader,
        period=period,
        staff=office.person,
        **facts(office, appeal, **overrides),
    )


def test_the_locked_result_is_as_the_fixture_says(locked):
    row = results.ranking(locked).row("001001")
    assert row.result.final == Decimal("88.00")  # 90 − 2 for the slip, frozen at lock
    assert row.correction is None


def test_it_records_a_correction_beside_the_stored_result(office, locked, appeal):
    before = results.ranking(locked).row("001001").result
    correction = record(office, locked, appeal)
    assert correction.original_final == Decimal("88.00")
    assert correction.original_grade == before.grade.value
    assert correction.corrected_final == Decimal("90.00")
    row = results.ranking(locked).row("001001")
    assert row.result == before  # the stored result is untouched
    assert row.correction.final == Decimal("90.00")
    assert row.correction.grade == Grade.GOOD
    assert row.counted_grade == Grade.GOOD
    assert row.correction.basis == appeal.number


def test_the_sentence_names_both_results_the_date_and_the_basis(office, locked, appeal):
    record(office, locked, appeal, corrected_grade="fairly_good", corrected_final="89.5")
    row = results.ranking(locked).row("001001")
    original = row.result.grade.label
    assert row.correction.text == (
        f"更正：最终得分 88.00 → 89.50，等次 {original} → 较好"
        f"（2026年11月20日，依据{appeal.number}）"
    )


def test_it_records_history(office, locked, appeal):
    correction = record(office, locked, appeal)
    event = AuditEvent.objects.get(
        object_id=str(correction.pk), action=AuditAction.CORRECTION_RECORD
    )
    assert event.actor == office.leader
    assert event.reason == "申诉成立，恢复扣除的分数"
    assert event.changes["corrected_final"] == ["", "90.00"]
    assert event.changes["original_final"] == ["", "88.00"]


def test_a_later_correction_supersedes_and_a_withdrawal_restores(office, locked, appeal):
    first = record(office, locked, appeal)
    second = record(office, locked, appeal, corrected_final="89", corrected_grade="fairly_good")
    row = results.ranking(locked).row("001001")
    assert row.correction.pk == second.pk
    event = AuditEvent.objects.get(object_id=str(second.pk), action=AuditAction.CORRECTION_RECORD)
    assert event.changes["supersedes"] == ["", str(first.pk)]
    corrections.correction_withdraw(actor=office.leader, correction=second, reason="数字录错了")
    assert results.ranking(locked).row("001001").correction.pk == first.pk
    corrections.correction_withdraw(actor=office.leader, correction=first, reason="申诉另案处理")
    assert results.ranking(locked).row("001001").correction is None
    assert AuditEvent.objects.filter(action=AuditAction.CORRECTION_WITHDRAW).count() == 2


def test_a_withdrawal_needs_a_reason(office, locked, appeal):
    correction = record(office, locked, appeal)
    with pytest.raises(ServiceError, match="^请填写撤销更正的理由。$"):
        corrections.correction_withdraw(actor=office.leader, correction=correction, reason=" ")
    assert not Correction.objects.get(pk=correction.pk).withdrawn


def refusal(office, period, appeal, *, actor=None, staff=None, **overrides) -> str:
    with pytest.raises(ServiceError) as caught:
        corrections.correction_record(
            actor=actor or office.leader,
            period=period,
            staff=staff or office.person,
            **facts(office, appeal, **overrides),
        )
    assert not Correction.objects.exists()
    return caught.value.message


def test_it_refuses_a_period_not_locked(office, appeal):
    period = services.period_open(actor=office.leader, code="2026Q3")
    mark(period, office.assessor, value="90", staff=office.person)
    assert refusal(office, period, appeal) == (
        "2026年第3季度未锁定，结果仍可按常规程序修改；更正只用于已锁定的季度。"
    )


def test_it_refuses_others_than_leaders(office, locked, appeal):
    for actor in (office.supervisor, office.assessor, office.named, office.administrator):
        assert refusal(office, locked, appeal, actor=actor) == NO_RIGHT


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"corrected_final": ""}, "更正后的最终得分"),
        ({"corrected_final": "abc"}, "“abc”"),
        ({"corrected_final": "100.5"}, "更正后的最终得分须在0至100之间。"),
        ({"corrected_final": "-1"}, "更正后的最终得分须在0至100之间。"),
        ({"corrected_final": "88.123"}, "两位小数"),
        ({"corrected_grade": "excellent"}, "等次"),
        ({"what": ""}, "请写明锁定结果错在哪里。"),
        ({"why": "。。。。"}, "至少"),
        ({"incident": None, "reference": ""}, "复核"),
        ({"corrected_final": "88", "corrected_grade": "__same__"}, "不会有任何变化"),
    ],
)
def test_it_refuses_bad_input(office, locked, appeal, overrides, expected):
    if overrides.get("corrected_grade") == "__same__":
        overrides["corrected_grade"] = results.ranking(locked).row("001001").result.grade.value
    assert expected in refusal(office, locked, appeal, **overrides)


def test_it_refuses_an_incident_that_is_not_the_persons_upheld_appeal(office, locked, appeal):
    other = report(
        office.clerk_b,
        section=office.b,
        responsible=[office.other_person],
        standard=office.slip,
        occurred_on=datetime.date(2026, 10, 9),
    )
    assert other.number in refusal(office, locked, appeal, incident=other)


def test_it_refuses_someone_without_a_result(office, locked, appeal):
    message = refusal(office, locked, appeal, staff=office.head.staff)
    assert "没有" in message and office.head.staff.name in message


def test_it_takes_a_written_reference_instead_of_an_appeal(office, locked, appeal):
    correction = record(office, locked, appeal, incident=None, reference="县效考复〔2026〕3号")
    assert results.ranking(locked).row("001001").correction.basis == "县效考复〔2026〕3号"
    assert correction.incident is None


def test_it_refuses_someone_not_appraised_in_the_quarter(office, appeal):
    period = services.period_open(actor=office.leader, code="2026Q3")
    mark(period, office.assessor, value="90", staff=office.person)
    mark(period, office.assessor, value="80", staff=office.colleague)
    # Set directly: the standing service has rules of its own (who, when) not tested here.
    StaffStanding.objects.create(
        staff=office.colleague,
        year=2026,
        quarter=3,
        standing=StandingKind.ABSENT,
        reason=StandingReason.SECONDED,
        note="借调县委办",
        set_by=office.leader,
        set_at=datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC),
    )
    services.period_close(actor=office.leader, period=period)
    period = services.period_lock(actor=office.leader, period=period)
    assert "不参加考核" in refusal(office, period, appeal, staff=office.colleague)


# --- the annual roll-up -------------------------------------------------------------------


def test_the_annual_roll_up_counts_the_corrected_final_and_grade(office, locked, appeal):
    before = {row.facts.key: row for row in results.annual_rollup(2026).rows}["001001"]
    assert before.result.score == Decimal("88.00")
    record(office, locked, appeal, corrected_final="95", corrected_grade="good")
    after = {row.facts.key: row for row in results.annual_rollup(2026).rows}["001001"]
    assert after.result.score == Decimal("95.00")
    assert after.quarters["2026Q3"].correction.final == Decimal("95.00")
    assert after.quarters["2026Q3"].result.final == Decimal("88.00")


# --- pages --------------------------------------------------------------------------------


def test_the_pages_show_the_correction_beside_the_original(office, locked, appeal):
    record(office, locked, appeal, corrected_final="95", corrected_grade="good")
    sentence = results.ranking(locked).row("001001").correction.text
    client = login(office.leader)
    for url in ("/appraisal/2026Q3/ranking/", "/appraisal/2026Q3/card/001001/"):
        body = client.get(url).content.decode()
        assert sentence in body, url
    annual = client.get("/appraisal/annual/2026/").content.decode()
    assert "第3季度已更正，汇总按更正计算。" in annual
    assert sentence in annual
    own = login(office.named).get("/appraisal/2026Q3/card/001001/").content.decode()
    assert sentence in own and "扣分所依据的事件经申诉撤销" in own


def test_the_form_confirms_then_records(office, locked, appeal):
    client = login(office.leader)
    url = "/appraisal/2026Q3/corrections/001001/new/"
    assert client.get(url).status_code == 200
    data = {
        "corrected_final": "95",
        "corrected_grade": "good",
        "what": "扣分所依据的事件经申诉撤销",
        "why": "申诉成立，恢复扣除的分数",
        "incident": str(appeal.pk),
        "reference": "",
    }
    page = client.post(url, data).content.decode()
    assert "年度汇总" in page and "88.00 → 95.00" in page
    assert not Correction.objects.exists()
    response = client.post(url, {**data, "confirmed": "1"})
    assert response.status_code == 302
    assert Correction.objects.get().corrected_final == Decimal("95.00")
    listing = client.get("/appraisal/2026Q3/corrections/?q=王建国").content.decode()
    assert "95.00" in listing


def test_the_form_says_what_is_wrong_and_changes_nothing(office, locked, appeal):
    response = login(office.leader).post(
        "/appraisal/2026Q3/corrections/001001/new/",
        {
            "corrected_final": "101",
            "corrected_grade": "good",
            "what": "扣分有误的情况",
            "why": "申诉成立的缘故",
            "incident": "",
            "reference": "复核决定1号",
        },
    )
    assert response.status_code == 400
    assert "更正后的最终得分须在0至100之间。" in response.content.decode()
    assert not Correction.objects.exists()


@pytest.mark.parametrize("who", ["supervisor", "assessor", "named", "administrator", "clerk"])
def test_others_get_403(office, locked, who):
    client = login(getattr(office, who))
    assert client.get("/appraisal/2026Q3/corrections/").status_code == 403
    assert client.get("/appraisal/2026Q3/corrections/001001/new/").status_code == 403


# --- paper: the Excel ranking, the bulletin and the personal form ---------------------------


def test_the_excel_ranking_keeps_the_stored_final_and_notes_the_correction(office, locked, appeal):
    from openpyxl import load_workbook

    from efficiency.excel import exports

    record(office, locked, appeal, corrected_final="95", corrected_grade="good")
    sentence = results.ranking(locked).row("001001").correction.text
    _name, data = exports.export("rankings", user=office.leader, period="2026Q3")
    sheet = load_workbook(io.BytesIO(data))["个人排名"]
    row = next(
        r for r in range(4, sheet.max_row + 1) if sheet.cell(row=r, column=2).value == "001001"
    )
    assert Decimal(str(sheet.cell(row=row, column=10).value)) == Decimal("88.00")
    assert sentence in sheet.cell(row=row, column=12).value


def test_the_bulletin_and_the_personal_form_print_the_correction(office, locked, appeal, tmp_path):
    from efficiency.reports import documents

    from .report_support import pdf_text, squeeze

    record(office, locked, appeal, corrected_final="95", corrected_grade="good")
    # The sentence wraps inside a table cell: pdftotext -layout interleaves the other cells.
    start, end = "更正：最终得分88.00→", "95.00，等次较好→好（2026年11月20日，依据2026-0001）"
    bulletin = squeeze(pdf_text(documents.bulletin(locked).content, tmp_path))
    assert start in bulletin and end in bulletin
    personal_pdf = documents.personal(locked, office.person).content
    if os.environ.get("SCREENSHOTS"):  # for a person to look at
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "corrections-personal.pdf").write_bytes(personal_pdf)
        (ARTIFACTS / "corrections-bulletin.pdf").write_bytes(documents.bulletin(locked).content)
    personal = squeeze(pdf_text(personal_pdf, tmp_path))
    # Printed twice: in the form's decision box and under the result.
    assert personal.count("更正：最终得分88.00→95.00，等次较好→好（2026年11月20日，依据") == 2
    assert start + end in personal


def test_the_form_of_a_quarter_not_locked_sends_back_to_the_ranking(office, appeal):
    period = services.period_open(actor=office.leader, code="2026Q3")
    mark(period, office.assessor, value="90", staff=office.person)
    client = login(office.leader)
    response = client.get("/appraisal/2026Q3/corrections/001001/new/", follow=True)
    assert response.redirect_chain == [("/appraisal/2026Q3/ranking/", 302)]
    assert "2026年第3季度未锁定，结果仍可按常规程序修改；更正只用于已锁定的季度。" in (
        response.content.decode()
    )


def test_the_list_leads_to_the_form_of_a_person(office, locked):
    client = login(office.leader)
    page = client.get("/appraisal/2026Q3/corrections/").content.decode()
    assert '<option value="001001">王建国</option>' in page
    response = client.get("/appraisal/2026Q3/corrections/?staff=001001")
    assert response.url == "/appraisal/2026Q3/corrections/001001/new/"
    unknown = client.get("/appraisal/2026Q3/corrections/?staff=999999").content.decode()
    assert "没有工号为“999999”的人员。" in unknown


def test_the_withdrawal_page_asks_for_a_reason_then_withdraws(office, locked, appeal):
    correction = record(office, locked, appeal)
    client = login(office.leader)
    url = f"/appraisal/corrections/{correction.pk}/withdraw/"
    asked = client.post(url).content.decode()
    assert "撤销王建国在2026年第3季度的更正？" in asked
    refused = client.post(url, {"confirmed": "1", "reason": ""})
    assert refused.status_code == 400
    assert "请填写撤销更正的理由。" in refused.content.decode()
    assert not Correction.objects.get().withdrawn
    done = client.post(url, {"confirmed": "1", "reason": "登记错了季度"})
    assert done.url == "/appraisal/2026Q3/corrections/"
    assert Correction.objects.get().withdrawn_reason == "登记错了季度"
