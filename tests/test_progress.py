"""The quarter's deadlines, the completion board (考核进度) and 催办 reminders."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from efficiency import deadlines, progress
from efficiency.models import AuditEvent, Period, Reminder, ReminderKind, Section, Staff
from efficiency.models.audit import AuditAction
from efficiency.services import ServiceError, appraisal, reminders
from efficiency.services import calendar as calendar_services
from efficiency.services import summaries as summary_services
from efficiency.workdays import OFFICIAL_DAYS, Calendar

from .conftest import login
from .factories import make_staff

D = datetime.date
BOARD = "/appraisal/2026Q3/progress/"
REMIND = "/appraisal/2026Q3/progress/remind/"
REMIND_ALL = "/appraisal/2026Q3/progress/remind-all/"


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def period(office):
    return appraisal.period_open(
        actor=office.leader, code="2026Q3", summary_due=D(2026, 10, 20), marks_due=D(2026, 10, 27)
    )


def official_2026() -> Calendar:
    return Calendar.of(
        off=[day for day, kind, _name in OFFICIAL_DAYS[2026] if kind == "off"],
        worked=[day for day, kind, _name in OFFICIAL_DAYS[2026] if kind == "worked"],
    )


def mark_all(assessor, period, *, staff=(), sections=()):
    subjects = [{"staff": person} for person in staff]
    subjects += [{"section": section} for section in sections]
    for criterion in period.criteria.all():
        for subject in subjects:
            appraisal.score_save(
                assessor=assessor,
                period=period,
                criterion_code=criterion.code,
                value="85",
                **subject,
            )


# --- deadlines ------------------------------------------------------------------------------


def test_the_defaults_skip_national_day_and_count_the_working_saturday():
    # 2026Q3 ends on Wednesday 30 September; 1–7 October are off, Saturday 10 October is worked.
    assert deadlines.default_deadlines(D(2026, 9, 30), official_2026()) == (
        D(2026, 10, 20),
        D(2026, 10, 27),
    )
    # Without the office's calendar the same count lands a week earlier.
    assert deadlines.default_deadlines(D(2026, 9, 30), Calendar()) == (
        D(2026, 10, 14),
        D(2026, 10, 21),
    )


def test_the_proposed_deadlines_read_the_offices_calendar(office):
    calendar_services.office_days_load(actor=None, year=2026)
    assert appraisal.proposed_deadlines("2026Q3") == (D(2026, 10, 20), D(2026, 10, 27))
    assert appraisal.proposed_deadlines("2026Q2") == (D(2026, 7, 14), D(2026, 7, 21))


def test_the_deadlines_must_follow_the_quarter_and_each_other():
    end = D(2026, 9, 30)
    assert deadlines.deadline_errors(end, None, None) == []
    assert deadlines.deadline_errors(end, end, end) == []
    assert deadlines.deadline_errors(end, D(2026, 9, 29), D(2026, 10, 20)) == [
        "小结截止日期（2026-09-29）不能早于季度结束日（2026-09-30）。"
    ]
    assert deadlines.deadline_errors(end, D(2026, 10, 20), D(2026, 10, 19)) == [
        "评分截止日期（2026-10-19）不能早于小结截止日期（2026-10-20）。"
    ]


def test_the_open_form_refuses_bad_deadlines_and_opens_nothing(office):
    client = login(office.leader)
    response = client.post(
        "/appraisal/open/",
        {
            "code": "2026Q3",
            "summary_due": "2026-10-20",
            "marks_due": "2026-10-01",
            "confirmed": "1",
        },
        follow=True,
    )
    assert (
        "评分截止日期（2026-10-01）不能早于小结截止日期（2026-10-20）。"
        in response.content.decode()
    )
    assert not Period.objects.filter(code="2026Q3").exists()
    response = client.post(
        "/appraisal/open/", {"code": "2026Q3", "summary_due": "20.10.2026"}, follow=True
    )
    assert "日期请写成 2026-10-15 的形式。" in response.content.decode()


def test_the_open_form_asks_with_the_proposed_deadlines_and_sets_them(office):
    calendar_services.office_days_load(actor=None, year=2026)
    client = login(office.leader)
    page = client.post("/appraisal/open/", {"code": "2026Q3"}).content.decode()
    assert "2026-10-20" in page and "2026-10-27" in page
    client.post(
        "/appraisal/open/",
        {"code": "2026Q3", "summary_due": "", "marks_due": "2026-10-30", "confirmed": "1"},
    )
    period = Period.objects.get(code="2026Q3")
    assert (period.summary_due, period.marks_due) == (D(2026, 10, 20), D(2026, 10, 30))
    listing = client.get("/appraisal/").content.decode()
    assert "小结截止 <strong>2026-10-20</strong>" in listing
    assert f'href="{BOARD}"' in listing
    sheet = login(office.assessor).get("/appraisal/2026Q3/sheet/").content.decode()
    assert "评分截止 <strong>2026-10-30</strong>" in sheet


def test_the_period_command_sets_the_deadlines(office):
    call_command(
        "period", "open", "2026Q3", "--summary-due", "2026-10-20", "--marks-due", "2026-10-27"
    )
    period = Period.objects.get(code="2026Q3")
    assert (period.summary_due, period.marks_due) == (D(2026, 10, 20), D(2026, 10, 27))


def test_the_period_command_refuses_bad_dates_in_chinese(office):
    with pytest.raises(CommandError, match="--marks-due “2026-13-01” 不是有效日期"):
        call_command("period", "open", "2026Q3", "--marks-due", "2026-13-01")
    with pytest.raises(CommandError, match="评分截止日期（2026-09-01）不能早于季度结束日"):
        call_command("period", "open", "2026Q3", "--marks-due", "2026-09-01")
    assert not Period.objects.filter(code="2026Q3").exists()


# --- the board ------------------------------------------------------------------------------


def test_the_board_counts_marks_and_summaries(office, period):
    mark_all(office.assessor, period, staff=[office.person, office.colleague], sections=[office.a])
    # Incomplete: one criterion only, so this person is not counted as marked.
    appraisal.score_save(
        assessor=office.assessor,
        period=period,
        criterion_code=period.criteria.first().code,
        value="80",
        staff=office.other_person,
    )
    summary_services.submit(actor=office.named, period=period, staff=office.person, text="小结。")
    summary_services.accept(actor=office.head, period=period, staff=office.person)
    summary_services.save_draft(
        actor=office.head, period=period, staff=office.colleague, text="草稿。"
    )
    summary_services.submit(
        actor=office.head_b, period=period, staff=office.other_person, text="小结。"
    )
    lines = {line.username: line for line in progress.assessor_lines(period)}
    people = Staff.objects.count()
    assert set(lines) == {"assessor", "leader"}
    assessor = lines["assessor"]
    assert (assessor.people_marked, assessor.people_to_mark) == (2, people)
    assert (assessor.sections_marked, assessor.sections_to_mark) == (1, 3)
    assert not assessor.done
    sections = {line.code: line for line in progress.section_lines(period)}
    msk = sections["MSK"]
    assert (msk.accepted, msk.people) == (1, 4)
    assert [p.name for p in msk.people_in("draft")] == ["李秀英"]
    assert [p.name for p in msk.people_in(progress.NOT_WRITTEN)] == ["刘科长", "陈文书"]
    assert [p.name for p in sections["ZHK"].people_in("submitted")] == ["赵志强"]
    page = login(office.leader).get(BOARD).content.decode()
    assert '<td class="text-end font-monospace">2 / 8</td>' in page
    assert "催办全部未完成" in page


def test_the_board_filters_by_section_behind_and_search(office, period):
    mark_all(office.leader, period, staff=Staff.objects.all(), sections=[office.a, office.b])
    mark_all(office.leader, period, sections=Section.objects.filter(code="DCS"))
    client = login(office.leader)
    page = client.get(BOARD, {"behind": "1"}).content.decode()
    assert 'data-assessor="assessor"' in page and 'data-assessor="leader"' not in page
    page = client.get(BOARD, {"section": "ZHK"}).content.decode()
    assert 'data-section="ZHK"' in page and 'data-section="MSK"' not in page
    page = client.get(BOARD, {"q": "赵志"}).content.decode()
    assert 'data-staff="002001"' in page and 'data-staff="001001"' not in page


def test_the_board_takes_the_same_queries_for_three_times_the_people(office, period):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert login(office.leader).get(BOARD).status_code == 200
        return len(queries)

    people = Staff.objects.count()
    for i in range(people):
        make_staff(office.a, f"甲{i}", f"10{i:04d}")
    small = count()
    for i in range(2 * people * 2):  # three times the people of the first count
        make_staff(office.b, f"乙{i}", f"20{i:04d}")
    assert Staff.objects.count() == 3 * 2 * people
    assert count() == small


@pytest.mark.parametrize("who", ["clerk", "assessor", "head", "named"])
def test_the_board_is_for_leaders_and_the_administrator(office, period, who):
    client = login(getattr(office, who))
    assert client.get(BOARD).status_code == 403
    assert client.post(REMIND, {"user": office.assessor.pk, "kind": "marks"}).status_code == 403
    assert client.post(REMIND_ALL, {"confirmed": "1"}).status_code == 403
    assert not Reminder.objects.exists()


def test_the_administrator_sees_the_board(office, period):
    assert login(office.administrator).get(BOARD).status_code == 200


# --- reminders ------------------------------------------------------------------------------


def test_a_reminder_shows_on_home_until_the_marks_are_done(office, period):
    office.assessor.email = "assessor@example.gov.cn"
    office.assessor.save()
    response = login(office.leader).post(
        REMIND, {"user": office.assessor.pk, "kind": "marks"}, follow=True
    )
    assert "已催办 assessor，并已发送邮件。" in response.content.decode()
    reminder = Reminder.objects.get()
    assert (reminder.to_user, reminder.sent_by, reminder.kind) == (
        office.assessor,
        office.leader,
        ReminderKind.MARKS,
    )
    assert reminder.message == "请于2026-10-27前完成2026年第3季度的评分。"
    assert reminder.emailed
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["assessor@example.gov.cn"]
    assert mail.outbox[0].subject == "催办：评分未完成"
    event = AuditEvent.objects.get(action=AuditAction.REMIND)
    assert event.actor == office.leader and event.reason == reminder.message

    home = login(office.assessor).get("/").content.decode()
    assert 'id="my-reminders"' in home and reminder.message in home
    assert 'href="/appraisal/2026Q3/sheet/"' in home

    mark_all(office.assessor, period, staff=Staff.objects.all(), sections=Section.objects.all())
    home = login(office.assessor).get("/").content.decode()
    assert 'id="my-reminders"' not in home
    reminder.refresh_from_db()
    assert reminder.done_at is not None


def test_a_summary_reminder_goes_once_the_summary_is_submitted(office, period):
    reminders.remind(actor=office.leader, period=period, user=office.named, kind="summary")
    assert len(mail.outbox) == 0  # no address, no mail
    home = login(office.named).get("/").content.decode()
    assert "请于2026-10-20前填写并提交2026年第3季度的个人小结。" in home
    summary_services.submit(actor=office.named, period=period, staff=office.person, text="小结。")
    assert 'id="my-reminders"' not in login(office.named).get("/").content.decode()


def test_no_reminder_to_someone_who_is_not_behind(office, period):
    summary_services.submit(actor=office.named, period=period, staff=office.person, text="小结。")
    with pytest.raises(ServiceError, match="已完成，未发送催办"):
        reminders.remind(actor=office.leader, period=period, user=office.named, kind="summary")
    assert not Reminder.objects.exists()


def test_remind_all_asks_first_then_reminds_everyone_behind(office, period):
    client = login(office.leader)
    page = client.post(REMIND_ALL).content.decode()
    assert "催办2026年第3季度全部未完成的人？" in page
    assert "assessor：评分未完成" in page and "王建国：个人小结未提交" in page
    assert not Reminder.objects.exists()
    client.post(REMIND_ALL, {"confirmed": "1"})
    sent = set(Reminder.objects.values_list("to_user__username", "kind"))
    assert ("assessor", "marks") in sent and ("leader", "marks") in sent
    assert ("named", "summary") in sent and ("head", "summary") in sent
    assert AuditEvent.objects.filter(action=AuditAction.REMIND).count() == len(sent)


# --- the command ----------------------------------------------------------------------------


@pytest.fixture
def q4(office):
    # 2027 has no holiday table here: the weeks alone count. 15 Jan 2027 is a Friday.
    return appraisal.period_open(
        actor=office.leader, code="2026Q4", summary_due=D(2027, 1, 15), marks_due=D(2027, 1, 22)
    )


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_the_command_reminds_two_working_days_before_each_deadline_once(office, q4):
    assert "2027-01-12：没有需要发送的催办。" in run("--date", "2027-01-12")
    out = run("--date", "2027-01-13", "--dry-run")
    assert "试运行" in out and "王建国" in out
    assert not Reminder.objects.exists()
    out = run("--date", "2027-01-13")
    assert "个人小结未提交（截止 2027-01-15）" in out
    summary = set(Reminder.objects.values_list("to_user__username", "kind", "sent_by"))
    assert ("named", "summary", None) in summary
    assert all(kind == "summary" for _user, kind, _by in summary)
    assert "没有需要发送的催办" in run("--date", "2027-01-13")  # idempotent
    assert Reminder.objects.count() == len(summary)
    out = run("--date", "2027-01-20")
    assert "评分未完成（截止 2027-01-22）" in out
    assert Reminder.objects.filter(kind="marks", to_user=office.assessor).count() == 1
    assert "没有需要发送的催办" in run("--date", "2027-01-20")


def test_the_command_refuses_a_bad_date_in_chinese(office):
    with pytest.raises(CommandError, match="--date “2027-02-30” 不是有效日期"):
        run("--date", "2027-02-30")


def test_the_command_defaults_to_today(office, q4):
    # Pinned to 2026-11-20: no deadline is two working days away.
    assert "2026-11-20：没有需要发送的催办。" in run()
