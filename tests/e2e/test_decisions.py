"""A leader opens a quarter, sees it was the wrong one and withdraws the opening; a
supervisor upholds an appeal in part. Every step is confirmed on a page that says what
will happen, in Chromium."""

import pytest

from efficiency.models import AuditEvent, Incident, Period, PeriodState
from efficiency.models.audit import AuditAction
from efficiency.services import incidents as services

from ..factories import ensure_default_criteria, report
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def criteria(office):
    ensure_default_criteria()


def test_a_quarter_opened_by_mistake_is_withdrawn(page, office, criteria):
    log_in(page, "leader")
    page.goto("/appraisal/")
    page.get_by_label("季度", exact=True).fill("2026Q2")
    page.get_by_role("button", name="开启", exact=True).click()
    page.get_by_text("开启后，考评人员即可对2026年第2季度评分。").wait_for()
    assert not Period.objects.exists()
    page.get_by_role("button", name="开启", exact=True).click()
    page.get_by_text("考核期2026Q2已开启，可以开始评分。").wait_for()

    page.locator("#withdraw-2026Q2").fill("应开启第三季度，误选了第二季度。")
    page.get_by_role("button", name="撤销开启").click()
    page.get_by_text("2026年第2季度回到“草稿”状态").wait_for()
    assert Period.objects.get().state == PeriodState.OPEN
    page.get_by_role("button", name="撤销开启").click()
    page.get_by_text("考核期2026Q2已撤销开启，恢复为草稿。").wait_for()
    period = Period.objects.get()
    assert period.state == PeriodState.DRAFT
    assert AuditEvent.objects.filter(
        object_id=str(period.pk), action=AuditAction.PERIOD_WITHDRAW
    ).exists()


def test_an_appeal_is_upheld_in_part(page, office):
    incident = report(
        office.clerk, section=office.a, responsible=[office.person], standard=office.delay
    )
    services.incident_verify(actor=office.supervisor, incident=incident)
    services.incident_handle(
        actor=office.supervisor, incident=incident, decision="circulated_criticism", note=""
    )
    services.incident_appeal(actor=office.named, incident=incident, text="初次发生，处理过重。")

    log_in(page, "supervisor")
    page.goto(f"/incidents/{incident.number}/")
    page.get_by_text("申诉部分成立：维持认定，改为较轻的处理").click()
    page.get_by_label("较轻的处理决定").select_option(label="批评教育")
    page.get_by_label("理由", exact=True).fill("初次发生，情节较轻，改为批评教育。")
    page.get_by_role("button", name="作出申诉决定").click()
    page.get_by_text("处理决定由“通报批评”改为较轻的“批评教育”").wait_for()
    page.get_by_role("button", name="作出申诉决定").click()
    page.get_by_text(f"事件{incident.number}的申诉已作出决定").wait_for()
    assert "申诉部分成立：改为较轻的处理" in page.locator("ol.history").inner_text()
    incident = Incident.objects.get()
    assert (incident.status, incident.handling_decision) == ("handled", "criticism")
