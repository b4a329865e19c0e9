"""The periods page (/appraisal/): who sees what, and opening, closing, reopening, locking."""

from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from efficiency.models import AuditEvent, Criterion, Period, PeriodCriterion, PeriodState
from efficiency.models.audit import AuditAction
from efficiency.quarters import Quarter
from efficiency.services import appraisal as services

from .conftest import PERSONAS, login

OPENERS = {"leader", "administrator"}
CONFIRMED = {"confirmed": "1"}
REASON_RULE = "理由须写明具体情况：至少4个字，不能只是数字、标点或同一个字重复。"
CLOSERS = {"leader"}


def messages_of(response) -> list[str]:
    """The messages shown on the page the action redirects to (and so used up)."""
    assert response.status_code == 302
    page = response.client.get(response.url)
    assert page.status_code == 200
    return [str(m) for m in page.context["messages"]]


def state_of(code: str) -> str:
    return Period.objects.get(code=code).state


@pytest.fixture
def q3(office):
    return services.period_open(actor=office.leader, code="2026Q3")


@pytest.fixture
def closed_q3(office, q3):
    return services.period_close(actor=office.leader, period=q3)


@pytest.fixture
def four_states(office):
    """2026Q1 locked, 2026Q2 closed, 2026Q3 open, 2026Q4 a draft."""
    for code in ("2026Q1", "2026Q2", "2026Q3"):
        services.period_open(actor=office.leader, code=code)
    for code in ("2026Q1", "2026Q2"):
        services.period_close(actor=office.leader, period=Period.objects.get(code=code))
    services.period_lock(actor=office.leader, period=Period.objects.get(code="2026Q1"))
    Period.objects.create(code="2026Q4", year=2026, quarter=4)


# --- the page -----------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, office):
    for url, method in [
        ("/appraisal/", client.get),
        ("/appraisal/open/", client.post),
        ("/appraisal/2026Q3/close/", client.post),
        ("/appraisal/2026Q3/reopen/", client.post),
        ("/appraisal/2026Q3/lock/", client.post),
    ]:
        response = method(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("role", PERSONAS)
def test_every_role_sees_every_period_newest_first(office, four_states, role):
    response = login(getattr(office, role)).get("/appraisal/")
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(f'id="p-{code}"') for code in ("2026Q4", "2026Q3", "2026Q2", "2026Q1")]
    assert positions == sorted(positions)
    for label in ("草稿", "评分中", "已关闭（公示中）", "已锁定"):
        assert label in html
    assert "2026年第3季度" in html
    # The opened periods show the criteria and weights they were opened with.
    assert "履行职责 <strong>40</strong>" in html
    assert "服务质量 <strong>20</strong>" in html


@pytest.mark.parametrize("role", PERSONAS)
def test_links_follow_the_role(office, four_states, role):
    user = getattr(office, role)
    html = login(user).get("/appraisal/").content.decode()
    assessor = role in {"leader", "assessor"}
    results = role in {"leader", "administrator"}
    assert (reverse("score_sheet", args=["2026Q3"]) in html) is assessor
    # Only an open period has a score sheet.
    assert reverse("score_sheet", args=["2026Q2"]) not in html
    for code in ("2026Q1", "2026Q2", "2026Q3"):
        assert (reverse("ranking_staff", args=[code]) in html) is results
    assert reverse("ranking_staff", args=["2026Q4"]) not in html
    assert (reverse("annual", args=[2026]) in html) is results
    staff = getattr(user, "staff", None)
    for code in ("2026Q1", "2026Q2"):
        card = reverse("score_card", args=[code, staff.staff_no]) if staff else None
        assert (card is not None and card in html) is (staff is not None)
    if staff is not None:
        assert reverse("score_card", args=["2026Q3", staff.staff_no]) not in html


@pytest.mark.parametrize("role", PERSONAS)
def test_actions_follow_the_role(office, four_states, role):
    html = login(getattr(office, role)).get("/appraisal/").content.decode()
    opener, closer = role in OPENERS, role in CLOSERS
    assert (f'action="{reverse("period_open")}"' in html) is opener
    assert ('name="code" value="2026Q4"' in html) is opener  # the draft's open button
    assert (f'action="{reverse("period_close", args=["2026Q3"])}"' in html) is closer
    assert (f'action="{reverse("period_reopen", args=["2026Q2"])}"' in html) is closer
    assert (f'action="{reverse("period_lock", args=["2026Q2"])}"' in html) is closer
    # Nothing is offered for the locked quarter, nor closing a closed one.
    for name in ("period_close", "period_reopen", "period_lock"):
        assert reverse(name, args=["2026Q1"]) not in html
    assert reverse("period_close", args=["2026Q2"]) not in html
    assert reverse("period_lock", args=["2026Q3"]) not in html


def test_lock_asks_for_confirmation_saying_what_will_happen(office, closed_q3):
    client = login(office.leader)
    response = client.post("/appraisal/2026Q3/lock/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "锁定考核期2026Q3？" in html
    assert "2026年第3季度的评分、扣分和等次将永久冻结，此后任何途径都不能更改。" in html
    assert "锁定的考核期永远不能重新开启。此操作不可撤回。" in html
    assert '<input type="hidden" name="confirmed" value="1">' in html
    assert state_of("2026Q3") == PeriodState.CLOSED
    assert messages_of(client.post("/appraisal/2026Q3/lock/", CONFIRMED)) == [
        "考核期2026Q3已锁定，此后不能再作任何修改。"
    ]
    assert state_of("2026Q3") == PeriodState.LOCKED


@pytest.mark.calendar
def test_the_open_form_defaults_to_the_current_quarter(office):
    current = Quarter.of(timezone.localdate()).code
    html = login(office.administrator).get("/appraisal/").content.decode()
    assert f'name="code" value="{current}"' in html


@time_machine.travel("2026-08-15 10:00 +0800", tick=False)
def test_the_open_form_never_suggests_a_quarter_that_has_not_begun(office):
    services.period_open(actor=office.leader, code="2026Q3")
    html = login(office.leader).get("/appraisal/").content.decode()
    assert 'name="code" value=""' in html
    assert "2026Q4" not in html
    assert "当前季度为2026Q3。" in html


def test_the_open_form_warns_when_weights_do_not_add_up(office):
    Criterion.objects.filter(code="duty").update(weight=Decimal(50))
    html = login(office.administrator).get("/appraisal/").content.decode()
    assert "权重合计为110" in html


def test_the_history_shows_the_reopen_reason(office, closed_q3):
    services.period_reopen(actor=office.leader, period=closed_q3, reason="补录两名考评人的评分")
    html = login(office.assessor).get("/appraisal/").content.decode()
    assert "理由：补录两名考评人的评分" in html


def test_the_page_needs_the_same_queries_for_more_periods(office):
    client = login(office.leader)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/appraisal/").status_code == 200
        return len(context.captured_queries)

    services.period_open(actor=office.leader, code="2025Q1")
    # A first request refreshes the new session (SessionRefreshMiddleware); count after it.
    client.get("/")
    few = queries()
    for quarter in (2, 3, 4):
        period = services.period_open(actor=office.leader, code=f"2025Q{quarter}")
        services.period_close(actor=office.leader, period=period)
    assert queries() == few


# --- who may act --------------------------------------------------------------------------


@pytest.mark.parametrize("role", PERSONAS)
def test_open_needs_an_administrator_or_leader(office, role):
    response = login(getattr(office, role)).post(
        "/appraisal/open/", {"code": "2026Q4", **CONFIRMED}
    )
    if role in OPENERS:
        assert response.status_code == 302
        assert state_of("2026Q4") == PeriodState.OPEN
    else:
        assert response.status_code == 403
        assert not Period.objects.exists()


@pytest.mark.parametrize("role", PERSONAS)
@pytest.mark.parametrize(
    "action,data",
    [("close", CONFIRMED), ("lock", CONFIRMED), ("reopen", {"reason": "补录两人评分"})],
)
def test_close_reopen_lock_need_a_leader(office, role, action, data):
    period = services.period_open(actor=office.leader, code="2026Q3")
    if action != "close":
        services.period_close(actor=office.leader, period=period)
    before = state_of("2026Q3")
    response = login(getattr(office, role)).post(f"/appraisal/2026Q3/{action}/", data)
    if role in CLOSERS:
        assert response.status_code == 302
        assert state_of("2026Q3") != before
    else:
        assert response.status_code == 403
        assert state_of("2026Q3") == before


@pytest.mark.parametrize("action", ["open", "2026Q3/close", "2026Q3/reopen", "2026Q3/lock"])
def test_actions_are_post_only(office, q3, action):
    response = login(office.leader).get(f"/appraisal/{action}/")
    assert response.status_code == 405
    assert state_of("2026Q3") == PeriodState.OPEN


@pytest.mark.parametrize("action", ["close", "reopen", "lock"])
def test_an_unknown_period_is_not_found(office, q3, action):
    client = login(office.leader)
    assert client.post(f"/appraisal/2030Q1/{action}/", {"reason": "x"}).status_code == 404
    assert client.post(f"/appraisal/2026Q5/{action}/", {"reason": "x"}).status_code == 404
    assert client.post(f"/appraisal/abc/{action}/", {"reason": "x"}).status_code == 404
    assert list(Period.objects.values_list("code", flat=True)) == ["2026Q3"]


# --- the flows ----------------------------------------------------------------------------


def test_open_close_reopen_lock_with_their_messages(office):
    client = login(office.leader)
    response = client.post("/appraisal/open/", {"code": "2026q4", **CONFIRMED})
    assert response.url == "/appraisal/"
    assert messages_of(response) == ["考核期2026Q4已开启，可以开始评分。"]
    assert state_of("2026Q4") == PeriodState.OPEN

    response = client.post("/appraisal/2026Q4/close/", CONFIRMED)
    assert messages_of(response) == ["考核期2026Q4已关闭，考核结果进入公示。"]
    assert state_of("2026Q4") == PeriodState.CLOSED

    response = client.post("/appraisal/2026Q4/reopen/", {"reason": "有考评人漏评"})
    assert messages_of(response) == ["考核期2026Q4已重新开启，可以继续评分。"]
    assert state_of("2026Q4") == PeriodState.OPEN

    messages_of(client.post("/appraisal/2026Q4/close/", CONFIRMED))
    # 公示 has just begun: a leader locks only with a reason (see test_publicity.py).
    response = client.post("/appraisal/2026Q4/lock/", {"reason": "试行季度，不公示", **CONFIRMED})
    assert response.url == "/appraisal/"
    assert messages_of(response) == ["考核期2026Q4已锁定，此后不能再作任何修改。"]
    period = Period.objects.get(code="2026Q4")
    assert period.state == PeriodState.LOCKED
    assert period.opened_at <= period.closed_at <= period.locked_at
    assert period.frozen is not None


def test_the_administrator_opens_a_draft_period(office):
    Period.objects.create(code="2027Q1", year=2027, quarter=1)
    response = login(office.administrator).post(
        "/appraisal/open/", {"code": "2027Q1", "future": "on", **CONFIRMED}
    )
    assert messages_of(response) == ["考核期2027Q1已开启，可以开始评分。"]
    period = Period.objects.get(code="2027Q1")
    assert period.state == PeriodState.OPEN
    assert period.criteria.count() == 3


def test_a_closed_period_reopens_only_with_a_reason(office, closed_q3):
    client = login(office.leader)
    for data in [{}, {"reason": ""}, {"reason": "   "}]:
        response = client.post("/appraisal/2026Q3/reopen/", data)
        assert response.status_code == 302
        assert messages_of(response) == ["重新开启已关闭的考核期须填写理由。"]
        assert state_of("2026Q3") == PeriodState.CLOSED
    response = client.post("/appraisal/2026Q3/reopen/", {"reason": "长" * 1001})
    assert messages_of(response) == ["理由请控制在1000字以内。"]
    for reason in ["abc", "-1", "NaN", "9" * 400, "……！！", "好好好好好"]:
        response = client.post("/appraisal/2026Q3/reopen/", {"reason": reason})
        assert messages_of(response) == [REASON_RULE]
    assert state_of("2026Q3") == PeriodState.CLOSED
    assert not AuditEvent.objects.filter(action=AuditAction.PERIOD_REOPEN).exists()


@pytest.mark.parametrize(
    "code,message",
    [
        ("2026Q5", "“2026Q5”不是有效的季度，请按“2026Q3”格式填写。"),
        ("2026-3", "“2026-3”不是有效的季度，请按“2026Q3”格式填写。"),
        ("第三季度", "“第三季度”不是有效的季度，请按“2026Q3”格式填写。"),
        ("", "季度请按“2026Q3”格式填写。"),
        ("2026Q3" * 5, "季度请按“2026Q3”格式填写。"),
    ],
)
def test_bad_codes_are_refused(office, code, message):
    response = login(office.leader).post("/appraisal/open/", {"code": code})
    assert response.status_code == 302
    assert messages_of(response) == [message]
    assert not Period.objects.exists()


def test_a_missing_code_is_refused(office):
    response = login(office.leader).post("/appraisal/open/")
    assert messages_of(response) == ["季度请按“2026Q3”格式填写。"]
    assert not Period.objects.exists()


def test_a_period_opens_once(office, q3):
    response = login(office.administrator).post("/appraisal/open/", {"code": "2026Q3"})
    assert messages_of(response) == ["考核期2026Q3当前为“评分中”，须为“草稿”才能进行此操作。"]
    assert PeriodCriterion.objects.filter(period=q3).count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.PERIOD_OPEN).count() == 1


def test_a_closed_period_is_reopened_not_opened(office, closed_q3):
    response = login(office.leader).post("/appraisal/open/", {"code": "2026Q3"})
    assert messages_of(response) == ["考核期2026Q3已关闭，如需继续评分，请说明理由后重新开启。"]
    assert state_of("2026Q3") == PeriodState.CLOSED


@pytest.mark.parametrize(
    "action,message",
    [
        ("close", "考核期2026Q3当前为“已关闭（公示中）”，须为“评分中”才能进行此操作。"),
        ("lock", "考核期2026Q3当前为“评分中”，须为“已关闭（公示中）”才能进行此操作。"),
        ("reopen", "考核期2026Q3当前为“评分中”，须为“已关闭（公示中）”才能进行此操作。"),
    ],
)
def test_actions_in_the_wrong_state_are_refused(office, q3, action, message):
    if action == "close":
        services.period_close(actor=office.leader, period=q3)
    before = state_of("2026Q3")
    response = login(office.leader).post(f"/appraisal/2026Q3/{action}/", {"reason": "再看看"})
    assert response.status_code == 302
    assert messages_of(response) == [message]
    assert state_of("2026Q3") == before


def test_weights_not_adding_up_to_100_are_refused(office):
    Criterion.objects.filter(code="duty").update(weight=Decimal(50))
    response = login(office.leader).post("/appraisal/open/", {"code": "2026Q4", **CONFIRMED})
    assert messages_of(response) == ["启用的考核指标权重合计为110.00，不等于100。"]
    assert not Period.objects.exists()
    assert not PeriodCriterion.objects.exists()


def test_no_active_criterion_is_refused(office):
    Criterion.objects.update(active=False)
    response = login(office.leader).post("/appraisal/open/", {"code": "2026Q4", **CONFIRMED})
    assert messages_of(response) == ["没有启用的考核指标，无法开启考核期。"]
    assert not Period.objects.exists()


def test_opening_snapshots_the_criteria(office):
    login(office.leader).post("/appraisal/open/", {"code": "2026Q4", **CONFIRMED})
    period = Period.objects.get(code="2026Q4")

    def rows(p):
        return list(p.criteria.values_list("code", "name", "weight"))

    snapshot = [
        ("duty", "履行职责", Decimal("40.00")),
        ("performance", "工作绩效", Decimal("40.00")),
        ("service", "服务质量", Decimal("20.00")),
    ]
    assert rows(period) == snapshot
    assert period.thresholds["good"] == "90"
    # The defaults change afterwards: the opened period keeps what it was opened with.
    Criterion.objects.filter(code="duty").update(weight=Decimal(50), name="履职尽责")
    Criterion.objects.filter(code="performance").update(weight=Decimal(30))
    Criterion.objects.filter(code="service").update(active=False)
    Criterion.objects.create(code="integrity", name="廉洁自律", weight=Decimal(20), order=99)
    assert rows(period) == snapshot
    html = login(office.assessor).get("/appraisal/").content.decode()
    assert "履行职责 <strong>40</strong>" in html
    # The next period takes the new defaults.
    login(office.leader).post("/appraisal/open/", {"code": "2027Q1", "future": "on", **CONFIRMED})
    assert rows(Period.objects.get(code="2027Q1")) == [
        ("duty", "履职尽责", Decimal("50.00")),
        ("performance", "工作绩效", Decimal("30.00")),
        ("integrity", "廉洁自律", Decimal("20.00")),
    ]


def test_each_transition_is_in_the_history(office):
    client = login(office.leader)
    client.post("/appraisal/open/", {"code": "2026Q3", **CONFIRMED})
    client.post("/appraisal/2026Q3/close/", CONFIRMED)
    client.post("/appraisal/2026Q3/reopen/", {"reason": "  有考评人漏评  "})
    client.post("/appraisal/2026Q3/close/", CONFIRMED)
    client.post("/appraisal/2026Q3/lock/", {"reason": "试行季度，不公示", **CONFIRMED})
    period = Period.objects.get(code="2026Q3")
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Period), object_id=str(period.pk)
    ).order_by("at", "pk")
    assert [(e.action, e.from_status, e.to_status, e.reason) for e in events] == [
        (AuditAction.PERIOD_OPEN, "draft", "open", ""),
        (AuditAction.PERIOD_CLOSE, "open", "closed", ""),
        (AuditAction.PERIOD_REOPEN, "closed", "open", "有考评人漏评"),
        (AuditAction.PERIOD_CLOSE, "open", "closed", ""),
        (AuditAction.PERIOD_LOCK, "closed", "locked", "试行季度，不公示"),
    ]
    assert {e.actor for e in events} == {office.leader}
    assert {e.object_repr for e in events} == {"2026年第3季度"}
    html = client.get("/appraisal/").content.decode()
    for label in ("开启考核期", "关闭考核期", "重新开启考核期", "锁定考核期"):
        assert label in html


def test_a_refused_action_writes_no_history(office, q3):
    login(office.leader).post("/appraisal/2026Q3/lock/", CONFIRMED)
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [AuditAction.PERIOD_OPEN]
