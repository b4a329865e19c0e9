"""公示 with 异议, 结果反馈 and the lock gate (issue 10, items 6 and 7).

The office of tests/test_view_results.py, 2026Q3: 王建国 (001001) 较好, 李秀英 (001002) 好,
赵志强 (002001) and 刘科长 (001000) lower; quota 1 of 4. Tests run on Friday 2026-11-20, so a
window of 5 working days closed today runs to Friday 2026-11-27.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from efficiency import deadlines, results, selectors
from efficiency.models import (
    AuditEvent,
    Feedback,
    GradeReview,
    Objection,
    Period,
    PeriodState,
    Staff,
)
from efficiency.models.audit import AuditAction
from efficiency.scoring import Grade
from efficiency.services import ServiceError, publicity
from efficiency.services import appraisal as services
from efficiency.services.calendar import office_days_load
from efficiency.workdays import OFFICIAL_DAYS, Calendar

from . import test_view_results as base
from .conftest import login

judges = base.judges
period = base.period

CONFIRMED = {"confirmed": "1"}
TZ = ZoneInfo("Asia/Shanghai")


def on(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), TZ), tick=True)


AFTER = datetime.date(2026, 11, 30)  # Monday after the window


@pytest.fixture
def closed(office, period):
    return services.period_close(actor=office.leader, period=period, days=5)


def with_login(office) -> list[Staff]:
    """The quarter's people with a login: they owe their opinion."""
    return list(selectors.feedback_owed(Period.objects.get(code="2026Q3")))


def everyone_agrees(office, period):
    with on(AFTER):
        for staff in with_login(office):
            Feedback.objects.create(
                period=period,
                staff=staff,
                opinion="agree",
                recorded_by=office.administrator,
                recorded_at=datetime.datetime(2026, 11, 30, 10, tzinfo=TZ),
            )


# --- the window's arithmetic on the office's calendar -------------------------------------------


def official_2026() -> Calendar:
    days = OFFICIAL_DAYS[2026]
    return Calendar.of(
        off=[d for d, kind, _n in days if kind == "off"],
        worked=[d for d, kind, _n in days if kind == "worked"],
    )


def test_the_window_skips_national_day_and_counts_the_working_saturday():
    # 29 Sep (Tue): 30 Sep, then 1–7 Oct off, 8 Oct, 9 Oct, Sat 10 Oct (worked), Mon 12 Oct.
    assert deadlines.publicity_end(datetime.date(2026, 9, 29), 5, official_2026()) == (
        datetime.date(2026, 10, 12)
    )
    # The close day never counts, even a working one; a Friday close starts on Monday.
    assert deadlines.publicity_end(datetime.date(2026, 11, 20), 1, official_2026()) == (
        datetime.date(2026, 11, 23)
    )


def test_days_left_count_today_and_stop_at_zero():
    calendar = official_2026()
    closed_on, ends = datetime.date(2026, 9, 29), datetime.date(2026, 10, 12)
    assert deadlines.publicity_days_left(closed_on, ends, closed_on, calendar) == 5
    assert deadlines.publicity_days_left(closed_on, ends, datetime.date(2026, 10, 3), calendar) == 4
    assert deadlines.publicity_days_left(closed_on, ends, datetime.date(2026, 10, 9), calendar) == 3
    assert deadlines.publicity_days_left(closed_on, ends, ends, calendar) == 1
    assert (
        deadlines.publicity_days_left(closed_on, ends, datetime.date(2026, 10, 13), calendar) == 0
    )


def test_closing_uses_the_office_calendar(office, period):
    office_days_load(actor=None, year=2026)
    with on(datetime.date(2026, 9, 29)):
        closed = services.period_close(actor=office.leader, period=period, days=5)
        assert (closed.publicity_days, closed.publicity_ends) == (5, datetime.date(2026, 10, 12))
        window = publicity.window(closed)
        assert window.countdown == "公示期剩余5个工作日，至10月12日。"
    with on(datetime.date(2026, 10, 13)):
        assert publicity.window(Period.objects.get(pk=closed.pk)).countdown == "公示期已结束。"


def test_reopen_clears_the_window_and_a_re_close_sets_it(office, period):
    closed = services.period_close(actor=office.leader, period=period, days=3)
    assert closed.publicity_ends == datetime.date(2026, 11, 25)
    reopened = services.period_reopen(actor=office.leader, period=closed, reason="有考评人漏评")
    assert (reopened.publicity_days, reopened.publicity_ends) == (None, None)
    again = services.period_close(actor=office.leader, period=reopened, days=5)
    assert (again.publicity_days, again.publicity_ends) == (5, datetime.date(2026, 11, 27))


@pytest.mark.parametrize("days", [0, 31, "五", ""])
def test_a_window_outside_1_to_30_days_is_refused(office, period, days):
    with pytest.raises(ServiceError, match="公示期须为1至30个工作日。"):
        services.period_close(actor=office.leader, period=period, days=days)
    assert Period.objects.get(pk=period.pk).state == PeriodState.OPEN


def test_the_close_page_states_the_window_and_the_command_takes_days(office, period):
    client = login(office.leader)
    html = client.post("/appraisal/2026Q3/close/", {"days": "5"}).content.decode()
    assert "公示期至2026年11月27日（5个工作日）。" in html
    assert Period.objects.get(pk=period.pk).state == PeriodState.OPEN
    client.post("/appraisal/2026Q3/close/", {"days": "7", **CONFIRMED})
    closed = Period.objects.get(pk=period.pk)
    assert (closed.publicity_days, closed.publicity_ends) == (7, datetime.date(2026, 12, 1))


# --- 异议 --------------------------------------------------------------------------------------


def test_an_objection_is_lodged_during_the_window_and_recorded(office, closed):
    objection = publicity.lodge_objection(
        actor=office.clerk, period=closed, staff=office.colleague, reason="  李秀英本季度有迟报。 "
    )
    assert (objection.reason, objection.answer, objection.lodged_by) == (
        "李秀英本季度有迟报。",
        "",
        office.clerk,
    )
    event = AuditEvent.objects.get(action=AuditAction.OBJECTION_LODGE)
    assert (event.actor, event.reason) == (office.clerk, "李秀英本季度有迟报。")


@pytest.mark.parametrize(
    ("reason", "message"),
    [("   ", "请写明异议理由。"), ("迟报未扣分" * 101, "理由共505个字，最多500个字。")],
)
def test_an_objection_needs_a_reason_of_at_most_500(office, closed, reason, message):
    with pytest.raises(ServiceError, match=message):
        publicity.lodge_objection(
            actor=office.clerk, period=closed, staff=office.colleague, reason=reason
        )
    assert not Objection.objects.exists()


def test_no_objection_outside_the_window(office, period):
    with pytest.raises(ServiceError, match="仅在公示期内"):
        publicity.lodge_objection(
            actor=office.clerk, period=period, staff=office.person, reason="x"
        )
    closed = services.period_close(actor=office.leader, period=period, days=5)
    with on(AFTER), pytest.raises(ServiceError, match="仅在公示期内"):
        publicity.lodge_objection(
            actor=office.clerk, period=closed, staff=office.person, reason="x"
        )
    assert not Objection.objects.exists()


def test_an_account_without_a_staff_record_cannot_object(office, closed):
    with pytest.raises(ServiceError, match="有登录账号的工作人员"):
        publicity.lodge_objection(
            actor=office.outsider, period=closed, staff=office.person, reason="x"
        )


def objection(office, closed, staff=None):
    return publicity.lodge_objection(
        actor=office.named, period=closed, staff=staff or office.colleague, reason="有迟报未扣分。"
    )


def test_upheld_changes_the_decided_grade_through_the_decision(office, closed):
    lodged = objection(office, closed)
    publicity.answer_objection(
        actor=office.leader,
        objection=lodged,
        answer="upheld",
        reply="经核实，迟报属实，改为较好。",
        new_grade="fairly_good",
    )
    lodged.refresh_from_db()
    assert (lodged.answer, lodged.new_grade, lodged.answered_by) == (
        "upheld",
        "fairly_good",
        office.leader,
    )
    review = GradeReview.objects.get(period=closed, staff=office.colleague)
    assert (review.grade, review.reason, review.decided_by) == (
        "fairly_good",
        "经核实，迟报属实，改为较好。",
        office.leader,
    )
    row = results.ranking(closed).row("001002")
    assert row.result.grade == Grade.FAIRLY_GOOD
    decided = AuditEvent.objects.get(action=AuditAction.REVIEW_DECIDE)
    assert decided.reason == "经核实，迟报属实，改为较好。"
    assert decided.changes == {"2026Q3 grade": ["", "较好"]}
    answered = AuditEvent.objects.get(action=AuditAction.OBJECTION_ANSWER)
    assert answered.changes == {"answer": ["", "成立"], "new grade": ["", "较好"]}


def test_rejected_keeps_the_grade_and_needs_a_reply(office, closed):
    lodged = objection(office, closed)
    with pytest.raises(ServiceError, match="请填写对异议的答复。"):
        publicity.answer_objection(
            actor=office.leader, objection=lodged, answer="rejected", reply=""
        )
    publicity.answer_objection(
        actor=office.leader, objection=lodged, answer="rejected", reply="迟报已在上季度处理。"
    )
    assert not GradeReview.objects.filter(staff=office.colleague).exclude(grade="").exists()
    assert results.ranking(closed).row("001002").result.grade == Grade.GOOD


def test_an_answer_is_given_once_by_a_leader(office, closed):
    lodged = objection(office, closed)
    with pytest.raises(ServiceError, match="只有领导可以答复异议。"):
        publicity.answer_objection(
            actor=office.administrator, objection=lodged, answer="rejected", reply="不成立。"
        )
    with pytest.raises(ServiceError, match="异议成立须选定新的等次。"):
        publicity.answer_objection(
            actor=office.leader, objection=lodged, answer="upheld", reply="经核实属实。"
        )
    publicity.answer_objection(
        actor=office.leader, objection=lodged, answer="rejected", reply="迟报已在上季度处理。"
    )
    with pytest.raises(ServiceError, match="该异议已答复"):
        publicity.answer_objection(
            actor=office.leader, objection=lodged, answer="upheld", reply="x", new_grade="good"
        )
    assert AuditEvent.objects.filter(action=AuditAction.OBJECTION_ANSWER).count() == 1


def test_upheld_follows_the_quota_rule_with_the_reply_as_its_reason(office, closed):
    # 好 for 王建国 too takes the pool past its quota of 1: the reply is the recorded reason.
    lodged = objection(office, closed, staff=office.person)
    publicity.answer_objection(
        actor=office.leader,
        objection=lodged,
        answer="upheld",
        reply="超出比例，经党组研究。",
        new_grade="good",
    )
    assert GradeReview.objects.get(staff=office.person).grade == "good"


# --- 结果反馈 ----------------------------------------------------------------------------------


def test_feedback_waits_for_the_end_of_the_window(office, closed):
    with pytest.raises(ServiceError, match="公示期结束后"):
        publicity.record_feedback(
            actor=office.named, period=closed, staff=office.person, opinion="agree"
        )
    with on(AFTER):
        feedback = publicity.record_feedback(
            actor=office.named, period=closed, staff=office.person, opinion="agree"
        )
    assert (feedback.opinion, feedback.recorded_by) == ("agree", office.named)
    event = AuditEvent.objects.get(action=AuditAction.FEEDBACK)
    assert event.changes == {"2026Q3 opinion": ["", "同意"]}


def test_disagreeing_needs_a_text(office, closed):
    with on(AFTER):
        with pytest.raises(ServiceError, match="请写明有异议的内容。"):
            publicity.record_feedback(
                actor=office.named, period=closed, staff=office.person, opinion="disagree", text=" "
            )
        with pytest.raises(ServiceError, match="请选择"):
            publicity.record_feedback(
                actor=office.named, period=closed, staff=office.person, opinion="maybe"
            )
        publicity.record_feedback(
            actor=office.named,
            period=closed,
            staff=office.person,
            opinion="disagree",
            text="迟报系系统故障。",
        )
    assert Feedback.objects.get().text == "迟报系系统故障。"


def test_only_the_person_or_the_administrator_records_it(office, closed):
    with on(AFTER):
        with pytest.raises(ServiceError, match="只有王建国本人"):
            publicity.record_feedback(
                actor=office.clerk, period=closed, staff=office.person, opinion="agree"
            )
        publicity.record_feedback(
            actor=office.administrator, period=closed, staff=office.person, opinion="agree"
        )
    assert Feedback.objects.get().recorded_by == office.administrator
    event = AuditEvent.objects.get(action=AuditAction.FEEDBACK)
    assert event.actor == office.administrator
    assert event.changes["entered for"] == ["", "王建国"]


# --- the lock gate -----------------------------------------------------------------------------


def test_lock_blockers_name_what_is_outstanding(office, closed):
    objection(office, closed)
    blockers = services.lock_blockers(closed)
    assert blockers[:2] == ["公示期未结束（至2026年11月27日）。", "1条异议未答复。"]
    assert blockers[2].startswith("6人未反馈本人意见：")
    assert "王建国" in blockers[2]


def test_lock_is_refused_while_the_window_runs_unless_a_leader_writes_why(office, closed):
    with pytest.raises(ServiceError, match="考核期2026Q3暂不能锁定：公示期未结束"):
        services.period_lock(actor=office.leader, period=closed)
    with pytest.raises(ServiceError, match="暂不能锁定"):
        services.period_lock(actor=office.administrator, period=closed, reason="急需归档")
    assert Period.objects.get(pk=closed.pk).state == PeriodState.CLOSED
    locked = services.period_lock(
        actor=office.leader, period=closed, reason="两人长期病假，无法反馈。"
    )
    assert locked.state == PeriodState.LOCKED
    event = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Period), action=AuditAction.PERIOD_LOCK
    ).get()
    assert event.reason == "两人长期病假，无法反馈。"


def test_lock_needs_no_reason_once_everything_is_done(office, closed):
    lodged = objection(office, closed)
    publicity.answer_objection(
        actor=office.leader, objection=lodged, answer="rejected", reply="迟报已在上季度处理。"
    )
    everyone_agrees(office, closed)
    with on(AFTER):
        assert services.lock_blockers(closed) == []
        assert services.period_lock(actor=office.leader, period=closed).state == PeriodState.LOCKED


# --- the pages ---------------------------------------------------------------------------------


def test_the_publicity_page_lists_grades_without_marks_and_counts_down(office, closed):
    html = login(office.named).get("/appraisal/2026Q3/publicity/").content.decode()
    assert "公示期剩余5个工作日，至11月27日。" in html
    assert "李秀英" in html and "不定等次" in html
    assert "95" not in html  # no marks, no scores
    searched = login(office.named).get("/appraisal/2026Q3/publicity/?q=李秀").content.decode()
    assert "李秀英" in searched and "赵志强" not in searched
    assert login(office.outsider).get("/appraisal/2026Q3/publicity/").status_code == 403


def test_an_objection_through_the_pages(office, closed):
    client = login(office.named)
    form = client.get("/appraisal/2026Q3/publicity/?about=001002").content.decode()
    assert "对李秀英提出异议" in form
    response = client.post(
        "/appraisal/2026Q3/publicity/object/", {"staff_no": "001002", "reason": "有迟报未扣分。"}
    )
    assert response.status_code == 302
    lodged = Objection.objects.get()
    leader = login(office.leader)
    asked = leader.post(
        f"/appraisal/2026Q3/objections/{lodged.pk}/answer/",
        {"answer": "upheld", "new_grade": "fairly_good", "reply": "经核实属实，改为较好。"},
    ).content.decode()
    assert "对李秀英的异议成立：其审定等次改为“较好”" in asked
    assert not Objection.objects.get().answer  # asked, not done
    leader.post(
        f"/appraisal/2026Q3/objections/{lodged.pk}/answer/",
        {
            "answer": "upheld",
            "new_grade": "fairly_good",
            "reply": "经核实属实，改为较好。",
            **CONFIRMED,
        },
    )
    assert Objection.objects.get().answer == "upheld"
    home = client.get("/").content.decode()
    assert "你对李秀英提出的异议已答复：成立。" in home


def test_the_lock_confirmation_lists_the_blockers_and_asks_why(office, closed):
    html = login(office.leader).post("/appraisal/2026Q3/lock/", {}).content.decode()
    assert "公示期未结束（至2026年11月27日）。" in html
    assert 'name="reason"' in html
    response = login(office.leader).post("/appraisal/2026Q3/lock/", CONFIRMED)
    assert response.status_code == 302
    assert Period.objects.get(pk=closed.pk).state == PeriodState.CLOSED


def test_feedback_pages(office, closed):
    with on(AFTER):
        client = login(office.named)
        assert "填写本人意见" in client.get("/").content.decode()
        client.post(
            "/appraisal/2026Q3/feedback/", {"opinion": "disagree", "text": "迟报系系统故障。"}
        )
        assert Feedback.objects.get().opinion == "disagree"
        assert "填写本人意见" not in client.get("/").content.decode()
        board = login(office.leader).get("/appraisal/2026Q3/feedback/all/?show=missing")
        html = board.content.decode()
        assert "共6人，已反馈1人。" in html
        assert "王建国" not in html and "陈文书" in html


# --- the command line --------------------------------------------------------------------------


@pytest.fixture
def command(monkeypatch, capsys):
    from efficiency.management.commands.period import Command

    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)

    def run(*args: str) -> tuple[int, str]:
        try:
            Command().run_from_argv(["manage.py", "period", *args])
            status = 0
        except SystemExit as exit_:
            status = exit_.code
        out, err = capsys.readouterr()
        return status, out + err

    return run


def test_the_command_closes_with_days_and_locks_with_a_reason(office, period, command):
    assert (
        command("close", "2026Q3", "--days", "31")[1].strip().endswith("公示期须为1至30个工作日。")
    )
    assert command("close", "2026Q3", "--days", "3", "--user", "leader")[0] == 0
    assert Period.objects.get(pk=period.pk).publicity_ends == datetime.date(2026, 11, 25)
    status, text = command("lock", "2026Q3", "--user", "leader")
    assert status == 1 and "公示期未结束（至2026年11月25日）。" in text
    assert (
        command("lock", "2026Q3", "--user", "leader", "--reason", "年底集中归档，经党组同意。")[0]
        == 0
    )
    lock = AuditEvent.objects.get(action=AuditAction.PERIOD_LOCK)
    assert (lock.actor, lock.reason) == (office.leader, "年底集中归档，经党组同意。")


def test_the_command_closes_with_5_days_by_default(office, period, command):
    assert command("close", "2026Q3")[0] == 0
    assert Period.objects.get(pk=period.pk).publicity_days == 5
    assert (
        command("open", "2026Q4", "--days", "5")[1]
        .strip()
        .endswith("--days 只在关闭考核期时使用。")
    )
