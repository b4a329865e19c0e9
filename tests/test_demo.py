"""The demo office: what load_demo puts in an empty database, and that it touches nothing else.

Loading takes several seconds, so the tests that only read the demo share one load per class
(:func:`demo`), rolled back when the class is done; the tests that need an empty database are
plain functions after it.
"""

import datetime
import itertools
import shutil
import statistics
from collections import Counter, defaultdict
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from efficiency import results, scoring, wording
from efficiency.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from efficiency.demo import appraisal as demo_appraisal
from efficiency.demo import calendar as demo_calendar
from efficiency.demo.roster import FixtureRefused
from efficiency.models import (
    AuditEvent,
    Explanation,
    GradeReview,
    ImportRecord,
    Incident,
    IncidentKind,
    IncidentResponsible,
    IncidentStatus,
    Period,
    PeriodState,
    Sanction,
    SanctionKind,
    Score,
    Section,
    Severity,
    Staff,
    StaffCategory,
    StaffStanding,
    Standard,
    StandingKind,
    StandingReason,
)
from efficiency.models.audit import AuditAction
from efficiency.models.incidents import AppealStatus, HandlingDecision
from efficiency.quarters import Quarter
from efficiency.roles import Role
from efficiency.selectors import office_calendar
from efficiency.services import history_chain

from .factories import ensure_default_criteria

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MARKED_QUARTERS = ["2026Q1", "2026Q2", "2026Q3"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for a class of tests inside a transaction rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        # A transactional test run before this one flushes the migrations' default criteria.
        ensure_default_criteria()
        assert load_demo() is True
        yield
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    return {
        "sections": Section.objects.count(),
        "staff": Staff.objects.count(),
        "standards": Standard.objects.count(),
        "incidents": Incident.objects.count(),
        "explanations": Explanation.objects.count(),
        "history": AuditEvent.objects.count(),
        "users": get_user_model().objects.count(),
    }


@pytest.mark.usefixtures("demo")
class TestTheLoadedDemo:
    def test_fills_the_office(self):
        assert list(Section.objects.values_list("name", flat=True)) == [
            "秘书科",
            "综合科",
            "文电科",
            "信息科",
            "督查室",
            "调研室",
            "机要科",
            "行政科",
            "接待办",
            "值班室",
        ]
        assert 55 <= Staff.objects.count() <= 65
        assert Standard.objects.count() >= 15
        assert 75 <= Incident.objects.count() <= 85
        # Staff numbers are text with leading zeros; a few left during the year, one moved.
        assert Staff.objects.filter(staff_no="001001").exists()
        leavers = Staff.objects.filter(end_date__isnull=False)
        assert 2 <= leavers.count() <= 3
        assert all(staff.end_date.year == 2026 for staff in leavers)
        moved = IncidentResponsible.objects.exclude(section=F("staff__section"))
        assert moved.exists(), "someone named in an old section has moved since"

    def test_the_catalogue_changes_and_clauses_override_points(self):
        assert Standard.objects.filter(active=False).count() == 1
        superseded = Standard.objects.get(active=False)
        assert superseded.incidents.exists(), "used before it was superseded"
        for prefix, kind in (("YW-", "delay"), ("SW-", "slip"), ("CW-", "error")):
            assert set(
                Standard.objects.filter(code__startswith=prefix).values_list("kind", flat=True)
            ) == {kind}
        overridden = [
            standard
            for standard in Standard.objects.all()
            if (standard.points_minor, standard.points_serious, standard.points_grave)
            not in {(1, 2, 4), (2, 4, 8), (3, 6, 12)}
        ]
        assert 1 <= len(overridden) <= 3

    def test_the_roster_and_catalogue_were_imported_with_their_history(self):
        first_day = demo_calendar.at(demo_calendar.FIRST_DAY, 8)
        records = ImportRecord.objects.order_by("pk")
        assert [(r.sheet, r.file_name, r.created, r.imported_by) for r in records] == [
            ("sections", "sections.xlsx", 10, None),
            ("staff", "staff.xlsx", 60, None),
            ("standards", "standards.xlsx", 20, None),
        ]
        assert {record.imported_at for record in records} == {first_day}
        for model, file_name in (
            (Section, "sections.xlsx"),
            (Staff, "staff.xlsx"),
            (Standard, "standards.xlsx"),
        ):
            content_type = ContentType.objects.get_for_model(model)
            created = AuditEvent.objects.filter(
                content_type=content_type, action=AuditAction.CREATE
            )
            assert sorted(created.values_list("object_id", flat=True)) == sorted(
                str(pk) for pk in model.objects.values_list("pk", flat=True)
            ), model
            assert {(e.actor, e.reason, e.at) for e in created} == {
                (None, f"由 Excel 文件“{file_name}”导入", first_day)
            }
        # The move in June and the catalogue's revision in April are in the history too.
        changed = AuditEvent.objects.filter(action=AuditAction.CHANGE)
        moved = changed.get(content_type=ContentType.objects.get_for_model(Staff))
        assert moved.changes == {"section": ["文电科", "信息科"]}
        assert moved.at == demo_calendar.at(datetime.date(2026, 6, 1), 8)
        revised = changed.get(content_type=ContentType.objects.get_for_model(Standard))
        assert revised.object_repr.startswith("YW-06")
        assert revised.changes == {"active": ["True", "False"]}
        assert revised.at == demo_calendar.at(datetime.date(2026, 4, 1), 8)
        # Set up before anything happens in the office.
        first_incident = AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Incident)
        ).earliest("at")
        assert first_day < first_incident.at

    def test_every_status_kind_and_severity_appears(self):
        incidents = Incident.objects.all()
        assert set(incidents.values_list("status", flat=True)) == set(IncidentStatus.values)
        assert set(incidents.values_list("kind", flat=True)) == set(IncidentKind.values)
        assert set(incidents.values_list("severity", flat=True)) == set(Severity.values)
        appeals = list(incidents.exclude(appeal_status="").values_list("appeal_status", flat=True))
        assert appeals.count(AppealStatus.PENDING) >= 1
        assert AppealStatus.REJECTED in appeals and AppealStatus.UPHELD in appeals
        assert appeals.count(AppealStatus.PARTLY_UPHELD) == 1, "one appeal lightens the handling"
        handled = incidents.filter(status=IncidentStatus.HANDLED)
        assert handled.count() >= incidents.count() * 0.4
        assert handled.filter(handling_decision="").count() == 0
        assert handled.exclude(result_use="").exists()
        assert len(set(handled.values_list("handling_decision", flat=True))) >= 3, (
            "repeats escalate"
        )
        assert (
            incidents.filter(status=IncidentStatus.DISMISSED).exclude(dismissal_reason="").exists()
        )
        assert Explanation.objects.filter(incident__status=IncidentStatus.REPORTED).exists()
        named = incidents.annotate(n=Count("responsibilities")).values_list("n", flat=True)
        assert min(named) >= 1 and max(named) >= 2

    def test_its_history_holds_together(self):
        # The chain, its head, and every incident's and period's row replayed from the history.
        assert history_chain.verify() == []
        assert history_chain.head().count == AuditEvent.objects.count()

    def test_every_incident_has_history_and_none_is_in_the_future(self):
        assert not Incident.objects.filter(occurred_on__gt=demo_calendar.TODAY).exists()
        assert Incident.objects.filter(occurred_on__month__gte=10).exists(), "Q4 has some"
        content_type = ContentType.objects.get_for_model(Incident)
        with_history = set(
            AuditEvent.objects.filter(content_type=content_type).values_list("object_id", flat=True)
        )
        assert {str(pk) for pk in Incident.objects.values_list("pk", flat=True)} <= with_history
        for incident in Incident.objects.exclude(status=IncidentStatus.REPORTED):
            actions = set(
                AuditEvent.objects.filter(
                    content_type=content_type, object_id=str(incident.pk)
                ).values_list("action", flat=True)
            )
            assert "create" in actions and ({"verify", "dismiss"} & actions)

    def test_history_is_stamped_on_the_demo_calendar(self):
        local = timezone.get_default_timezone()
        history = AuditEvent.objects.all()
        first, last = history.order_by("at").first().at, history.order_by("at").last().at
        assert first >= demo_calendar.at(demo_calendar.FIRST_DAY, 8)
        assert last <= demo_calendar.NOW
        days = {event.at.astimezone(local).date() for event in history}
        assert len(days) > 100, "the steps are spread over the year, not the minute of loading"
        office = office_calendar(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        assert all(office.is_working_day(day) for day in days), sorted(
            day for day in days if not office.is_working_day(day)
        )

        def moment(code: str, action: str) -> datetime.datetime:
            period = Period.objects.get(code=code)
            return history.get(
                content_type=ContentType.objects.get_for_model(Period),
                object_id=str(period.pk),
                action=action,
            ).at.astimezone(local)

        assert moment("2026Q1", AuditAction.PERIOD_OPEN) == demo_calendar.at(
            datetime.date(2026, 1, 5), 9
        )
        for code, month in (("2026Q1", 4), ("2026Q2", 7), ("2026Q3", 11)):
            opened = moment(code, AuditAction.PERIOD_OPEN)
            closed = moment(code, AuditAction.PERIOD_CLOSE)
            assert opened < closed and (closed.year, closed.month) == (2026, month)
        for code, month in (("2026Q1", 5), ("2026Q2", 8)):
            locked = moment(code, AuditAction.PERIOD_LOCK)
            assert moment(code, AuditAction.PERIOD_CLOSE) < locked
            assert (locked.year, locked.month) == (2026, month)
            assert Period.objects.get(code=code).locked_at == locked
        # Marks are given after the quarter, before it closes.
        closed = moment("2026Q3", AuditAction.PERIOD_CLOSE)
        for marked in Score.objects.filter(period__code="2026Q3").values_list(
            "updated_at", flat=True
        ):
            assert demo_calendar.at(datetime.date(2026, 10, 1), 0) < marked < closed

    def test_each_incident_unfolds_in_order_from_the_day_it_happened(self):
        local = timezone.get_default_timezone()
        content_type = ContentType.objects.get_for_model(Incident)
        for incident in Incident.objects.all():
            assert incident.reported_at.astimezone(local).date() == incident.occurred_on
            steps = list(
                AuditEvent.objects.filter(
                    content_type=content_type, object_id=str(incident.pk)
                ).order_by("pk")
            )
            assert steps[0].action == "create"
            moments = [step.at for step in steps]
            assert moments == sorted(moments), incident.number
        # The superseded clause was used only while it was in force.
        superseded = Standard.objects.get(active=False)
        assert superseded.incidents.exists()
        assert all(i.occurred_on < datetime.date(2026, 4, 1) for i in superseded.incidents.all())

    def test_an_appeal_asks_only_for_a_lighter_step(self):
        steps = HandlingDecision.ordered()
        with translation.override("zh-hans"):
            labels = {str(step.label): step for step in steps}
        asked = 0
        for incident in Incident.objects.filter(appeal_text__contains="申请改为"):
            wanted = incident.appeal_text.split("申请改为", 1)[1].rstrip("。")
            assert wanted in labels, incident.appeal_text
            decided = HandlingDecision(incident.handling_decision)
            if incident.appeal_status == AppealStatus.PARTLY_UPHELD:
                assert labels[wanted] == decided, "granted: the handling is now the lighter step"
            else:
                assert steps.index(labels[wanted]) < steps.index(decided), incident.number
            asked += 1
        assert asked >= 1

    def test_every_role_has_an_account(self):
        user_model = get_user_model()
        for account in DEMO_ACCOUNTS:
            user = user_model.objects.get(username=account.username)
            assert set(user.groups.values_list("name", flat=True)) == set(account.roles)
            assert user.staff.name == user.first_name
            assert authenticate(username=account.username, password=DEMO_PASSWORD) == user
        roles = {name for account in DEMO_ACCOUNTS for name in account.roles}
        assert roles == {
            Role.CLERK,
            Role.SECTION_HEAD,
            Role.SUPERVISOR,
            Role.ASSESSOR,
            Role.LEADER,
            Role.ADMINISTRATOR,
        }
        admin = user_model.objects.get(username="admin")
        assert admin.is_staff and admin.is_superuser and admin.staff.section.code == "XZK"
        head = user_model.objects.get(username="head")
        assert list(head.headed_sections.values_list("code", flat=True)) == ["MSK"]
        assert head.staff.section.code == "MSK" and head.staff.post == "科长"
        clerk_sections = set(
            Section.objects.filter(clerks__isnull=False).values_list("code", flat=True)
        )
        assert clerk_sections == set(Section.objects.values_list("code", flat=True))
        leader = user_model.objects.get(username="leader")
        assert leader.staff.post == "办公室副主任"
        assert user_model.objects.get(username="supervisor").staff.section.code == "DCS"

    def test_a_second_call_changes_nothing(self):
        before = counts()
        assert load_demo() is False
        assert counts() == before

    # -- the appraisal -------------------------------------------------------------------

    def test_four_quarters_in_their_states(self):
        assert dict(Period.objects.values_list("code", "state")) == {
            "2026Q1": PeriodState.LOCKED,
            "2026Q2": PeriodState.LOCKED,
            "2026Q3": PeriodState.CLOSED,
            "2026Q4": PeriodState.OPEN,
        }
        for period in Period.objects.all():
            assert list(period.criteria.values_list("code", "weight")) == [
                ("duty", 40),
                ("performance", 40),
                ("service", 20),
            ]
            assert (period.frozen is not None) == period.is_locked

    def test_the_assessment_group_has_six_members(self):
        group = get_user_model().objects.filter(groups__name=Role.ASSESSOR)
        assert set(group.values_list("username", flat=True)) == set(demo_appraisal.ASSESSORS)
        sections = {user.staff.section.code for user in group}
        assert len(sections) == 6, "each from a different section"
        for username, code in (("assessor2", "XXK"), ("assessor3", "JYK")):
            user = group.get(username=username)
            assert list(user.headed_sections.values_list("code", flat=True)) == [code]

    def test_everyone_in_post_is_marked_by_five_or_six_assessors(self):
        for code in MARKED_QUARTERS:
            period = Period.objects.get(code=code)
            first, last = Quarter.parse(code).bounds
            whole_quarter = Staff.objects.filter(start_date__lte=first).exclude(end_date__lt=last)
            givers = defaultdict(set)
            for staff_id, criterion, assessor in Score.objects.filter(
                period=period, staff__isnull=False
            ).values_list("staff_id", "criterion__code", "assessor_id"):
                givers[staff_id, criterion].add(assessor)
            for staff in whole_quarter:
                for criterion in ("duty", "performance", "service"):
                    assert 5 <= len(givers[staff.pk, criterion]) <= 6, (code, staff, criterion)
            table = results.ranking(period)
            # Only someone who left early in the quarter goes unmarked (未考核).
            for row in table.rows:
                if not row.result.assessed:
                    staff = Staff.objects.get(pk=row.facts.pk)
                    assert staff.end_date and staff.end_date < first + datetime.timedelta(45)

    def test_sections_are_marked_but_not_by_their_heads(self):
        for code in MARKED_QUARTERS:
            table = results.ranking(Period.objects.get(code=code), results.SECTION)
            assert len(table.rows) == 10 and table.not_fully_marked == 0
            for row in table.rows:
                assert all(len(average.marks) >= 5 for average in row.result.averages)
        own_section = Score.objects.filter(section__heads=F("assessor"))
        assert not own_section.exists()
        assert not Score.objects.filter(staff__user=F("assessor")).exists(), "nobody marks self"

    def test_the_open_quarter_is_partly_marked(self):
        table = results.ranking(Period.objects.get(code="2026Q4"))
        complete = [row for row in table.rows if row.progress.complete]
        assert 0 < table.not_fully_marked < len(table.rows)
        assert len(complete) >= 10
        assert any(0 < row.progress.given < row.progress.expected for row in table.rows)
        sections = results.ranking(Period.objects.get(code="2026Q4"), results.SECTION)
        assert sections.not_fully_marked == 10

    def test_rankings_follow_the_rules(self):
        for period in Period.objects.all():
            table = results.ranking(period)
            assessed = [row.result for row in table.rows if row.result.assessed]
            assert len(assessed) >= 55
            finals = [r.final for r in assessed]
            assert finals == sorted(finals, reverse=True)
            assert [r.rank for r in assessed] == scoring.competition_ranks(finals)
            graded = table.result.graded_count
            computed_good = sum(1 for r in assessed if r.computed_grade == scoring.Grade.GOOD)
            assert 0 < computed_good <= graded * 40 // 100
            assert any(r.deductions for r in assessed), "the demo's incidents deduct"
        grades = Counter(
            row.result.grade
            for period in Period.objects.all()
            for row in results.ranking(period).rows
            if row.result.assessed and not row.result.undetermined
        )
        assert set(grades) == set(scoring.Grade), "every grade appears somewhere"
        assert grades[scoring.Grade.FAIRLY_GOOD] > grades[scoring.Grade.GOOD]

    def test_marks_are_realistic(self):
        marks = list(Score.objects.values_list("tenths", flat=True))
        assert len(marks) > 3000
        usual = [m for m in marks if 800 <= m <= 950]
        assert len(usual) > 0.6 * len(marks)
        reasoned = Score.objects.filter(tenths__gte=1000) | Score.objects.filter(tenths__lt=600)
        assert reasoned.count() == 2
        assert all(score.reason for score in reasoned)
        assert Score.objects.exclude(reason="").count() == 2
        # A person's level holds from quarter to quarter; the trend moves a little.
        bases = defaultdict(list)
        for code in MARKED_QUARTERS:
            for row in results.ranking(Period.objects.get(code=code)).rows:
                if row.result.assessed:
                    bases[row.facts.key].append(row.result.base)
        steps = [abs(a - b) for series in bases.values() for a, b in itertools.pairwise(series)]
        assert statistics.median(steps) < 3

    def test_every_mark_went_through_the_service(self):
        assert AuditEvent.objects.filter(action=AuditAction.SCORE).count() == Score.objects.count()
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {
            AuditAction.PERIOD_OPEN,
            AuditAction.PERIOD_CLOSE,
            AuditAction.PERIOD_LOCK,
            AuditAction.REVIEW_DECIDE,
        } <= actions

    def test_the_leader_decides_one_grade_above_the_computed_one_in_the_third_quarter(self):
        override = GradeReview.objects.get(reason=demo_appraisal.OVERRIDE_REASON)
        assert override.period.code == "2026Q3"
        assert override.decided_by.username == "leader"
        assert override.reason == demo_appraisal.OVERRIDE_REASON
        row = results.ranking(override.period).row(override.staff.staff_no)
        assert row.result.overridden and row.result.grade == scoring.Grade.GOOD
        assert row.result.computed_grade == scoring.Grade.FAIRLY_GOOD

    def test_the_year_rolls_up(self):
        rollup = results.annual_rollup(2026)
        assert [p.code for p in rollup.periods] == MARKED_QUARTERS
        graded = [row.result for row in rollup.rows if row.result.graded]
        assert len(graded) >= 55
        grades = Counter(result.grade for result in graded)
        assert grades[scoring.AnnualGrade.COMPETENT] > grades[scoring.AnnualGrade.EXCELLENT] > 0
        assert grades[scoring.AnnualGrade.EXCELLENT] <= len(graded) * 20 // 100

    def test_the_year_closes_by_the_rules_of_issue_11(self, client):
        """One new recruit on probation, 诫勉谈话 and a 警告, a 事业编 section, two pools."""
        rollup = results.annual_rollup(2026)
        rows = {row.facts.key: row for row in rollup.rows}
        # The probation date from the staff workbook, applied through the standings service
        # for every quarter and the year: scored and ranked, but no grade.
        recruit = Staff.objects.get(probation_ends__isnull=False)
        assert recruit.start_date.year == 2026
        assert list(
            StaffStanding.objects.filter(staff=recruit)
            .order_by(F("quarter").asc(nulls_first=True))  # the year first, on any database
            .values_list("quarter", "standing", "reason")
        ) == [(q, StandingKind.UNDETERMINED, StandingReason.PROBATION) for q in [None, 1, 2, 3, 4]]
        assert (
            AuditEvent.objects.filter(
                action=AuditAction.STANDING_SET,
                content_type=ContentType.objects.get_for_model(Staff),
                object_id=str(recruit.pk),
                actor__username="admin",
            ).count()
            == 5
        )
        assert [row for row in rows.values() if row.undetermined] == [rows[recruit.staff_no]]
        assert rows[recruit.staff_no].grade_label == "不定等次"
        assert rows[recruit.staff_no].result.rank is not None
        for code in MARKED_QUARTERS:
            row = results.ranking(Period.objects.get(code=code)).row(recruit.staff_no)
            assert row.result.undetermined and row.result.grade is None
        # 诫勉谈话 (handling decisions) and the 警告 (a 处分) bar 优秀; each row says why.
        admonished = set(
            IncidentResponsible.objects.filter(
                incident__handling_decision=HandlingDecision.ADMONITION_TALK
            ).values_list("staff__staff_no", flat=True)
        )
        (warning,) = Sanction.objects.all()
        assert warning.kind == SanctionKind.WARNING and warning.dated.year == 2026
        assert AuditEvent.objects.filter(
            action=AuditAction.CREATE,
            content_type=ContentType.objects.get_for_model(Sanction),
            object_id=str(warning.pk),
            actor__username="supervisor",
        ).exists()
        assert admonished and warning.staff.staff_no not in admonished
        with translation.override("zh-hans"):
            for key, what in [(key, "诫勉谈话") for key in admonished] + [
                (warning.staff.staff_no, "警告")
            ]:
                row = rows[key]
                assert row.result.grade != scoring.AnnualGrade.EXCELLENT
                assert [veto.what for veto in row.result.vetoes] == [what]
                notes = wording.annual_notes(row.result)
                assert any(what in note and "不得评为优秀" in note for note in notes), notes
        # The warned person ranks among the 优秀 places by marks alone: the veto is why not.
        places = sum(pool.places for pool in rollup.result.pools)
        assert rows[warning.staff.staff_no].result.rank <= places
        # 接待办 is 事业编: its own pool, and its grades read 合格 rather than 称职.
        institution = set(
            Staff.objects.filter(category=StaffCategory.INSTITUTION).values_list(
                "staff_no", flat=True
            )
        )
        assert institution == set(
            Staff.objects.filter(section__code="JDB").values_list("staff_no", flat=True)
        )
        labels = {rows[key].grade_label for key in institution}
        assert "合格" in labels and labels <= {"优秀", "合格", "基本合格", "不合格"}
        assert {rows[key].grade_label for key in rows.keys() - institution} <= {
            "优秀",
            "称职",
            "基本称职",
            "不称职",
            "不定等次",
        }
        pools = {pool.name: pool for pool in rollup.result.pools}
        assert set(pools) == {"公务员/参公", "事业编"}
        assert set(pools["事业编"].members) == institution
        assert all(pool.places >= 1 for pool in pools.values())
        # Each quarter froze the two pools when it opened.
        for period in Period.objects.all():
            assert {pool.name for pool in results.ranking(period).result.pools} == set(pools)
        # The annual page shows all of it.
        client.force_login(get_user_model().objects.get(username="leader"))
        page = client.get(reverse("annual", args=[2026])).content.decode()
        for text in ["不定等次", "诫勉谈话", "警告", "合格", "公务员/参公", "事业编"]:
            assert text in page, text


def _fingerprint() -> dict:
    """What a person could see of the loaded demo, times included."""
    return {
        "incidents": list(
            Incident.objects.order_by("number").values_list(
                "number", "occurred_on", "status", "handling_decision", "appeal_status"
            )
        ),
        "history": list(
            AuditEvent.objects.order_by("at", "pk").values_list("at", "action", "object_repr")
        ),
        "marks": list(
            Score.objects.order_by("pk").values_list(
                "period__code", "staff__staff_no", "section__code", "tenths"
            )
        ),
    }


def test_the_demo_is_the_same_whatever_the_day():
    prints = []
    for today in ("2026-01-02 10:00 +0800", "2031-07-15 22:00 +0800"):
        with time_machine.travel(today, tick=False), transaction.atomic():
            assert load_demo() is True
            prints.append(_fingerprint())
            transaction.set_rollback(True)
    assert prints[0]["incidents"] and prints[0] == prints[1]


def _edit(path, sheet_key: str, key: str, column: str, value) -> None:
    """Write ``value`` into ``column`` of the row whose first cell is ``key``."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    (row,) = [row for row in sheet.iter_rows(min_row=2) if row[0].value == key]
    assert header[0] == sheet_key
    row[header.index(column)].value = value
    book.save(path)


def test_the_demo_is_read_from_its_workbooks(tmp_path):
    fixtures = tmp_path / "office"
    shutil.copytree(settings.BASE_DIR / "fixtures" / "demo", fixtures)
    _edit(fixtures / "staff.xlsx", "工号", "001001", "姓名", "欧阳修文")
    _edit(fixtures / "sections.xlsx", "科室代码", "ZBS", "排序", 5)
    _edit(fixtures / "standards.xlsx", "条款编号", "CW-05", "严重扣分", 15)

    call_command("load_demo", "--fixtures", str(fixtures), stdout=StringIO())

    assert Staff.objects.get(staff_no="001001").name == "欧阳修文"
    assert get_user_model().objects.get(username="head").first_name == "欧阳修文"
    assert Section.objects.first().code == "ZBS"
    assert Standard.objects.get(code="CW-05").points_grave == 15
    assert Staff.objects.count() == 60


def test_a_workbook_the_import_refuses_loads_nothing(tmp_path):
    fixtures = tmp_path / "office"
    shutil.copytree(settings.BASE_DIR / "fixtures" / "demo", fixtures)
    _edit(fixtures / "staff.xlsx", "工号", "001002", "入职日期", "2026-02-30")

    with pytest.raises(FixtureRefused, match="入职日期"):
        load_demo(fixtures=fixtures)
    assert counts() == {name: 0 for name in counts()}


def test_a_database_with_data_is_left_alone():
    Section.objects.create(code="BGS", name="办公室", order=1)
    assert load_demo() is False
    assert counts()["staff"] == 0 and counts()["incidents"] == 0


def test_an_existing_account_of_the_same_name_blocks_loading():
    get_user_model().objects.create_user("admin", password="own-password-1")
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "admin" in out.getvalue() and "未载入演示数据" in out.getvalue()
    assert Section.objects.count() == 0


def test_the_commands_speak_chinese():
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "已载入演示数据：10 个科室" in out.getvalue()
    assert "三误事件" in out.getvalue()

    again = StringIO()
    call_command("load_demo", "--if-empty", stdout=again)
    assert "数据库中已有数据，未载入演示数据。" in again.getvalue()

    table = StringIO()
    call_command("demo_accounts", stdout=table)
    text = table.getvalue()
    assert "http://127.0.0.1:8000/" in text
    for account in DEMO_ACCOUNTS:
        assert account.username in text
    assert DEMO_PASSWORD in text


def test_demo_accounts_lists_only_what_exists():
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    assert "没有演示账号" in out.getvalue()


def test_loading_is_all_or_nothing(monkeypatch):
    def refuse(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(demo_appraisal, "period_close", refuse)
    with pytest.raises(RuntimeError):
        load_demo()
    assert counts() == {name: 0 for name in counts()}
    assert not Period.objects.exists() and not Score.objects.exists()
