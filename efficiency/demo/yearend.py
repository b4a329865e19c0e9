"""The year-end moment (``load_demo --year-end``): the demo office carried on from Friday 27
November 2026 to Friday 29 January 2027, its year 2026 closed by the rules.

After the default demo's timeline has run (:func:`efficiency.demo.load_demo`), a second timeline
picks the same office up where it stood, through the same services:

- 2026Q3: the objection still open is answered, the opinions still owed are recorded, and the
  quarter is locked;
- 2026Q4: the assessors behind finish their sheets, every summary is written and accepted; after
  the quarter ends the attendance and the heads' proposals are recorded, the leader decides,
  closes it for 公示, everyone records their opinion and the quarter is locked;
- the year: the 个人总结 written and accepted (one returned, one missing), the computed
  建议等次 (``results.annual_rollup``), the heads' proposals of it with
  their 评语 (the weakest computed 不称职: two quarters 较差), the leader's decisions,
  the 优秀 published for five working days with one objection lodged and answered, the
  考核结果通知书 issued, most 本人意见 recorded, and the 不称职 person's 复核 requested and
  waiting for the office's decision within its 30-day clock.

Each step is scheduled on the office's calendar (2027 as :mod:`.calendar` says) at a fixed
moment, so the history reads as the office's and the same load always gives the same office.
"""

import datetime
import random
from collections.abc import Callable

from efficiency import results
from efficiency.models import (
    AnnualReview,
    ClockStep,
    DayKind,
    FeedbackOpinion,
    Objection,
    OfficeDay,
    Period,
    Staff,
)
from efficiency.scoring import AnnualGrade
from efficiency.selectors import office_calendar
from efficiency.services import annual, annual_clocks, annual_publicity, publicity, summaries
from efficiency.services.appraisal import period_lock
from efficiency.services.roster import save_audited

from . import record_texts as texts
from .appraisal import AppraisalLoader, Publicity
from .calendar import NEW_YEAR_2027, NOW, YEAR, YEAR_END_NOW, Steps, Timeline, at

SEED = 202701
CLOSED_QUARTER, OPEN_QUARTER = f"{YEAR}Q3", f"{YEAR}Q4"
D = datetime.date
# 2026Q3, still in 公示 on 27 November: the objection answered on Monday, the last opinions
# over the next two days, the lock on Thursday.
Q3_ANSWER = at(D(YEAR, 11, 30), 11)
Q3_FEEDBACK = D(YEAR, 12, 1)
Q3_LOCK = at(D(YEAR, 12, 3), 16)
# 2026Q4: the sheets and summaries finished in early December; after the quarter, attendance on
# the first working day of 2027, the heads' proposals the same day, the decisions on the next,
# the close on the one after (its 公示 for the usual five working days), the lock eight working
# days after the close.
CALENDAR_ENTERED = at(D(YEAR, 12, 1), 9)
Q4_SHEETS = D(YEAR, 12, 1)
Q4_SUMMARIES = D(YEAR, 12, 1)
Q4_ATTENDANCE = at(D(YEAR + 1, 1, 4), 10)
Q4_PROPOSALS = D(YEAR + 1, 1, 4)
Q4_DECIDED = D(YEAR + 1, 1, 5)
Q4_CLOSES = D(YEAR + 1, 1, 6)
Q4_PUBLICITY = Publicity(feedback=1.0)
# The year's 个人总结: written from Monday 14 December (Q4 is open), each read by the head a
# few working days later; all before the heads' proposals. One is returned and not yet
# rewritten, one never written.
YEAR_SUMMARIES = D(YEAR, 12, 14)
# The year: the heads propose on Tuesday 19 January, the leader decides and publishes the 优秀
# on the 20th for five working days (to the 27th); an objection on the 22nd, answered on the
# 25th; the notices on the 28th, the opinions over the 28th and 29th, the 复核 asked on the 29th.
YEAR_PROPOSALS = D(YEAR + 1, 1, 19)
YEAR_DECIDED = at(D(YEAR + 1, 1, 20), 10)
YEAR_PUBLISHED = at(D(YEAR + 1, 1, 20), 15)
YEAR_PUBLICITY_DAYS = annual_publicity.MIN_PUBLICITY_DAYS
OBJECTION_LODGED = at(D(YEAR + 1, 1, 22), 14, 30)
OBJECTION_ANSWERED = at(D(YEAR + 1, 1, 25), 11)
NOTICES = at(D(YEAR + 1, 1, 28), 9, 30)
OPINIONS = D(YEAR + 1, 1, 28)
REVIEW_ASKED = at(D(YEAR + 1, 1, 29), 10, 30)
# Of the people with a notice, these many have not given their 本人意见 yet (the rest have).
OPINIONS_MISSING = 4
OBJECTOR = "clerk2"

COMMENTS = {
    AnnualGrade.EXCELLENT: "全年工作业绩突出，各季度考核均居前列，无三误事件，群众认可度高。",
    AnnualGrade.COMPETENT: "全年能够完成岗位职责和交办任务，工作作风较扎实，遵守纪律。",
    AnnualGrade.BASIC: "全年基本完成岗位任务，但工作质量和效率有待提高，需加强学习。",
    AnnualGrade.INCOMPETENT: "全年工作质量差，多次出现差错，经提醒后仍未改进。",
}
UNDETERMINED_COMMENT = "新录用人员，试用期未满，本年度不定等次；试用期内表现良好，按期转正考核。"
OBJECTION_REASON = "该同志今年承担的任务与本科室其他同志相当，评为优秀的依据请予说明。"
OBJECTION_REPLY = "经核对四个季度的评分和等次，该同志全年考核得分居本单位前列，维持优秀等次。"
DISAGREE_TEXT = "对全年工作的评价有不同意见，已申请复核。"
REVIEW_REQUEST = (
    "本人全年承担窗口接待任务量大，第二季度的群众来电问题已整改，请求对年度考核等次予以复核。"
)


class YearEnd:
    """Schedules the year-end moment's steps on its own timeline (see the module)."""

    def __init__(self, *, loader: AppraisalLoader, say: Callable[[str], None]) -> None:
        self.timeline = Timeline(NOW, end=YEAR_END_NOW)
        self.loader = loader
        self.users = loader.users
        self.records = loader.records
        self.say = say
        self.rng = random.Random(SEED)
        # The weakest: 不称职 by the rules (two quarters 较差), who asks for a 复核.
        self.failed = loader.weak[0]

    def run(self) -> None:
        self.loader.carry_on(self.timeline)
        self.timeline.add(self._calendar())
        self.timeline.add(self._closed_quarter())
        self.timeline.add(self._open_quarter())
        self.timeline.add(self._year_summaries())
        self.timeline.add(self._year())
        self.timeline.run()

    def _calendar(self) -> Steps:
        """The administrator enters 元旦 2027, the day off the year-end moment reaches."""
        yield CALENDAR_ENTERED
        save_audited(
            actor=self.users["admin"],
            obj=OfficeDay(date=NEW_YEAR_2027, kind=DayKind.OFF, name="元旦"),
        )
        self.timeline.use_calendar(office_calendar(D(YEAR, 1, 1), D(YEAR + 1, 12, 31)))

    def _closed_quarter(self) -> Steps:
        yield Q3_ANSWER
        self.say(f"{CLOSED_QUARTER}：答复异议、补齐本人意见并锁定……")
        period = Period.objects.get(code=CLOSED_QUARTER)
        for objection in Objection.objects.filter(period=period, answer="").order_by("pk"):
            publicity.answer_objection(
                actor=self.users["leader"],
                objection=objection,
                answer="rejected",
                reply=texts.OBJECTION_REPLY,
            )
        self.records.feedback_rest(CLOSED_QUARTER, Q3_FEEDBACK)
        yield Q3_LOCK
        period_lock(actor=self.users["leader"], period=Period.objects.get(code=CLOSED_QUARTER))

    def _open_quarter(self) -> Steps:
        yield at(Q4_SHEETS, 9)
        self.say(f"{OPEN_QUARTER}：完成评分和个人小结，审定、公示并锁定……")
        self.loader.finish_sheets(OPEN_QUARTER, Q4_SHEETS)
        self.records.finish_summaries(OPEN_QUARTER, Q4_SUMMARIES)
        self.timeline.add(self.records.attendance(OPEN_QUARTER, Q4_ATTENDANCE))
        self.records.proposals(OPEN_QUARTER, Q4_PROPOSALS)
        yield from self.loader.decide_and_close(
            OPEN_QUARTER, decided=Q4_DECIDED, closes=Q4_CLOSES, plan=Q4_PUBLICITY, lock=True
        )

    # -- the year ----------------------------------------------------------------------------

    def _year_summaries(self) -> Steps:
        """Everyone on the year's roster writes their 个人总结 (or their head enters it from
        paper) and the head accepts it; one is returned and waits to be rewritten, the last
        person by 工号 has written none."""
        yield at(YEAR_SUMMARIES, 8, 30)
        self.say(f"{YEAR} 年度：个人总结……")
        rng = random.Random(f"{SEED}-year-summaries")
        people = list(
            summaries.subject_of(year=YEAR).roster().select_related("section").order_by("staff_no")
        )
        missing = people[-1]
        returned = next(
            p for p in people[len(people) // 2 :] if p.user_id and self.records.reviewer(p)
        )
        for person in people:
            if person == missing:
                continue
            text = texts.year_summary_text(rng, section=person.section.code, year=YEAR)
            when = self.records.later(rng, at(YEAR_SUMMARIES, 8, 30), (0, 10))
            self.timeline.add(self._year_summary(person, text, person == returned, when, rng))

    def _year_summary(self, person: Staff, text: str, returned: bool, when, rng) -> Steps:
        yield when
        writer, reviewer = self.records.writer(person), self.records.reviewer(person)
        if writer.pk == person.user_id:
            summaries.submit(actor=writer, year=YEAR, staff=person, text=text)
        else:
            summaries.enter_for(actor=writer, year=YEAR, staff=person, text=text)
        if reviewer is None:  # nobody reviews their own: it stays submitted
            return
        yield self.records.later(rng, when, (1, 3))
        if returned:
            summaries.return_(actor=reviewer, year=YEAR, staff=person, comment=texts.YEAR_RETURN)
        else:
            summaries.accept(actor=reviewer, year=YEAR, staff=person)

    def _year(self) -> Steps:
        yield at(YEAR_PROPOSALS, 9)
        self.say(f"{YEAR} 年度：建议等次、审定、优秀公示、结果通知和复核……")
        rollup = results.annual_rollup(YEAR)
        staff = Staff.objects.select_related("section").in_bulk([r.facts.pk for r in rollup.rows])
        when = at(YEAR_PROPOSALS, 9)
        for row in rollup.rows:
            if row.result.grade is None and not row.undetermined:
                continue
            person = staff[row.facts.pk]
            proposer = self.records.reviewer(person)
            if proposer is None:  # nobody proposes their own grade
                continue
            when += datetime.timedelta(seconds=self.rng.randint(60, 200))
            yield when
            if row.undetermined:
                annual.propose(
                    actor=proposer, year=YEAR, staff=person, grade="", comment=UNDETERMINED_COMMENT
                )
                continue
            grade = row.result.grade
            annual.propose(
                actor=proposer, year=YEAR, staff=person, grade=grade.value, comment=COMMENTS[grade]
            )
        yield YEAR_DECIDED
        annual.decide_all_as_proposed(actor=self.users["leader"], year=YEAR)
        yield YEAR_PUBLISHED
        annual_publicity.publish(actor=self.users["leader"], year=YEAR, days=YEAR_PUBLICITY_DAYS)
        yield OBJECTION_LODGED
        excellent = list(annual_publicity.excellent_list(YEAR))
        lodger = self.users[OBJECTOR]
        about = next(r.staff for r in excellent if r.staff.section_id != lodger.staff.section_id)
        objection = annual_publicity.lodge_objection(
            actor=lodger, year=YEAR, staff=about, reason=OBJECTION_REASON
        )
        yield OBJECTION_ANSWERED
        annual_publicity.answer_objection(
            actor=self.users["leader"],
            objection=objection,
            answer="rejected",
            reply=OBJECTION_REPLY,
        )
        yield NOTICES
        annual_publicity.issue_notices(actor=self.users["leader"], year=YEAR)
        self.timeline.add(self._opinions())
        self.timeline.add(self._review())

    def _review(self) -> Steps:
        """The 不称职 person disagrees on their notice, then asks for a 复核 (recorded from paper
        by the administrator when they have no login)."""
        yield REVIEW_ASKED - datetime.timedelta(minutes=20)
        annual_publicity.record_opinion(
            actor=self._speaker(self.failed),
            year=YEAR,
            staff=self.failed,
            opinion=FeedbackOpinion.DISAGREE,
            text=DISAGREE_TEXT,
        )
        yield REVIEW_ASKED
        annual_clocks.person_step(
            actor=self._speaker(self.failed),
            year=YEAR,
            staff=self.failed,
            step=ClockStep.REVIEW_REQUEST,
            text=REVIEW_REQUEST,
        )

    def _speaker(self, person: Staff):
        """The person, or the administrator from paper for someone without a login."""
        return self.records.account(person) or self.users["admin"]

    def _opinions(self) -> Steps:
        """本人意见 on the notices: the people with a login first, then the administrator
        from paper, one every few minutes over two working days; a few are still missing."""
        reviews = (
            AnnualReview.objects.filter(appraisal__year=YEAR)
            .exclude(grade="")
            .select_related("staff")
            .order_by("staff__staff_no")
        )
        people = [r.staff for r in reviews if r.staff.pk != self.failed.pk]
        people.sort(key=lambda s: (self.records.account(s) is None, s.staff_no))
        missing = set(self.rng.sample([p.pk for p in people[-20:]], OPINIONS_MISSING))
        when = at(OPINIONS, 9, 40)
        last = at(self.timeline.working_day(OPINIONS, 1), 17)
        step = (last - when) / (len(people) + 1)
        for person in people:
            when += step
            if person.pk in missing:
                continue
            yield when
            annual_publicity.record_opinion(
                actor=self._speaker(person), year=YEAR, staff=person, opinion=FeedbackOpinion.AGREE
            )


def load_year_end(*, loader: AppraisalLoader, say: Callable[[str], None]) -> None:
    """Carry the loaded demo on to :data:`~.calendar.YEAR_END_NOW` (see the module)."""
    YearEnd(loader=loader, say=say).run()
