"""``manage.py period open|close|reopen|lock CODE``: messages, exit status, history."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from efficiency.management.commands.period import Command
from efficiency.models import AuditEvent, Criterion, Period, PeriodState
from efficiency.models.audit import AuditAction
from efficiency.services import appraisal as services


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    # run_from_argv closes every connection when it ends, as a real process would.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


@pytest.fixture
def period(capsys):
    """Run the command as from a shell: (exit status, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        try:
            Command().run_from_argv(["manage.py", "period", *args])
            status = 0
        except SystemExit as exit_:
            status = exit_.code
        out, err = capsys.readouterr()
        return status, out, err

    return run


def after_the_window():
    """A day after the 公示 window of a quarter closed on the pinned today (2026-11-20)."""
    return time_machine.travel(
        datetime.datetime(2026, 12, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True
    )


def history(code: str) -> list[tuple]:
    target = Period.objects.get(code=code)
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Period), object_id=str(target.pk)
        )
        .order_by("at", "pk")
        .values_list("action", "actor__username", "reason")
    )


def refused(result: tuple[int, str, str], message: str) -> None:
    status, out, err = result
    assert status == 1
    assert out == ""
    assert err == f"CommandError: {message}\n"


def test_open_close_reopen_lock(db, period):
    assert period("open", "2026Q3") == (0, "考核期2026Q3已开启，可以开始评分。\n", "")
    assert Period.objects.get(code="2026Q3").criteria.count() == 3
    assert period("close", "2026Q3") == (0, "考核期2026Q3已关闭，考核结果进入公示。\n", "")
    assert period("reopen", "2026Q3", "--reason", "补录评分") == (
        0,
        "考核期2026Q3已重新开启，可以继续评分。\n",
        "",
    )
    assert period("close", "2026Q3")[0] == 0
    with after_the_window():
        assert period("lock", "2026Q3") == (0, "考核期2026Q3已锁定，此后不能再作任何修改。\n", "")
    assert Period.objects.get(code="2026Q3").state == PeriodState.LOCKED
    # Without --user the history names nobody: the page shows 系统.
    assert history("2026Q3") == [
        (AuditAction.PERIOD_OPEN, None, ""),
        (AuditAction.PERIOD_CLOSE, None, ""),
        (AuditAction.PERIOD_REOPEN, None, "补录评分"),
        (AuditAction.PERIOD_CLOSE, None, ""),
        (AuditAction.PERIOD_LOCK, None, ""),
    ]


def test_the_user_is_recorded_as_the_actor(office, period):
    assert period("open", "2026Q4", "--user", "administrator")[0] == 0
    assert period("close", "2026Q4", "--user", "leader")[0] == 0
    assert period("reopen", "2026Q4", "--reason=漏评两名科员", "--user=leader")[0] == 0
    assert history("2026Q4") == [
        (AuditAction.PERIOD_OPEN, "administrator", ""),
        (AuditAction.PERIOD_CLOSE, "leader", ""),
        (AuditAction.PERIOD_REOPEN, "leader", "漏评两名科员"),
    ]


def test_action_and_code_are_forgiving_about_case(db, period):
    assert period("OPEN", "2026q3")[:2] == (0, "考核期2026Q3已开启，可以开始评分。\n")


@pytest.mark.parametrize(
    "args",
    [(), ("open",)],
)
def test_missing_arguments_are_refused(db, period, args):
    refused(period(*args), "请写明操作和季度，例如：“period close 2026Q3”。")
    assert not Period.objects.exists()


@pytest.mark.parametrize("action", ["delete", "unlock", "重开"])
def test_an_unknown_action_is_refused(db, period, action):
    refused(
        period(action, "2026Q3"),
        f"“{action}”不是可用的操作，请使用open、close、reopen、lock或withdraw。",
    )
    assert not Period.objects.exists()


@pytest.mark.parametrize("action", ["open", "close", "reopen", "lock"])
@pytest.mark.parametrize("code", ["2026Q5", "2026", "26Q3", "第三季度"])
def test_a_bad_code_is_refused(db, period, action, code):
    refused(
        period(action, code, "--reason", "x"),
        f"“{code}”不是有效的季度，请按“2026Q3”格式填写。",
    )
    assert not Period.objects.exists()


@pytest.mark.parametrize("action", ["close", "reopen", "lock"])
def test_an_unknown_period_is_refused(db, period, action):
    refused(period(action, "2030Q1", "--reason", "x"), "考核期2030Q1不存在。")
    assert not Period.objects.exists()


def test_an_unknown_user_is_refused(office, period):
    refused(period("open", "2026Q3", "--user", "nobody"), "没有名为“nobody”的有效账号。")
    office.leader.is_active = False
    office.leader.save()
    refused(period("open", "2026Q3", "--user", "leader"), "没有名为“leader”的有效账号。")
    assert not Period.objects.exists()


@pytest.mark.parametrize(
    "action,username",
    [("open", "assessor"), ("open", "outsider"), ("close", "administrator"), ("lock", "head")],
)
def test_a_user_without_the_role_is_refused(office, period, action, username):
    if action != "open":
        services.period_close(
            actor=office.leader, period=services.period_open(actor=office.leader, code="2026Q3")
        )
    before = list(Period.objects.values_list("code", "state"))
    refused(
        period(action, "2026Q3", "--user", username),
        f"账号“{username}”无权进行此操作。",
    )
    assert list(Period.objects.values_list("code", "state")) == before


def test_reopen_needs_a_reason(office, period):
    services.period_close(
        actor=office.leader, period=services.period_open(actor=office.leader, code="2026Q3")
    )
    refused(period("reopen", "2026Q3"), "重新开启已关闭的考核期须填写理由。")
    refused(period("reopen", "2026Q3", "--reason", "  "), "重新开启已关闭的考核期须填写理由。")
    assert Period.objects.get(code="2026Q3").state == PeriodState.CLOSED


def test_wrong_states_are_refused(db, period):
    assert period("open", "2026Q3")[0] == 0
    refused(period("open", "2026Q3"), "考核期2026Q3当前为“评分中”，须为“草稿”才能进行此操作。")
    refused(
        period("lock", "2026Q3"),
        "考核期2026Q3当前为“评分中”，须为“已关闭（公示中）”才能进行此操作。",
    )
    refused(
        period("reopen", "2026Q3", "--reason", "x"),
        "考核期2026Q3当前为“评分中”，须为“已关闭（公示中）”才能进行此操作。",
    )
    assert period("close", "2026Q3")[0] == 0
    refused(
        period("close", "2026Q3"),
        "考核期2026Q3当前为“已关闭（公示中）”，须为“评分中”才能进行此操作。",
    )
    refused(period("open", "2026Q3"), "考核期2026Q3已关闭，如需继续评分，请说明理由后重新开启。")
    with after_the_window():
        assert period("lock", "2026Q3")[0] == 0
    refused(period("reopen", "2026Q3", "--reason", "x"), "考核期2026Q3已锁定，不能重新开启。")
    refused(
        period("close", "2026Q3"),
        "考核期2026Q3当前为“已锁定”，须为“评分中”才能进行此操作。",
    )
    refused(
        period("lock", "2026Q3"),
        "考核期2026Q3当前为“已锁定”，须为“已关闭（公示中）”才能进行此操作。",
    )
    refused(period("open", "2026Q3"), "考核期2026Q3当前为“已锁定”，须为“草稿”才能进行此操作。")
    assert [row[0] for row in history("2026Q3")] == [
        AuditAction.PERIOD_OPEN,
        AuditAction.PERIOD_CLOSE,
        AuditAction.PERIOD_LOCK,
    ]


def test_weights_not_adding_up_are_refused(db, period):
    Criterion.objects.filter(code="service").update(weight=Decimal("19.5"))
    refused(period("open", "2026Q3"), "启用的考核指标权重合计为99.50，不等于100。")
    assert not Period.objects.exists()


def test_the_messages_are_chinese_whatever_the_language(db, period, settings):
    settings.LANGUAGE_CODE = "en"
    refused(period("close", "2030Q1"), "考核期2030Q1不存在。")


def test_help_is_printed(db, period):
    status, out, err = period("--help")
    assert status == 0
    assert "开启、关闭、重新开启或锁定考核期" in out
    assert "--reason" in out


@time_machine.travel("2026-08-15 10:00 +0800", tick=False)
def test_a_quarter_that_has_not_begun_opens_only_with_future(db, period):
    refused(
        period("open", "2026Q4"),
        "考核期2026Q4尚未开始（2026-10-01起）。如需提前开启，请勾选“开启尚未开始的季度”。",
    )
    assert not Period.objects.exists()
    assert period("open", "2026Q4", "--future")[0] == 0
    assert Period.objects.get(code="2026Q4").state == PeriodState.OPEN


def test_an_opening_made_by_mistake_is_withdrawn_with_a_reason(db, period):
    assert period("open", "2026Q3")[0] == 0
    refused(period("withdraw", "2026Q3"), "撤销开启须填写理由。")
    refused(
        period("withdraw", "2026Q3", "--reason", "abc"),
        "理由须写明具体情况：至少4个字，不能只是数字、标点或同一个字重复。",
    )
    assert period("withdraw", "2026Q3", "--reason", "季度选错，应开第二季度") == (
        0,
        "考核期2026Q3已撤销开启，恢复为草稿。\n",
        "",
    )
    withdrawn = Period.objects.get(code="2026Q3")
    assert (withdrawn.state, withdrawn.opened_at, withdrawn.criteria.count()) == (
        PeriodState.DRAFT,
        None,
        0,
    )
    assert history("2026Q3") == [
        (AuditAction.PERIOD_OPEN, None, ""),
        (AuditAction.PERIOD_WITHDRAW, None, "季度选错，应开第二季度"),
    ]
    # A draft again: it opens as any other, with the scheme as it stands then.
    assert period("open", "2026Q3")[0] == 0
    assert Period.objects.get(code="2026Q3").criteria.count() == 3


@pytest.mark.parametrize("reason", ["abc", "-1", "NaN", "9" * 400, "。。。。", "好好好好"])
def test_a_reason_that_says_nothing_is_refused(office, period, reason):
    services.period_close(
        actor=office.leader, period=services.period_open(actor=office.leader, code="2026Q3")
    )
    refused(
        period("reopen", "2026Q3", "--reason", reason),
        "理由须写明具体情况：至少4个字，不能只是数字、标点或同一个字重复。",
    )
    assert Period.objects.get(code="2026Q3").state == PeriodState.CLOSED
