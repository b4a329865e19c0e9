"""The period timeline (开启 → 小结 → 评分 → 审核 → 公示 → 反馈 → 锁定) on the period page.

The office of tests/test_view_results.py: 2026Q3 open, four people fully marked by five judges.
"""

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from efficiency import selectors, timeline
from efficiency.models import Period, Staff
from efficiency.services import publicity, reviews
from efficiency.services import summaries as summary_services
from efficiency.services.appraisal import period_close, period_lock, period_open

from . import test_view_results as base
from .conftest import login
from .factories import make_staff

judges = base.judges
period = base.period
PAGE = "/appraisal/"
LABELS = ["开启", "小结", "评分", "审核", "公示", "反馈", "锁定"]


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        yield


def states(line: timeline.Timeline) -> list[tuple[str, str]]:
    return [(step.label, step.state) for step in line.steps]


def step(line: timeline.Timeline, key: str) -> timeline.Step:
    return next(s for s in line.steps if s.key == key)


def card(html: str, code: str) -> str:
    start = html.index(f'id="p-{code}"')
    return html[start : html.index("</article>", start)]


def test_a_draft_waits_for_a_leader_to_open_it(office):
    draft = Period.objects.create(code="2026Q4", year=2026, quarter=4)
    line = timeline.timeline(draft)
    assert states(line) == [("开启", "current")] + [(label, "later") for label in LABELS[1:]]
    assert (line.next_step, line.waiting) == ("开启", "领导开启考核期")
    assert all(not s.counts for s in line.steps)


def test_an_open_period_counts_summaries_marks_and_decisions(office, period, judges):
    staff = Staff.objects.count()
    summary_services.submit(actor=office.named, period=period, staff=office.person, text="小结。")
    summary_services.accept(actor=office.head, period=period, staff=office.person)
    summary_services.submit(
        actor=office.head_b, period=period, staff=office.other_person, text="小结。"
    )
    reviews.propose(
        actor=office.head, period=period, staff=office.person, grade="fairly_good", comment=""
    )
    reviews.decide(actor=office.leader, period=period, staff=office.colleague, grade="good")
    line = timeline.timeline(Period.objects.get(pk=period.pk))
    assert states(line)[:3] == [("开启", "done"), ("小结", "current"), ("评分", "later")]
    assert step(line, "open").counts == (f"参加考核{staff}人",)
    assert step(line, "summary").counts == (f"已提交2/{staff}，已通过1",)
    marking = step(line, "marking")
    done = sum(1 for s in timeline.progress.assessor_lines(period) if s.done)
    assert marking.counts == (f"考评人已完成{done}/{len(judges)}",)
    # Decided among the four assessed (marked on every criterion), not everyone on the roster.
    assert step(line, "review").counts == ("已建议1/4，已审定1/4",)
    assert step(line, "publicity").counts == () and step(line, "publicity").dates == ()
    assert line.next_step == "公示"
    # Everything unfinished before the close is waited for, who for whom.
    assert line.waiting.startswith(f"{staff - 2}人提交小结，科室负责人审核1份小结；")
    assert line.waiting.endswith("科室负责人提出3人的等次建议，领导审定3人的等次")


def test_a_stale_decision_is_counted_in_the_review_step(office, period, judges):
    reviews.decide(actor=office.leader, period=period, staff=office.colleague, grade="good")
    base.mark(period, judges, office.colleague, [("70", "70", "70")] * 5)
    review = step(timeline.timeline(period), "review")
    assert review.counts[1] == "1项须重新审定"
    assert not review.finished


def test_a_closed_period_is_in_publicity(office, period):
    closed = period_close(actor=office.leader, period=period)
    line = timeline.timeline(closed)
    assert [s for _l, s in states(line)] == ["done"] * 4 + ["current", "later", "later"]
    publicity = step(line, "publicity")
    assert publicity.dates == ("已发布（11月20日）",)
    assert step(line, "feedback").counts == ("公示期结束后由本人填写",)
    assert (line.next_step, line.waiting) == ("反馈", "公示期结束")


def test_publicity_counts_objections_then_feedback(office, period):
    closed = period_close(actor=office.leader, period=period, days=5)  # Fri 20 Nov: to 27 Nov
    publicity.lodge_objection(
        actor=office.named, period=closed, staff=office.colleague, reason="工作量统计有误。"
    )
    line = timeline.timeline(Period.objects.get(pk=closed.pk))
    shown = step(line, "publicity")
    assert shown.dates == ("已发布（11月20日）", "公示至11月27日")
    assert shown.counts == ("异议1条，未答复1条", "公示期剩余5个工作日，至11月27日。")
    assert shown.state == "current"
    assert line.waiting == "公示期结束，领导答复1条异议"
    owed = selectors.feedback_owed(closed).count()
    assert step(line, "feedback").counts == (f"已反馈0人，未反馈{owed}人，有异议0人",)
    with time_machine.travel("2026-11-30 09:00 +0800", tick=False):
        objection = closed.objections.get()
        publicity.answer_objection(
            actor=office.leader, objection=objection, answer="rejected", reply="经核实无误。"
        )
        publicity.record_feedback(
            actor=office.named,
            period=closed,
            staff=office.person,
            opinion="disagree",
            text="对评价有不同意见。",
        )
        line = timeline.timeline(Period.objects.get(pk=closed.pk))
    assert step(line, "publicity").state == "done"
    assert step(line, "publicity").counts == ("异议1条，未答复0条",)
    assert step(line, "feedback").state == "current"
    assert step(line, "feedback").counts == (f"已反馈1人，未反馈{owed - 1}人，有异议1人",)
    assert line.waiting == f"{owed - 1}人填写本人意见"


def test_a_locked_period_has_every_step_done(office, period):
    locked = period_lock(
        actor=office.leader, period=period_close(actor=office.leader, period=period)
    )
    line = timeline.timeline(locked)
    assert [s for _l, s in states(line)] == ["done"] * 7
    assert step(line, "lock").dates == ("11月20日锁定",)
    assert (line.next_step, line.current) == ("", None)


def test_the_page_shows_the_timeline_as_an_ordered_list(office, period):
    html = login(office.leader).get(PAGE).content.decode()
    part = card(html, "2026Q3")
    assert '<ol class="timeline-steps"' in part
    assert part.count('aria-current="step"') == 1
    current = re.search(r'data-step="(\w+)" aria-current="step"', part).group(1)
    assert current == "summary"
    assert "下一步：公示；等待：" in part
    assert "style=" not in part


def test_people_without_the_results_see_the_steps_without_counts(office, period):
    part = card(login(office.named).get(PAGE).content.decode(), "2026Q3")
    assert 'aria-current="step"' in part
    assert "已提交" not in part and "考评人已完成" not in part
    assert "下一步：公示；等待：完成个人小结、评分和审定。" in part


def test_the_counts_take_the_same_queries_for_three_times_the_people(
    office, period, django_assert_max_num_queries
):
    reviews.decide(actor=office.leader, period=period, staff=office.colleague, grade="good")
    period_open(actor=office.leader, code="2026Q2")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            timeline.timeline(Period.objects.get(code="2026Q3"))
        return len(queries)

    people = Staff.objects.count()
    for i in range(people):
        make_staff(office.a, f"甲{i}", f"10{i:04d}")
    small = count()
    for i in range(2 * people * 2):
        make_staff(office.b, f"乙{i}", f"20{i:04d}")
    assert count() == small
    with django_assert_max_num_queries(small):
        timeline.timeline(Period.objects.get(code="2026Q3"))
