"""The demo quarter's records beside its marks, through the services, on the timeline: each
person's 个人小结 (written, a few returned once with a comment and rewritten, accepted), the
quarter's 出勤情况, the heads' 评价意见 and 等次建议, a leader's 催办 in the open quarter, and
after each close the 公示 window's objections and everyone's 本人意见.

Who does what follows the app's rules, so the history reads like an office's: a person with a
login writes their own summary; the head of their section enters the others' from paper and
accepts or returns them. Seven of the ten sections have no head account in the demo; there the
administrator does the head's part (the procedure allows it), and proposes the heads' own
grades. Nobody accepts their own summary, so the administrator's own stays 已提交: their head
has no login, and their grade, which nobody may propose, is decided as computed.

Each quarter draws from its own seeded generator, apart from the marks' (:mod:`.appraisal`),
so adding a record here moves no mark.
"""

import datetime
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal

from efficiency import results
from efficiency.models import GradeReview, Period, ReminderKind, Staff, Summary, SummaryStatus
from efficiency.quarters import Quarter
from efficiency.selectors import feedback_owed
from efficiency.services import attendance, publicity, reminders, reviews, summaries

from . import record_texts as texts
from .calendar import Steps, Timeline, at

SEED = 202611
ADMINISTRATOR = "admin"
RETURNED_ONCE = 3  # summaries of a closed quarter returned once with a comment, then rewritten
NOT_STARTED = "not started"
# The open quarter's summaries, by share of its people (the rest not started): accepted and
# submitted; plus one returned and one draft (see Q4_DRAFT and Q4_RETURNED_SECTION).
Q4_SHARES = {SummaryStatus.ACCEPTED: 0.35, SummaryStatus.SUBMITTED: 0.15}
Q4_DRAFT = "clerk"  # whose summary is a draft: a person with a login, writing their own
Q4_RETURNED_SECTION = "MSK"  # whose head ("head") returned one
# In the open quarter a leader reminds the assessor furthest behind (see appraisal.py).
REMINDER = ("leader", "assessor5", ReminderKind.MARKS)


def quarter_label(code: str) -> str:
    quarter = Quarter.parse(code)
    return f"{quarter.year}年第{quarter.number}季度"


class QuarterRecords:
    """Schedules one quarter's summaries, attendance and proposals on the timeline."""

    def __init__(
        self, *, timeline: Timeline, users: Mapping[str, object], staff: Sequence[Staff]
    ) -> None:
        self.timeline = timeline
        self.users = users
        self.staff = list(staff)
        self.by_pk = {user.pk: user for user in users.values()}
        self.heads: dict[int, object] = {}
        for user in users.values():
            for section_id in user.headed_sections.values_list("pk", flat=True):
                self.heads[section_id] = user

    # -- who ---------------------------------------------------------------------------------

    def account(self, person: Staff):
        return self.by_pk.get(person.user_id)

    def reviewer(self, person: Staff):
        """The head of the person's section, else the administrator; None for someone who
        would review themself."""
        head = self.heads.get(person.section_id)
        if head is not None and head.pk != person.user_id:
            return head
        admin = self.users[ADMINISTRATOR]
        return admin if admin.pk != person.user_id else None

    def writer(self, person: Staff):
        return self.account(person) or self.reviewer(person)

    # -- when --------------------------------------------------------------------------------

    def later(
        self, rng: random.Random, after: datetime.datetime, days: tuple[int, int]
    ) -> datetime.datetime:
        """A moment in office hours some working days after ``after``, never past the
        timeline's end."""
        day = self.timeline.working_day(after.date(), rng.randint(*days))
        when = at(day, rng.randint(9, 16), rng.randint(0, 59))
        if when <= after:
            when = after + datetime.timedelta(minutes=rng.randint(10, 50))
        return min(when, self.timeline.end)

    # -- 个人小结 ------------------------------------------------------------------------------

    def summaries(self, code: str, plan: Mapping[int, tuple[str, bool]], start: datetime.date):
        """Each person's summary, from ``start`` (one to five working days later): ``plan``
        gives, by staff pk, the status it ends in and whether it was returned once."""
        rng = random.Random(f"{SEED}-{code}-summaries")
        for person in self.staff:
            end, returned = plan.get(person.pk, (NOT_STARTED, False))
            if end == NOT_STARTED:
                continue
            text = texts.summary_text(rng, section=person.section.code, quarter=quarter_label(code))
            first = at(start, 8, 30)
            when = self.later(rng, first, (0, 4))
            steps = self._summary(code, person, text, end, returned, when, rng)
            self.timeline.add(steps)

    def _submit(self, period: Period, person: Staff, text: str) -> None:
        writer = self.writer(person)
        if writer.pk == person.user_id:
            summaries.submit(actor=writer, period=period, staff=person, text=text)
        else:
            summaries.enter_for(actor=writer, period=period, staff=person, text=text)

    def _summary(
        self,
        code: str,
        person: Staff,
        text: str,
        end: str,
        returned: bool,
        when: datetime.datetime,
        rng: random.Random,
    ) -> Steps:
        comment, addition = rng.choice(texts.RETURNS)
        addition = addition.format(count=rng.randint(20, 60))
        reviewer = self.reviewer(person)
        yield when
        period = Period.objects.get(code=code)
        if end == SummaryStatus.DRAFT:
            half = text[: len(text) // 2]
            summaries.save_draft(actor=self.writer(person), period=period, staff=person, text=half)
            return
        self._submit(period, person, text)
        if end == SummaryStatus.SUBMITTED or reviewer is None:
            return
        when = self.later(rng, when, (1, 2))
        yield when
        if returned:
            summaries.return_(actor=reviewer, period=period, staff=person, comment=comment)
            if end == SummaryStatus.RETURNED:
                return
            when = self.later(rng, when, (1, 2))
            yield when
            self._submit(period, person, text + addition)
            when = self.later(rng, when, (0, 1))
            yield when
        summaries.accept(actor=reviewer, period=period, staff=person)

    def finish_summaries(self, code: str, start: datetime.date) -> None:
        """The year-end moment: every summary of the quarter left mid-way gets written and
        accepted from ``start`` on (the draft finished, the returned one rewritten)."""
        rng = random.Random(f"{SEED}-{code}-finish")
        period = Period.objects.get(code=code)
        written = {s.staff_id: s for s in Summary.objects.filter(period=period)}
        for person in self._people(code):
            summary = written.get(person.pk)
            if summary is not None and (
                summary.status == SummaryStatus.ACCEPTED
                or summary.status == SummaryStatus.SUBMITTED
                and self.reviewer(person) is None
            ):
                continue
            when = self.later(rng, at(start, 8, 30), (0, 3))
            if summary is None:
                text = texts.summary_text(
                    rng, section=person.section.code, quarter=quarter_label(code)
                )
                steps = self._summary(code, person, text, SummaryStatus.ACCEPTED, False, when, rng)
            else:
                steps = self._finish_summary(period, person, summary, when, rng)
            self.timeline.add(steps)

    def _finish_summary(
        self, period: Period, person: Staff, summary, when: datetime.datetime, rng
    ) -> Steps:
        yield when
        if summary.status != SummaryStatus.SUBMITTED:
            _comment, addition = rng.choice(texts.RETURNS)
            text = texts.summary_text(
                rng, section=person.section.code, quarter=quarter_label(period.code)
            )
            if summary.status == SummaryStatus.RETURNED:
                text = summary.text + addition.format(count=rng.randint(20, 60))
            self._submit(period, person, text)
            when = self.later(rng, when, (1, 2))
            yield when
        reviewer = self.reviewer(person)
        if reviewer is not None:  # nobody accepts their own (the administrator's stays 已提交)
            summaries.accept(actor=reviewer, period=period, staff=person)

    def closed_plan(self, code: str) -> dict[int, tuple[str, bool]]:
        """A closed quarter: every summary accepted, a few after one return."""
        rng = random.Random(f"{SEED}-{code}-returns")
        people = self._people(code)
        returned = {p.pk for p in rng.sample(people, RETURNED_ONCE)}
        return {p.pk: (SummaryStatus.ACCEPTED, p.pk in returned) for p in people}

    def open_plan(self, code: str) -> dict[int, tuple[str, bool]]:
        """The open quarter mid-way: some accepted, some waiting for the head, one returned,
        one draft, the rest not started."""
        rng = random.Random(f"{SEED}-{code}-progress")
        people = self._people(code)
        draft = self.users[Q4_DRAFT].staff
        returned = next(
            p for p in people if p.section.code == Q4_RETURNED_SECTION and p.user_id is None
        )
        rest = [p for p in people if p.pk not in (draft.pk, returned.pk)]
        rng.shuffle(rest)
        plan = {draft.pk: (SummaryStatus.DRAFT, False), returned.pk: (SummaryStatus.RETURNED, True)}
        for status, share in Q4_SHARES.items():
            for person in rest[: round(len(people) * share)]:
                plan[person.pk] = (status, False)
            rest = rest[round(len(people) * share) :]
        return plan

    def _people(self, code: str) -> list[Staff]:
        period = Period.objects.get(code=code)
        ids = set(results.staff_in_period(period).values_list("pk", flat=True))
        return [p for p in self.staff if p.pk in ids]

    # -- 出勤情况 ------------------------------------------------------------------------------

    def attendance(self, code: str, when: datetime.datetime) -> Steps:
        """The administrator records the quarter's attendance: nothing for most (full
        attendance), some leave, a couple late, one absence."""
        yield when
        rng = random.Random(f"{SEED}-{code}-attendance")
        period = Period.objects.get(code=code)
        people = self._people(code)
        rng.shuffle(people)
        sick, personal, late, absent = people[:3], people[3:5], people[5:7], people[7:8]
        figures = {}
        for person in sick:
            figures[person.pk] = (0, Decimal(rng.randint(1, 6)) / 2, 0, texts.SICK_LEAVE)
        for person in personal:
            figures[person.pk] = (0, Decimal(rng.randint(1, 4)) / 2, 0, texts.PERSONAL_LEAVE)
        for person in late:
            figures[person.pk] = (0, Decimal(0), rng.randint(1, 2), texts.LATE)
        for person in absent:
            figures[person.pk] = (1, Decimal(0), 0, texts.ABSENT)
        admin = self.users[ADMINISTRATOR]
        # All zeros are what the app records for the rest (full attendance): the service
        # stores nothing for them, so they are not entered one by one.
        for person in sorted(people, key=lambda p: p.staff_no):
            if person.pk not in figures:
                continue
            absent_days, leave_days, late_times, reason = figures[person.pk]
            attendance.record_attendance(
                actor=admin,
                period=period,
                staff=person,
                absent_days=absent_days,
                leave_days=leave_days,
                late_times=late_times,
                reason=reason,
            )

    # -- 评价意见 and 等次建议 -------------------------------------------------------------------

    def proposals(self, code: str, day: datetime.date) -> None:
        """Each person's reviewer (their head, else the administrator) proposes the computed
        grade with a comment, one person every few minutes, from nine on ``day``."""
        rng = random.Random(f"{SEED}-{code}-proposals")
        by_proposer: dict[str, list[Staff]] = {}
        for person in self._people(code):
            proposer = self.reviewer(person)
            # Nobody proposes their own grade: the administrator's is decided as computed.
            if proposer is not None:
                by_proposer.setdefault(proposer.username, []).append(person)
        for index, (name, people) in enumerate(sorted(by_proposer.items())):
            start = at(day, 9) + datetime.timedelta(minutes=20 * index)
            seed = rng.random()
            self.timeline.add(self._propose(code, name, people, start, seed))

    def _propose(
        self, code: str, username: str, people: list[Staff], when: datetime.datetime, seed: float
    ) -> Steps:
        rng = random.Random(seed)
        yield when
        period = Period.objects.get(code=code)
        table = results.ranking(period, results.STAFF)
        actor = self.users[username]
        for person in people:
            row = table.row(person.staff_no)
            if row is None or not row.result.assessed or row.result.computed_grade is None:
                continue
            grade = row.result.computed_grade
            reviews.propose(
                actor=actor,
                period=period,
                staff=person,
                grade=grade.value,
                comment=texts.head_comment(rng, grade),
            )
            when += datetime.timedelta(seconds=rng.randint(60, 240))
            yield when

    def refresh_proposals(self, code: str) -> None:
        """Where the computed grade has changed since the proposal (an appeal upheld after
        it, say), the proposer proposes again before the leader decides."""
        rng = random.Random(f"{SEED}-{code}-refresh")
        period = Period.objects.get(code=code)
        table = results.ranking(period, results.STAFF)
        proposed = (
            GradeReview.objects.filter(period=period)
            .exclude(proposed_grade="")
            .select_related("staff", "proposed_by")
            .order_by("staff__staff_no")
        )
        for review in proposed:
            row = table.row(review.staff.staff_no)
            grade = row.result.computed_grade if row is not None else None
            if grade is None or grade == review.proposed_grade:
                continue
            reviews.propose(
                actor=review.proposed_by,
                period=period,
                staff=review.staff,
                grade=grade.value,
                comment=texts.head_comment(rng, grade),
            )

    # -- 催办 ----------------------------------------------------------------------------------

    def reminder(self, code: str, when: datetime.datetime) -> Steps:
        sender, to, kind = REMINDER
        yield when
        reminders.remind(
            actor=self.users[sender],
            period=Period.objects.get(code=code),
            user=self.users[to],
            kind=kind,
        )

    # -- 公示 and 结果反馈 ----------------------------------------------------------------------

    def objection(
        self, code: str, *, lodger: str, when: datetime.datetime, answer_at=None
    ) -> Steps:
        """``lodger`` objects, during the window, to the grade of the best-ranked 较好 outside
        their own section; a leader rejects it at ``answer_at`` (None: still unanswered)."""
        yield when
        period = Period.objects.get(code=code)
        user = self.users[lodger]
        table = results.ranking(period, results.STAFF)
        about = next(
            row
            for row in table.rows
            if row.result.grade is not None
            and row.result.grade.value == "fairly_good"
            and row.facts.pk != user.staff.pk
            and row.facts.section_id != user.staff.section_id
        )
        staff = Staff.objects.get(pk=about.facts.pk)
        objection = publicity.lodge_objection(
            actor=user, period=period, staff=staff, reason=texts.OBJECTION_REASON
        )
        if answer_at is None:
            return
        yield answer_at
        publicity.answer_objection(
            actor=self.users["leader"],
            objection=objection,
            answer="rejected",
            reply=texts.OBJECTION_REPLY,
        )

    def feedback(self, code: str, start: datetime.date, *, share: float, disagree: int) -> None:
        """After the window, ``share`` of the people with a login record their own opinion over
        two working days from ``start``; the first ``disagree`` of them 有异议."""
        rng = random.Random(f"{SEED}-{code}-feedback")
        period = Period.objects.get(code=code)
        owed = [p for p in self._people(code) if self.account(p) is not None]
        owed = owed[: round(len(owed) * share)]
        for index, person in enumerate(owed):
            when = self.later(rng, at(start, 8, 30), (0, 1))
            self.timeline.add(self._feedback(period, person, when, index < disagree))

    def feedback_rest(self, code: str, start: datetime.date) -> None:
        """The year-end moment: those whose opinion is still owed record it over two working
        days from ``start``, all agreeing."""
        rng = random.Random(f"{SEED}-{code}-feedback-rest")
        period = Period.objects.get(code=code)
        for person in feedback_owed(period):
            when = self.later(rng, at(start, 8, 30), (0, 1))
            self.timeline.add(self._feedback(period, person, when, False))

    def _feedback(self, period: Period, person: Staff, when: datetime.datetime, disagree: bool):
        yield when
        publicity.record_feedback(
            actor=self.account(person),
            period=Period.objects.get(pk=period.pk),
            staff=person,
            opinion="disagree" if disagree else "agree",
            text=texts.FEEDBACK_DISAGREE if disagree else "",
        )
