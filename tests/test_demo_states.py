"""The demo office shows each state of the quarter as an office runs it: 2026Q1 and Q2 locked
with full records, 2026Q3 closed (in 公示), 2026Q4 open mid-way; all on the office's calendar.

One load of the demo for the class (test_demo.py's fixture), rolled back after it.
"""

import datetime
from collections import Counter

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from efficiency import results
from efficiency.demo import appraisal as demo_appraisal
from efficiency.demo import calendar as demo_calendar
from efficiency.demo import records
from efficiency.models import (
    Attendance,
    AuditEvent,
    Feedback,
    GradeReview,
    Incident,
    IncidentAttachment,
    IncidentSource,
    IncidentStatus,
    Objection,
    ObjectionAnswer,
    Period,
    PeriodState,
    Reminder,
    ReminderKind,
    Score,
    Staff,
    Summary,
    SummaryStatus,
)
from efficiency.progress import assessor_lines
from efficiency.selectors import feedback_owed, office_calendar
from efficiency.services import attachments
from efficiency.services.appraisal import lock_blockers, proposed_deadlines
from efficiency.services.reminders import open_reminders

from .test_demo import demo  # noqa: F401  (the class's one load of the demo)

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]
GRADED = ["2026Q1", "2026Q2", "2026Q3"]
HEADS = {"MSK": "head", "XXK": "assessor2", "JYK": "assessor3"}  # the heads with an account


def local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(timezone.get_default_timezone()).date()


def returns_in(period: Period) -> list[AuditEvent]:
    ids = [str(pk) for pk in Summary.objects.filter(period=period).values_list("pk", flat=True)]
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Summary),
            object_id__in=ids,
            to_status=SummaryStatus.RETURNED,
        )
    )


@pytest.mark.usefixtures("demo")
class TestTheQuarterStates:
    def test_each_quarter_is_in_its_state_with_the_proposed_deadlines(self):
        states = dict(Period.objects.values_list("code", "state"))
        assert states == {
            "2026Q1": PeriodState.LOCKED,
            "2026Q2": PeriodState.LOCKED,
            "2026Q3": PeriodState.CLOSED,
            "2026Q4": PeriodState.OPEN,
        }
        for period in Period.objects.all():
            assert (period.summary_due, period.marks_due) == proposed_deadlines(period.code)
        # 国庆 (1–7 October) and Saturday 10 October worked: Q3's summaries are due on 20
        # October, its marks on the 27th; it closes two working days later.
        q3 = Period.objects.get(code="2026Q3")
        assert (q3.summary_due, q3.marks_due) == (
            datetime.date(2026, 10, 20),
            datetime.date(2026, 10, 27),
        )
        # The leaders took the 请示 to their meeting of Monday 16 November: 公示 to the 23rd.
        assert local_day(q3.closed_at) == datetime.date(2026, 11, 16)
        assert (q3.publicity_days, q3.publicity_ends) == (5, datetime.date(2026, 11, 23))
        assert local_day(Period.objects.get(code="2026Q4").opened_at) == datetime.date(2026, 10, 8)
        for code in ["2026Q1", "2026Q2"]:
            period = Period.objects.get(code=code)
            assert period.marks_due < local_day(period.closed_at) < local_day(period.locked_at)

    def test_every_closed_quarter_has_accepted_summaries_some_returned_once(self):
        for code in GRADED:
            period = Period.objects.get(code=code)
            people = list(results.staff_in_period(period).select_related("user"))
            statuses = dict(Summary.objects.filter(period=period).values_list("staff", "status"))
            waiting = [p.user.username for p in people if statuses.get(p.pk) != "accepted"]
            # The administrator's own summary has nobody to accept it: their head has no login.
            assert waiting == [records.ADMINISTRATOR], (code, waiting)
            assert len(statuses) == len(people)
            for summary in Summary.objects.filter(period=period).select_related("staff"):
                if summary.staff.user_id is not None:
                    assert summary.written_by_id == summary.staff.user_id, "they wrote it"
                else:
                    entered_by = {*HEADS.values(), "admin"}
                    assert summary.written_by.username in entered_by
                if summary.reviewed_at is not None:
                    assert summary.submitted_at <= summary.reviewed_at
                assert local_day(summary.submitted_at) <= period.summary_due
            returned = returns_in(period)
            assert len(returned) == records.RETURNED_ONCE
            assert all(event.reason for event in returned), "a return carries its comment"
            for event in returned:
                summary = Summary.objects.get(pk=event.object_id)
                assert summary.status == SummaryStatus.ACCEPTED
                assert "补充" in summary.text, "rewritten after the return"

    def test_attendance_is_recorded_mostly_nothing_some_leave_late_and_one_absence(self):
        for code in GRADED:
            period = Period.objects.get(code=code)
            rows = list(Attendance.objects.filter(period=period))
            assert 0 < len(rows) < results.staff_in_period(period).count() // 4
            assert sum(1 for r in rows if r.leave_days > 0) == 5
            assert sum(1 for r in rows if r.late_times > 0) == 2
            assert [r.absent_days for r in rows if r.absent_days] == [1]
            recorded = AuditEvent.objects.filter(
                content_type=ContentType.objects.get_for_model(Attendance),
                object_id__in=[str(r.pk) for r in rows],
            )
            assert recorded.count() == len(rows)
            assert set(recorded.values_list("actor__username", flat=True)) == {"admin"}

    def test_every_assessed_person_has_a_proposal_with_a_comment_and_a_decision(self):
        for code in GRADED:
            period = Period.objects.get(code=code)
            table = results.ranking(period, results.STAFF)
            assessed = {row.facts.key for row in table.rows if row.result.assessed}
            reviews = GradeReview.objects.filter(period=period).select_related(
                "staff__section", "proposed_by", "decided_by"
            )
            # The new recruit on probation (不定等次) is ranked but gets no grade to decide.
            (recruit,) = [row.facts.key for row in table.rows if row.result.undetermined]
            assert Staff.objects.get(staff_no=recruit).probation_ends is not None
            assert {r.staff.staff_no for r in reviews} == assessed - {recruit}
            # The administrator's own grade has nobody to propose it: decided as computed.
            (unproposed,) = [r for r in reviews if r.proposed_by is None]
            assert unproposed.staff.user.username == records.ADMINISTRATOR
            assert unproposed.grade == table.row(unproposed.staff.staff_no).result.computed_grade
            reviews = [r for r in reviews if r != unproposed]
            for review in reviews:
                row = table.row(review.staff.staff_no)
                assert review.comment and review.proposed_grade == row.result.computed_grade
                assert review.decided_by.username == "leader"
                assert review.proposed_at < review.decided_at < period.closed_at
                # The head of the section, else the administrator (a head's own grade, the
                # sections without a head account, and one person who moved section in June).
                head = HEADS.get(review.staff.section.code)
                assert review.proposed_by.username in {head, "admin"}
                assert review.proposed_by_id != review.staff.user_id, "nobody proposes self"
                if review.reason != demo_appraisal.OVERRIDE_REASON:
                    assert review.grade == review.proposed_grade
            proposers = Counter(r.proposed_by.username for r in reviews)
            assert set(proposers) == {*HEADS.values(), "admin"}
            assert sum(proposers[head] for head in HEADS.values()) >= 15
            comments = Counter(r.comment for r in reviews)
            assert len(comments) > 10, "comments vary"
        overrides = GradeReview.objects.filter(reason=demo_appraisal.OVERRIDE_REASON)
        assert [r.period.code for r in overrides] == [demo_appraisal.OVERRIDE_PERIOD]
        assert (
            overrides.get().decided_at
            < GradeReview.objects.filter(period__code="2026Q3")
            .exclude(pk=overrides.get().pk)
            .order_by("decided_at")
            .first()
            .decided_at
        )

    def test_the_locked_quarters_went_through_publicity_and_everyones_opinion(self):
        for code in ["2026Q1", "2026Q2"]:
            period = Period.objects.get(code=code)
            assert period.publicity_days == 5
            # Everyone with a login gave their opinion after the window, before the lock.
            people = results.staff_in_period(period).filter(user__isnull=False)
            opinions = Feedback.objects.filter(period=period)
            assert opinions.count() == people.count() > 0
            for opinion in opinions:
                assert period.publicity_ends < local_day(opinion.recorded_at)
                assert opinion.recorded_at < period.locked_at
        q2 = Objection.objects.get(period__code="2026Q2")
        assert q2.answer == ObjectionAnswer.REJECTED and q2.reply
        assert Feedback.objects.filter(period__code="2026Q2", opinion="disagree").count() == 1

    def test_the_third_quarter_waits_for_an_answer_and_some_opinions(self):
        q3 = Period.objects.get(code="2026Q3")
        objection = Objection.objects.get(period=q3)
        assert objection.answer == ObjectionAnswer.NONE
        assert local_day(q3.closed_at) < local_day(objection.lodged_at) <= q3.publicity_ends
        given = Feedback.objects.filter(period=q3).count()
        missing = feedback_owed(q3).count()
        assert given > 0 and missing > 0
        assert all(q3.publicity_ends < local_day(f.recorded_at) for f in q3.feedback.all())
        blockers = lock_blockers(q3)
        assert "1条异议未答复。" in blockers
        assert any(f"{missing}人未反馈本人意见" in b for b in blockers)

    def test_the_open_quarter_is_half_way_through_its_summaries(self):
        period = Period.objects.get(code="2026Q4")
        statuses = Counter(Summary.objects.filter(period=period).values_list("status", flat=True))
        assert statuses[SummaryStatus.ACCEPTED] >= 10
        assert statuses[SummaryStatus.SUBMITTED] >= 5
        assert statuses[SummaryStatus.RETURNED] == 1 and statuses[SummaryStatus.DRAFT] == 1
        people = results.staff_in_period(period).count()
        assert 0 < people - sum(statuses.values()) < people * 0.6, "the rest not started"
        returned = Summary.objects.get(period=period, status=SummaryStatus.RETURNED)
        assert returned.head_comment and returned.staff.section.code == "MSK"
        draft = Summary.objects.get(period=period, status=SummaryStatus.DRAFT)
        assert draft.staff.user.username == records.Q4_DRAFT == draft.written_by.username
        assert not Attendance.objects.filter(period=period).exists()
        assert not GradeReview.objects.filter(period=period).exists()

    def test_one_assessor_is_behind_and_reminded_the_others_done_or_nearly(self, client):
        period = Period.objects.get(code="2026Q4")
        lines = {line.username: line for line in assessor_lines(period)}
        share = {name: line.people_marked / line.people_to_mark for name, line in lines.items()}
        # Those who marked everyone they are shown are done, as the board and the timeline say.
        assert {name for name, line in lines.items() if line.done} >= {"leader", "assessor2"}
        assert share.pop("assessor5") < 0.4
        assert min(share.values()) >= 0.75
        reminder = Reminder.objects.get()
        assert (reminder.sent_by.username, reminder.to_user.username, reminder.kind) == (
            "leader",
            "assessor5",
            ReminderKind.MARKS,
        )
        assert open_reminders(reminder.to_user) == [reminder]
        client.force_login(reminder.to_user)
        page = client.get("/").content.decode()
        assert 'id="my-reminders"' in page and reminder.message in page

    def test_every_dated_step_is_on_a_working_day_of_the_office_calendar(self):
        office = office_calendar(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        days = set(Incident.objects.values_list("occurred_on", flat=True))
        for moments in (
            AuditEvent.objects.values_list("at", flat=True),
            Score.objects.values_list("updated_at", flat=True),
            Summary.objects.values_list("submitted_at", flat=True),
            Summary.objects.values_list("reviewed_at", flat=True),
            GradeReview.objects.values_list("proposed_at", flat=True),
            GradeReview.objects.values_list("decided_at", flat=True),
            Reminder.objects.values_list("sent_at", flat=True),
            Objection.objects.values_list("lodged_at", flat=True),
            Objection.objects.values_list("answered_at", flat=True),
            Feedback.objects.values_list("recorded_at", flat=True),
        ):
            days |= {local_day(moment) for moment in moments if moment is not None}
        assert days and max(days) <= demo_calendar.TODAY
        assert [day for day in sorted(days) if not office.is_working_day(day)] == []
        # The official table, not the weekdays alone: a Sunday worked, a weekday off.
        assert office.is_working_day(datetime.date(2026, 10, 10))
        assert office.is_working_day(datetime.date(2026, 9, 20))
        assert not office.is_working_day(datetime.date(2026, 10, 7))


@pytest.mark.usefixtures("demo")
class TestTheDemoEvidence:
    def test_inspections_waiting_for_the_supervisor_carry_their_record_sheet(self):
        waiting = Incident.objects.filter(status=IncidentStatus.REPORTED)
        found = waiting.filter(source=IncidentSource.INSPECTION)
        assert found.count() >= 3, "a supervisor trying the demo finds evidence to look at"
        for incident in found:
            (attachment,) = incident.attachments.all()
            assert attachment.original_name == f"效能督查记录表（{incident.number}）.xlsx"
            assert attachment.uploaded_by == incident.reporter
            with attachments.storage().open(attachment.file) as handle:
                sheet = openpyxl.load_workbook(handle).active
            values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
            assert incident.description in values
            assert incident.section.name in values
        others = Incident.objects.exclude(pk__in=found)
        assert not IncidentAttachment.objects.filter(incident__in=others).exists()
