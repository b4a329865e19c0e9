"""The demo's year-end moment (``load_demo --year-end``): the same office on 29 January 2027,
its year 2026 closed by the rules of issue 11, every grade with its reason on the pages.

One load for the class, rolled back after it, seen as on the moment's own day.
"""

import datetime
from collections import Counter
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from efficiency import results, scoring, wording
from efficiency.demo import calendar as demo_calendar
from efficiency.demo import load_demo, yearend
from efficiency.models import (
    AnnualAppraisal,
    AnnualClockStep,
    AnnualObjection,
    AnnualReview,
    AnnualState,
    AuditEvent,
    ClockStep,
    DemoMark,
    IncidentResponsible,
    ObjectionAnswer,
    OfficeDay,
    Period,
    PeriodState,
    Sanction,
    Section,
    Staff,
    StaffCategory,
    Summary,
    SummaryStatus,
)
from efficiency.models.audit import AuditAction
from efficiency.models.incidents import HandlingDecision
from efficiency.progress import assessor_lines
from efficiency.selectors import feedback_owed
from efficiency.services import annual, annual_clocks, annual_publicity

from .test_demo import FAST_HASHERS

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]
YEAR = 2026


@pytest.fixture(scope="class")
def year_end(django_db_setup, django_db_blocker):
    """The year-end demo, loaded once for the class and seen on its own day."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        assert load_demo(year_end=True) is True
        with time_machine.travel(demo_calendar.YEAR_END_NOW, tick=False):
            yield
        transaction.set_rollback(True)


def local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(timezone.get_default_timezone()).date()


def rows_by_key() -> dict[str, results.AnnualRow]:
    return {row.facts.key: row for row in results.annual_rollup(YEAR).rows}


def leader_client(client, username="leader"):
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.usefixtures("year_end")
class TestTheYearEndMoment:
    def test_every_quarter_is_locked_and_the_year_notified(self):
        assert dict(Period.objects.values_list("code", "state")) == {
            f"{YEAR}Q{n}": PeriodState.LOCKED for n in range(1, 5)
        }
        appraisal = AnnualAppraisal.objects.get(year=YEAR)
        assert appraisal.state == AnnualState.NOTIFIED
        assert appraisal.published_on == datetime.date(2027, 1, 20)
        # Five working days after publishing: 21, 22, 25, 26 and 27 January.
        assert appraisal.publicity_ends == datetime.date(2027, 1, 27)
        assert appraisal.notice_date == datetime.date(2027, 1, 28)
        assert DemoMark.objects.count() == 1

    def test_the_history_runs_on_the_timeline_to_the_moment(self):
        moments = list(AuditEvent.objects.values_list("at", flat=True))
        assert max(moments) <= demo_calendar.YEAR_END_NOW
        assert local_day(max(moments)) == demo_calendar.YEAR_END_TODAY
        # Nothing happens on a day off: weekends, and 元旦 2027, entered by the administrator.
        new_year = OfficeDay.objects.get(date=demo_calendar.NEW_YEAR_2027)
        assert new_year.kind == "off" and new_year.name == "元旦"
        after = [local_day(m) for m in moments if m > demo_calendar.NOW]  # the year-end part only
        assert after and all(day.weekday() < 5 for day in after)
        assert demo_calendar.NEW_YEAR_2027 not in after
        locks = dict(
            AuditEvent.objects.filter(action=AuditAction.PERIOD_LOCK).values_list(
                "object_repr", "at"
            )
        )
        assert sorted(local_day(at) for at in locks.values())[-2:] == [
            datetime.date(2026, 12, 3),
            datetime.date(2027, 1, 18),
        ]

    def test_the_fourth_quarter_was_finished_before_it_closed(self):
        q4 = Period.objects.get(code=f"{YEAR}Q4")
        lines = assessor_lines(q4)
        assert lines and all(line.done for line in lines), [
            (line.username, line.people_marked, line.people_to_mark) for line in lines
        ]
        # Every summary accepted, but the administrator's own (nobody reviews their own).
        pending = Summary.objects.filter(period=q4).exclude(status=SummaryStatus.ACCEPTED)
        assert [s.staff.user.username for s in pending] == ["admin"]
        assert Summary.objects.filter(period=q4).count() == results.staff_in_period(q4).count()
        assert not feedback_owed(q4).exists()
        close = AuditEvent.objects.get(action=AuditAction.PERIOD_CLOSE, object_id=str(q4.pk))
        assert local_day(close.at) == yearend.Q4_CLOSES

    def test_the_year_is_decided_through_the_services(self):
        rollup = results.annual_rollup(YEAR)
        assert [p.code for p in rollup.periods] == [f"{YEAR}Q{n}" for n in range(1, 5)]
        graded = [row for row in rollup.rows if row.result.grade is not None]
        assert len(graded) >= 55
        assert annual.pending_as_proposed(YEAR, rollup) == []
        reviews = annual.reviews_of(YEAR)
        # Each graded person's decision is the leader's, as proposed by the head (or the
        # administrator for a section without a head account), with a 评语.
        for row in graded:
            review = reviews[row.facts.pk]
            assert review.decided_by.username == "leader"
            assert review.grade == (review.proposed_grade or row.result.grade)
        proposers = Counter(r.proposed_by.username for r in reviews.values() if r.proposed_by)
        assert set(proposers) == {"admin", "head", "assessor2", "assessor3"}
        assert AuditEvent.objects.filter(action=AuditAction.ANNUAL_DECIDE).count() == len(graded)
        # Within the places, pool by pool.
        counter = annual.counter(YEAR, rollup)
        assert counter.decided_good <= counter.quota
        assert all(pool.decided_good <= pool.quota for pool in counter.pools)

    def test_the_vetoed_are_not_excellent_and_their_rows_say_why(self, client):
        rows = rows_by_key()
        reviews = annual.reviews_of(YEAR)
        admonished = set(
            IncidentResponsible.objects.filter(
                incident__handling_decision=HandlingDecision.ADMONITION_TALK
            ).values_list("staff__staff_no", flat=True)
        )
        (warning,) = Sanction.objects.all()
        vetoed = [(key, "诫勉谈话") for key in admonished] + [(warning.staff.staff_no, "警告")]
        with translation.override("zh-hans"):
            for key, what in vetoed:
                row = rows[key]
                assert row.result.grade != scoring.AnnualGrade.EXCELLENT
                assert reviews[row.facts.pk].grade != scoring.AnnualGrade.EXCELLENT
                notes = wording.annual_notes(row.result)
                assert any(what in note and "不得评为优秀" in note for note in notes), notes
        # The decisions page says why beside the computed grade; once the notices are out it
        # shows the decisions without forms.
        page = leader_client(client).get(reverse("year_decisions", args=[YEAR]))
        text = page.content.decode()
        assert page.status_code == 200
        assert "考核结果通知书已于2027-01-28印发" in text
        assert reverse("year_decide_all", args=[YEAR]) not in text
        assert reverse("year_decide", args=[YEAR, warning.staff.staff_no]) not in text
        row_html = text[text.index(f'id="row-{warning.staff.staff_no}"') :]
        row_html = row_html[: row_html.index("</tr>")]
        assert "警告" in row_html and "不得评为优秀" in row_html

    def test_the_heads_page_shows_the_proposals_without_forms(self, client):
        page = leader_client(client, "head").get(reverse("year_review", args=[YEAR]))
        text = page.content.decode()
        assert page.status_code == 200
        assert "2026年度“优秀”人选已公示，等次建议不能再修改。" in text
        assert 'class="review-form"' not in text
        assert yearend.COMMENTS[scoring.AnnualGrade.COMPETENT] in text

    def test_the_recruit_is_undetermined_with_a_comment(self):
        recruit = Staff.objects.get(probation_ends__isnull=False)
        row = rows_by_key()[recruit.staff_no]
        assert row.undetermined and row.grade_label == "不定等次"
        review = AnnualReview.objects.get(appraisal__year=YEAR, staff=recruit)
        assert review.grade == "" and review.comment == yearend.UNDETERMINED_COMMENT
        assert annual_publicity.notice_of(YEAR, recruit) is None

    def test_the_institution_section_reads_qualified_in_its_own_pool(self):
        rows = rows_by_key()
        institution = set(
            Staff.objects.filter(category=StaffCategory.INSTITUTION).values_list(
                "staff_no", flat=True
            )
        )
        labels = {rows[key].grade_label for key in institution}
        assert "合格" in labels and labels <= {"优秀", "合格", "基本合格", "不合格"}
        counter = annual.counter(YEAR)
        pools = {pool.name: pool for pool in counter.pools}
        assert set(pools) == {"公务员/参公", "事业编"}
        assert all(pool.quota >= 1 for pool in pools.values())
        assert sum(pool.decided_good for pool in pools.values()) == counter.decided_good
        # The notice names the grade as the person's category does.
        someone = Staff.objects.filter(staff_no__in=institution).order_by("staff_no").first()
        notice = annual_publicity.notice_of(YEAR, someone)
        assert notice.grade_label in {"优秀", "合格", "基本合格", "不合格"}

    def test_the_excellent_were_published_and_an_objection_answered(self, client):
        (objection,) = AnnualObjection.objects.filter(appraisal__year=YEAR)
        assert objection.lodged_by.username == yearend.OBJECTOR
        assert objection.answer == ObjectionAnswer.REJECTED
        assert objection.answered_by.username == "leader"
        assert annual_publicity.excellent_list(YEAR).filter(staff=objection.staff).exists(), (
            "the objection is about someone on the list, who stays on it"
        )
        assert local_day(objection.lodged_at) == local_day(yearend.OBJECTION_LODGED)
        page = leader_client(client).get(reverse("year_publicity", args=[YEAR])).content.decode()
        leader = objection.answered_by.staff.name
        assert f"{leader}答复于2027-01-25 11:00" in page

    def test_notices_are_issued_with_most_opinions(self):
        decided = AnnualReview.objects.filter(appraisal__year=YEAR).exclude(grade="")
        with_opinion = decided.exclude(opinion="")
        assert decided.count() - with_opinion.count() == yearend.OPINIONS_MISSING
        # Those without a login: the administrator from paper.
        from_paper = with_opinion.filter(staff__user__isnull=True)
        assert from_paper.exists()
        assert set(from_paper.values_list("opinion_by__username", flat=True)) == {"admin"}

    def test_most_wrote_an_accepted_year_summary_one_returned_one_missing(self):
        from efficiency.models import AnnualSummary, Staff, SummaryStatus
        from efficiency.services.summaries import subject_of

        roster = subject_of(year=YEAR).roster()
        written = AnnualSummary.objects.filter(year=YEAR)
        assert roster.count() - written.count() == 1
        statuses = Counter(written.values_list("status", flat=True))
        assert statuses[SummaryStatus.RETURNED] == 1
        assert statuses[SummaryStatus.ACCEPTED] >= roster.count() - 4
        texts = list(written.values_list("text", flat=True))
        assert len(set(texts)) == len(texts) and all(120 < len(t) <= 3000 for t in texts)
        returned = written.get(status=SummaryStatus.RETURNED)
        assert returned.head_comment == yearend.texts.YEAR_RETURN
        # Written before the heads' proposals; the form prints the accepted text.
        assert all(
            s.reviewed_at.date() < yearend.YEAR_PROPOSALS for s in written.exclude(reviewed_at=None)
        )
        accepted = written.filter(status=SummaryStatus.ACCEPTED).first()
        assert Staff.objects.filter(pk=accepted.staff_id).exists()

    def test_the_failed_person_asked_for_a_review_that_is_pending(self, client):
        failed = AnnualReview.objects.get(
            appraisal__year=YEAR, grade=scoring.AnnualGrade.INCOMPETENT
        )
        row = rows_by_key()[failed.staff.staff_no]
        # 不称职 by the rules (two quarters 较差, or below 60), proposed and decided as such.
        assert row.result.grade == scoring.AnnualGrade.INCOMPETENT
        assert failed.opinion == "disagree"
        (step,) = AnnualClockStep.objects.filter(review=failed)
        assert step.step == ClockStep.REVIEW_REQUEST
        assert step.on == demo_calendar.YEAR_END_TODAY
        (clock,) = annual_clocks.open_clocks(YEAR)
        assert clock.staff == failed.staff and clock.office_waits and not clock.overdue
        assert clock.due == step.on + datetime.timedelta(days=30)
        assert AuditEvent.objects.filter(
            action=AuditAction.ANNUAL_CLOCK,
            content_type=ContentType.objects.get_for_model(Staff),
            object_id=str(failed.staff.pk),
        ).exists()
        # The leaders' home page shows it, and where the year stands.
        home = leader_client(client).get(reverse("home")).content.decode()
        assert failed.staff.name in home and "期限2027-02-28" in home
        assert "考核结果通知书已于2027-01-28印发" in home
        # Their notice says why: the score and the two quarters 较差.
        notice = client.get(reverse("year_notice", args=[YEAR, failed.staff.staff_no]))
        text = notice.content.decode()
        assert f"年度得分 {row.result.score}" in text
        assert "等次依据" in text and "2 个季度为较差" in text

    def test_the_annual_page_and_a_notice_pdf(self, client):
        leader_client(client)
        page = client.get(reverse("annual", args=[YEAR])).content.decode()
        for text in ["不定等次", "诫勉谈话", "警告", "合格", "公务员/参公", "事业编"]:
            assert text in page, text
        # The committee's decisions stand beside the computed grades, one cell per person.
        assert '<th scope="col">审定等次</th>' in page
        assert page.count('class="decided-cell"') == min(
            AnnualReview.objects.filter(appraisal__year=YEAR, grade__gt="").count(), 50
        )
        failed = AnnualReview.objects.get(
            appraisal__year=YEAR, grade=scoring.AnnualGrade.INCOMPETENT
        )
        response = client.get(reverse("report_notice", args=[YEAR, failed.staff.staff_no]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"


def test_the_command_passes_the_moment_on(monkeypatch):
    asked = []

    def fake_load(**kwargs):
        asked.append(kwargs["year_end"])
        return True

    monkeypatch.setattr("efficiency.management.commands.load_demo.load_demo", fake_load)
    year_end, default = StringIO(), StringIO()
    call_command("load_demo", "--year-end", "--if-empty", stdout=year_end)
    call_command("load_demo", "--if-empty", stdout=default)
    assert asked == [True, False]
    assert "演示单位停在 2027年1月29日" in year_end.getvalue()
    assert "2027年1月29日" not in default.getvalue()


def test_the_year_end_goes_only_into_an_empty_database():
    Section.objects.create(code="ZHK", name="综合科")
    out = StringIO()
    call_command("load_demo", "--year-end", "--if-empty", stdout=out)
    assert "未载入演示数据" in out.getvalue()
    assert not AnnualAppraisal.objects.exists() and not Period.objects.exists()
