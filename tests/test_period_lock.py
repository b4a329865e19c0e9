"""After locking, nothing about a period changes by any route, and each route is refused.

Routes: the pages (score entry, grade decision, the period actions), the admin, the command
line, the services, and the database itself (triggers). Also: a locked period's ranking
ignores later incident decisions, while an open period's ranking follows them at once.
"""

import datetime
import json

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction

from efficiency import results
from efficiency.models import (
    GradeReview,
    Period,
    PeriodCriterion,
    PeriodState,
    Score,
)
from efficiency.services import ServiceError, reviews
from efficiency.services import appraisal as services
from efficiency.services import incidents as incident_services

from .conftest import login
from .factories import report

CODES = ("duty", "performance", "service")
LOCKED_MESSAGE = "考核期2026Q3已锁定，不能再作任何修改。"
NOT_OPEN_MESSAGE = "考核期2026Q3未开放评分，分数不能修改。"


def mark(period, assessor, *, value, staff=None, section=None):
    for code in CODES:
        services.score_save(
            assessor=assessor,
            period=period,
            criterion_code=code,
            value=value,
            staff=staff,
            section=section,
        )


def q3_incident(office, staff, day: int, **fields):
    return report(
        office.clerk,
        section=office.a,
        responsible=[staff],
        standard=office.slip,
        occurred_on=datetime.date(2026, 8, day),
        **fields,
    )


def handled(office, incident):
    incident_services.incident_verify(actor=office.supervisor, incident=incident)
    return incident_services.incident_handle(
        actor=office.supervisor, incident=incident, decision="reminder_talk", note="谈话提醒"
    )


@pytest.fixture
def scored(office):
    """2026Q3, open, with marks for two people and a section and one grade decision."""
    period = services.period_open(actor=office.leader, code="2026Q3")
    mark(period, office.assessor, value="88", staff=office.person)
    mark(period, office.leader, value="92", staff=office.person)
    mark(period, office.assessor, value="80", staff=office.colleague)
    mark(period, office.assessor, value="85", section=office.b)
    reviews.decide(
        actor=office.leader,
        period=period,
        staff=office.person,
        grade="fairly_good",
        reason="年中调岗，按较好评定",
    )
    return period


@pytest.fixture
def locked(office, scored):
    services.period_close(actor=office.leader, period=scored)
    return services.period_lock(actor=office.leader, period=scored)


def ranking_facts(period) -> tuple:
    period = Period.objects.get(pk=period.pk)
    staff = results.ranking(period, results.STAFF)
    sections = results.ranking(period, results.SECTION)
    return (
        staff.result,
        sections.result,
        [(row.facts, row.override and row.override.grade) for row in staff.rows],
        [row.facts for row in sections.rows],
    )


def everything(period) -> dict:
    """Every stored fact about the period, and the results computed from them."""
    return {
        "period": list(Period.objects.filter(pk=period.pk).values()),
        "criteria": list(PeriodCriterion.objects.filter(period=period).order_by("pk").values()),
        "scores": list(Score.objects.filter(period=period).order_by("pk").values()),
        "reviews": list(GradeReview.objects.filter(period=period).order_by("pk").values()),
        "results": ranking_facts(period),
    }


@pytest.fixture
def unchanged(locked):
    """Asserts at the end of the test that nothing about the locked period changed."""
    before = everything(locked)
    yield
    assert everything(locked) == before


def refusal_text(response) -> str:
    """What the person is told: the messages after a redirect, or the body of a 400."""
    if response.status_code == 302:
        return " ".join(str(m) for m in get_messages(response.wsgi_request))
    body = response.content.decode()
    try:
        return json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        return body


def test_the_fixture_is_really_locked(locked):
    assert locked.state == PeriodState.LOCKED
    assert Score.objects.filter(period=locked).count() == 12
    assert GradeReview.objects.filter(period=locked).count() == 1


# --- pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "subject,criterion,value,reason",
    [
        ("person", "duty", "50", "工作失职"),  # change a mark, with the reason it needs
        ("colleague", "service", "", ""),  # clear a mark
        ("b", "duty", "70", ""),  # a section's mark
    ],
)
def test_the_score_sheet_refuses_a_mark(
    office, locked, unchanged, subject, criterion, value, reason
):
    # The cell is exactly what the sheet sends for an open period; only the lock refuses it.
    target = getattr(office, subject)
    data = {
        "subject": "section" if subject == "b" else "staff",
        "id": str(target.pk),
        "criterion": criterion,
        "value": value,
        "reason": reason,
    }
    response = login(office.assessor).post("/appraisal/2026Q3/sheet/save/", data)
    assert response.status_code in (400, 302)
    assert NOT_OPEN_MESSAGE in refusal_text(response)


@pytest.mark.parametrize(
    "data",
    [
        {"grade": "good", "reason": "表现突出"},
        {"action": "clear", "reason": "撤销调整"},
    ],
)
def test_the_decision_page_refuses_a_decision(office, locked, unchanged, data):
    response = login(office.leader).post("/appraisal/2026Q3/decisions/001001/", data)
    assert response.status_code in (400, 302)
    assert LOCKED_MESSAGE in refusal_text(response)


@pytest.mark.parametrize(
    "action,message",
    [
        ("close", "考核期2026Q3当前为“已锁定”，须为“评分中”才能进行此操作。"),
        ("reopen", "考核期2026Q3已锁定，不能重新开启。"),
        ("lock", "考核期2026Q3当前为“已锁定”，须为“已关闭（公示中）”才能进行此操作。"),
    ],
)
def test_the_periods_page_refuses_every_action(office, locked, unchanged, action, message):
    response = login(office.leader).post(f"/appraisal/2026Q3/{action}/", {"reason": "再议"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [message]


def test_the_periods_page_refuses_to_open_it_again(office, locked, unchanged):
    response = login(office.administrator).post("/appraisal/open/", {"code": "2026Q3"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "考核期2026Q3当前为“已锁定”，须为“草稿”才能进行此操作。"
    ]


def test_the_periods_page_offers_no_action_on_it(office, locked):
    html = login(office.leader).get("/appraisal/").content.decode()
    for action in ("close", "reopen", "lock"):
        assert f"/appraisal/2026Q3/{action}/" not in html


# --- admin --------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="pw-for-tests-2026")


def admin_objects(period):
    score = Score.objects.filter(period=period).first()
    return {
        "period": (period.pk, {"code": "2026Q3", "year": "2026", "quarter": "3", "state": "open"}),
        "score": (score.pk, {"tenths": "500", "reason": "改分"}),
        "gradereview": (
            GradeReview.objects.get(period=period).pk,
            {"grade": "poor", "reason": "改等次"},
        ),
        "periodcriterion": (
            PeriodCriterion.objects.filter(period=period).first().pk,
            {"weight": "60", "name": "改名"},
        ),
    }


@pytest.mark.parametrize("model", ["period", "score", "gradereview", "periodcriterion"])
@pytest.mark.parametrize("who", ["superuser", "administrator"])
def test_the_admin_refuses_change_and_delete(request, office, locked, unchanged, model, who):
    user = request.getfixturevalue("superuser") if who == "superuser" else office.administrator
    client = login(user)
    pk, data = admin_objects(locked)[model]
    base = f"/admin/efficiency/{model}/"
    assert client.post(f"{base}{pk}/change/", data).status_code == 403
    assert client.post(f"{base}{pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"{base}add/", data).status_code == 403
    # The bulk delete action is not offered either.
    client.post(base, {"action": "delete_selected", "_selected_action": [pk], "post": "yes"})


def test_the_admin_shows_a_locked_period_read_only(superuser, locked):
    client = login(superuser)
    response = client.get(f"/admin/efficiency/period/{locked.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html
    assert "履行职责" in html
    assert "好≥90分，较好≥75分，一般≥60分；“好”等次不超过40%。" in html
    for model in ("score", "gradereview", "periodcriterion"):
        response = client.get(f"/admin/efficiency/{model}/?period__id__exact={locked.pk}")
        assert response.status_code == 200


# --- command line -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args,message",
    [
        (["reopen", "2026Q3", "--reason", "补评"], "考核期2026Q3已锁定，不能重新开启。"),
        (["close", "2026Q3"], "考核期2026Q3当前为“已锁定”，须为“评分中”才能进行此操作。"),
        (["open", "2026Q3"], "考核期2026Q3当前为“已锁定”，须为“草稿”才能进行此操作。"),
        (
            ["lock", "2026Q3"],
            "考核期2026Q3当前为“已锁定”，须为“已关闭（公示中）”才能进行此操作。",
        ),
    ],
)
def test_the_command_line_refuses(locked, unchanged, args, message):
    with pytest.raises(CommandError) as error:
        call_command("period", *args)
    assert str(error.value) == message
    assert error.value.returncode == 1


# --- services -----------------------------------------------------------------------------


def test_the_services_refuse(office, locked, unchanged):
    calls = [
        lambda: services.period_open(actor=office.leader, code="2026Q3"),
        lambda: services.period_close(actor=office.leader, period=locked),
        lambda: services.period_reopen(actor=office.leader, period=locked, reason="补评"),
        lambda: services.period_lock(actor=office.leader, period=locked),
        lambda: services.score_save(
            assessor=office.assessor,
            period=locked,
            criterion_code="duty",
            value="70",
            staff=office.person,
        ),
        lambda: services.score_save(
            assessor=office.assessor,
            period=locked,
            criterion_code="duty",
            value="",
            section=office.b,
        ),
        lambda: reviews.decide(
            actor=office.leader, period=locked, staff=office.person, grade="good", reason="x"
        ),
        lambda: reviews.withdraw_decision(
            actor=office.leader, period=locked, staff=office.person, reason="x"
        ),
    ]
    for call in calls:
        with pytest.raises(ServiceError):
            call()


def test_the_service_messages(office, locked, unchanged):
    with pytest.raises(ServiceError) as error:
        services.score_save(
            assessor=office.assessor,
            period=locked,
            criterion_code="duty",
            value="70",
            staff=office.person,
        )
    assert error.value.message == NOT_OPEN_MESSAGE
    with pytest.raises(ServiceError) as error:
        reviews.decide(
            actor=office.leader, period=locked, staff=office.person, grade="good", reason="x"
        )
    assert error.value.message == LOCKED_MESSAGE


# --- the database itself ------------------------------------------------------------------


TRIGGER_MESSAGE = "the appraisal period is locked"


def refused_by_the_database(write) -> None:
    """The write is refused by the lock triggers themselves, not by another constraint (a
    unique code, a protected foreign key) that would refuse it with the triggers gone."""
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        write()
    assert TRIGGER_MESSAGE in str(refused.value)


def test_the_database_refuses_marks(office, locked, unchanged):
    scores = Score.objects.filter(period=locked)
    criterion = PeriodCriterion.objects.get(period=locked, code="duty")
    one = scores.first()
    refused_by_the_database(lambda: scores.update(tenths=500))
    refused_by_the_database(lambda: scores.delete())
    refused_by_the_database(
        lambda: Score.objects.create(
            period=locked,
            criterion=criterion,
            assessor=office.administrator,
            staff=office.colleague,
            tenths=500,
        )
    )
    one.tenths = 100
    refused_by_the_database(lambda: one.save())
    refused_by_the_database(lambda: one.delete())


def test_the_database_refuses_grade_decisions(office, locked, unchanged):
    overrides = GradeReview.objects.filter(period=locked)
    refused_by_the_database(lambda: overrides.update(grade="poor"))
    refused_by_the_database(lambda: overrides.delete())
    refused_by_the_database(
        lambda: GradeReview.objects.create(
            period=locked,
            staff=office.colleague,
            grade="good",
            reason="x",
            decided_by=office.leader,
        )
    )


def test_the_database_refuses_period_criteria(locked, unchanged):
    criteria = PeriodCriterion.objects.filter(period=locked)
    refused_by_the_database(lambda: criteria.update(weight=50))
    refused_by_the_database(lambda: criteria.filter(code="service")._raw_delete(criteria.db))
    refused_by_the_database(
        lambda: PeriodCriterion.objects.create(period=locked, code="extra", name="附加", weight=10)
    )


def test_the_database_refuses_the_period(locked, unchanged):
    periods = Period.objects.filter(pk=locked.pk)
    refused_by_the_database(lambda: periods.update(state=PeriodState.OPEN))
    refused_by_the_database(lambda: periods.update(frozen=None))
    # A raw DELETE: the ORM's delete() would stop first at the protected foreign keys of the
    # marks (the empty period below shows the ORM's delete refused by the trigger).
    refused_by_the_database(lambda: periods._raw_delete(periods.db))
    period = Period.objects.get(pk=locked.pk)
    period.state = PeriodState.CLOSED
    refused_by_the_database(lambda: period.save())


def test_the_database_refuses_even_an_empty_locked_period(db):
    period = Period.objects.create(code="2025Q1", year=2025, quarter=1, state="locked")
    refused_by_the_database(lambda: Period.objects.filter(pk=period.pk).delete())
    refused_by_the_database(lambda: Period.objects.filter(pk=period.pk).update(state="draft"))
    assert Period.objects.get(pk=period.pk).state == PeriodState.LOCKED


def test_an_open_period_is_still_writable(office, scored):
    """The triggers guard locked periods only."""
    Score.objects.filter(period=scored, staff=office.colleague).update(tenths=810)
    assert Score.objects.filter(period=scored, tenths=810).count() == 3


# --- incidents after the lock -------------------------------------------------------------


def deductions(period, key="001001"):
    row = results.ranking(Period.objects.get(pk=period.pk)).row(key)
    return row.result.deductions_total, row.result.final


def section_deductions(period, key="MSK"):
    row = results.ranking(Period.objects.get(pk=period.pk), results.SECTION).row(key)
    return row.result.deductions_total


def test_a_locked_ranking_ignores_later_incident_decisions(office, scored):
    pending = q3_incident(office, office.person, 3)
    to_dismiss = q3_incident(office, office.person, 4)
    appealed = handled(office, q3_incident(office, office.person, 5))
    services.period_close(actor=office.leader, period=scored)
    services.period_lock(actor=office.leader, period=scored)
    before = ranking_facts(scored)
    # The handled incident (失误, 一般: 2 points) was established when the period was locked.
    assert deductions(scored)[0] == 2
    assert section_deductions(scored) == 2

    incident_services.incident_verify(actor=office.supervisor, incident=pending)
    assert ranking_facts(scored) == before
    incident_services.incident_dismiss(
        actor=office.supervisor, incident=to_dismiss, reason="经核实不属实。"
    )
    assert ranking_facts(scored) == before
    incident_services.incident_appeal(actor=office.named, incident=appealed, text="情况有误")
    incident_services.incident_decide_appeal(
        actor=office.supervisor, incident=appealed, uphold=True, reason="经核实申诉成立"
    )
    assert ranking_facts(scored) == before
    # A new incident dated in the locked quarter is refused outright.
    with pytest.raises(ServiceError) as refused:
        q3_incident(office, office.person, 20, severity="grave")
    assert refused.value.message == (
        "发生日期2026年8月20日属于已锁定的2026年第3季度，不能再登记该期的事件。"
    )
    assert ranking_facts(scored) == before
    assert deductions(scored)[0] == 2


def test_an_open_ranking_follows_incident_decisions_at_once(office, scored):
    pending = q3_incident(office, office.person, 3)
    to_dismiss = q3_incident(office, office.person, 4)
    appealed = handled(office, q3_incident(office, office.person, 5))
    total, final = deductions(scored)
    assert total == 2
    assert section_deductions(scored) == 2

    incident_services.incident_verify(actor=office.supervisor, incident=pending)
    assert deductions(scored) == (total + 2, final - 2)
    assert section_deductions(scored) == 4
    incident_services.incident_dismiss(
        actor=office.supervisor, incident=to_dismiss, reason="经核实不属实。"
    )
    assert deductions(scored) == (total + 2, final - 2)
    incident_services.incident_appeal(actor=office.named, incident=appealed, text="情况有误")
    incident_services.incident_decide_appeal(
        actor=office.supervisor, incident=appealed, uphold=True, reason="经核实申诉成立"
    )
    assert deductions(scored) == (total, final)
    assert section_deductions(scored) == 2


def test_a_closed_ranking_still_follows_incident_decisions(office, scored):
    """Closed is published for review, not frozen: only locking freezes the deductions."""
    services.period_close(actor=office.leader, period=scored)
    total, final = deductions(scored)
    incident_services.incident_verify(
        actor=office.supervisor, incident=q3_incident(office, office.person, 3)
    )
    assert deductions(scored) == (total + 2, final - 2)
