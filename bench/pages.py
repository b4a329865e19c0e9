"""Bench: every page of issue 10 ("the quarter as an office runs it") at 2,000 staff.

Builds the large office of bench/appraisal.py (its builder, with one big section of 200 people
more), then adds what these pages read, for the open quarter 2026Q4 and the closed 2026Q3:
a login for most people, 个人小结 in every state, 出勤 for everyone, 评价意见 and proposals for
most, decisions for most of 2026Q3, and 催办 reminders. It times each page for the persona who
uses it (administrator, leader, the head of the big section, a staff member) through
django.test.Client against the real views. **Goal: every page under 300 ms at 2,000 staff.**

    .venv/bin/python bench/pages.py                          # full size (a few minutes)
    .venv/bin/python bench/pages.py --keep pages.sqlite3   # build once, then --reuse it
    .venv/bin/python bench/pages.py --staff 200 --sections 12 --incidents 2000 --big-section 40

A page is one line of :func:`pages`; see bench/README.md for the columns.
"""

import argparse
import datetime
import random
import statistics
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import appraisal  # noqa: E402  (the builder and the timing of the sibling bench)

OPEN, CLOSED = "2026Q4", "2026Q3"
YEAR = 2026  # 2026Q1-Q2 locked, Q3 closed: the annual roll-up reads three rankings
WITH_LOGIN = 0.9  # the share of people with an account of their own

SUMMARY_TEXT = (
    "本季度认真完成岗位职责范围内的各项工作，按时办理来文来电，参与重点项目的材料起草与会务保障，"
    "做到件件有着落、事事有回音。加强政治理论和业务知识学习，遵守工作纪律。"
    "不足之处是统筹协调能力有待提高，下季度将进一步改进工作方法，提升工作质效。"
)
COMMENT_TEXT = "工作认真负责，完成任务及时，服从安排，团结同事。"


@dataclass(frozen=True)
class Page:
    label: str
    persona: str  # administrator, leader, head, staff
    url: str
    data: dict | None = None  # posted, when given
    expect: int = 200


def pages(built: dict) -> list[Page]:
    """Each page of the issue, for the persona who opens it. One line a page."""
    head_no, staff_no, submitted_no = built["head_no"], built["staff_no"], built["submitted_no"]
    big = built["big_section"]
    return [
        Page("period page", "leader", "/appraisal/"),
        Page("home (leader)", "leader", "/"),
        Page("home (administrator)", "administrator", "/"),
        Page("home (head, assessor)", "head", "/"),
        Page("home (staff, reminder)", "staff", "/"),
        Page(f"my summary {OPEN}", "staff", f"/appraisal/{OPEN}/summary/"),
        Page(f"summaries {OPEN} (head)", "head", f"/appraisal/{OPEN}/summaries/"),
        Page(f"summaries {OPEN} (admin, all)", "administrator", f"/appraisal/{OPEN}/summaries/"),
        Page(
            "summaries ?section=&page=3 (admin)",
            "administrator",
            f"/appraisal/{OPEN}/summaries/?section={big}&page=3",
        ),
        Page("summaries ?q= (admin)", "administrator", f"/appraisal/{OPEN}/summaries/?q=王"),
        Page(
            "summaries last page (admin)",
            "administrator",
            f"/appraisal/{OPEN}/summaries/?page=last",
        ),
        Page(
            f"summary {submitted_no} (head)",
            "head",
            f"/appraisal/{OPEN}/summaries/{submitted_no}/",
        ),
        Page(
            "summary return, confirm (head)",
            "head",
            f"/appraisal/{OPEN}/summaries/{submitted_no}/review/",
            {"action": "return", "comment": "请补充本季度的具体工作量。"},
        ),
        Page(
            "summary enter (head)",
            "head",
            f"/appraisal/{OPEN}/summaries/{built['unwritten_no']}/enter/",
            {"text": SUMMARY_TEXT},
            expect=302,
        ),
        Page(f"attendance {OPEN} (admin)", "administrator", f"/appraisal/{OPEN}/attendance/"),
        Page(
            "attendance ?section=&page=3 (admin)",
            "administrator",
            f"/appraisal/{OPEN}/attendance/?section={big}&page=3",
        ),
        Page("attendance ?q= (admin)", "administrator", f"/appraisal/{OPEN}/attendance/?q=王"),
        Page(f"attendance {CLOSED} (leader)", "leader", f"/appraisal/{CLOSED}/attendance/"),
        Page(
            "attendance save (admin)",
            "administrator",
            f"/appraisal/{OPEN}/attendance/",
            {"staff_no": head_no, "absent_days": "0", "leave_days": "1.5", "late_times": "2"},
            expect=302,
        ),
        Page(f"review {CLOSED} (head)", "head", f"/appraisal/{CLOSED}/review/"),
        Page(f"review {OPEN} (head)", "head", f"/appraisal/{OPEN}/review/"),
        Page(f"review {CLOSED} (admin, all)", "administrator", f"/appraisal/{CLOSED}/review/"),
        Page(f"decisions {CLOSED}", "leader", f"/appraisal/{CLOSED}/decisions/"),
        Page(f"decisions {OPEN}", "leader", f"/appraisal/{OPEN}/decisions/"),
        Page(
            "decisions/all, confirm",
            "leader",
            f"/appraisal/{CLOSED}/decisions/all/",
            {},
        ),
        Page(
            f"decisions/{staff_no}, confirm",
            "leader",
            f"/appraisal/{CLOSED}/decisions/{staff_no}/",
            {"action": "set", "grade": "average", "reason": "本季度有一次工作延误。"},
        ),
        Page(f"progress {OPEN}", "leader", f"/appraisal/{OPEN}/progress/"),
        Page("progress ?behind=1", "leader", f"/appraisal/{OPEN}/progress/?behind=1"),
        Page("progress ?section=", "leader", f"/appraisal/{OPEN}/progress/?section={big}"),
        Page("progress ?q=", "leader", f"/appraisal/{OPEN}/progress/?q=王"),
        Page(f"progress {OPEN} (admin)", "administrator", f"/appraisal/{OPEN}/progress/"),
        Page("remind-all, confirm", "leader", f"/appraisal/{OPEN}/progress/remind-all/", {}),
        Page(f"公示 list {CLOSED} (staff)", "staff", f"/appraisal/{CLOSED}/publicity/"),
        Page("公示 list ?q= (leader)", "leader", f"/appraisal/{CLOSED}/publicity/?q=王"),
        Page(f"objections {CLOSED}", "leader", f"/appraisal/{CLOSED}/objections/"),
        Page(f"feedback {CLOSED} (staff)", "staff", f"/appraisal/{CLOSED}/feedback/"),
        Page(f"feedback board {CLOSED}", "leader", f"/appraisal/{CLOSED}/feedback/all/"),
        Page(
            "feedback board ?missing",
            "administrator",
            f"/appraisal/{CLOSED}/feedback/all/?show=missing",
        ),
        # issue 11: the year's roll-up computes one ranking per closed or locked quarter
        Page(f"annual {YEAR} (leader)", "leader", f"/appraisal/annual/{YEAR}/"),
    ]


# --- what the pages read, added to the large office -------------------------------------------


def add_procedure(built: dict, rng: random.Random) -> dict:
    """Logins, summaries, attendance, reviews and reminders for 2026Q3 and 2026Q4."""
    from django.contrib.auth.models import Group, User
    from django.db import transaction
    from django.utils import timezone

    from efficiency import results
    from efficiency.models import (
        Attendance,
        Feedback,
        FeedbackOpinion,
        GradeReview,
        Objection,
        ObjectionAnswer,
        Period,
        Reminder,
        ReminderKind,
        Score,
        Section,
        Staff,
        Summary,
    )
    from efficiency.roles import Role
    from efficiency.scoring import Grade

    began = time.perf_counter()
    groups = {group.name: group for group in Group.objects.all()}
    periods = {p.code: p for p in Period.objects.filter(code__in=[OPEN, CLOSED])}
    open_period, closed = periods[OPEN], periods[CLOSED]
    leader = built["leader"]
    big = Section.objects.order_by("order", "code").first()
    head = big.heads.order_by("pk").first()  # the first assessor heads the first section
    head.groups.add(groups[Role.SECTION_HEAD])
    counts: dict[str, int] = {}
    with transaction.atomic():
        administrator = User.objects.create(username="bench-admin")
        administrator.groups.set([groups[Role.ADMINISTRATOR]])
        # Most people have an account of their own (no role: they write their summary).
        people = list(Staff.objects.filter(user__isnull=True).order_by("staff_no"))
        chosen = [p for p in people if rng.random() < WITH_LOGIN]
        users = User.objects.bulk_create(User(username=f"u{person.staff_no}") for person in chosen)
        for person, user in zip(chosen, users, strict=True):
            person.user = user
        Staff.objects.bulk_update(chosen, ["user"], batch_size=500)
        counts["logins"] = len(users)

        writers = {"self": None, "head": head, "admin": administrator}
        summaries = []
        weights = {
            CLOSED: {"accepted": 85, "submitted": 7, "returned": 3, "draft": 2, None: 3},
            OPEN: {None: 35, "draft": 20, "submitted": 22, "returned": 5, "accepted": 18},
        }
        for period in (closed, open_period):
            states, odds = zip(*weights[period.code].items(), strict=True)
            for person in results.staff_in_period(period).select_related("user"):
                state = rng.choices(states, odds)[0]
                if state is None:
                    continue
                by = person.user or writers[rng.choice(["head", "admin"])]
                summaries.append(
                    Summary(
                        period=period,
                        staff=person,
                        text=SUMMARY_TEXT[: rng.randint(60, len(SUMMARY_TEXT))],
                        status=state,
                        written_by=by if by is not None else administrator,
                        head_comment="请补充具体工作量。" if state == "returned" else "",
                    )
                )
        Summary.objects.bulk_create(summaries, batch_size=1000)
        counts["summaries"] = len(summaries)

        attendance = [
            Attendance(
                period=period,
                staff=person,
                absent_days=rng.choices([0, 1, 2], [96, 3, 1])[0],
                leave_days=Decimal(rng.choices([0, 1, 2, 5], [70, 15, 10, 5])[0])
                + Decimal("0.5") * rng.randint(0, 1),
                late_times=rng.choices([0, 1, 2, 3], [80, 10, 6, 4])[0],
            )
            for period in (closed, open_period)
            for person in results.staff_in_period(period)
        ]
        Attendance.objects.bulk_create(attendance, batch_size=1000)
        counts["attendance"] = len(attendance)

        # 审核评鉴: proposals for most; in 2026Q3 decisions for most (as proposed), the rest
        # left for "decide all". A different proposal only ever lowers 好, so the decided
        # 好 stay within the quota.
        reviews = []
        for period, proposed, decided in ((closed, 0.92, 0.7), (open_period, 0.3, 0.0)):
            table = results.ranking(period, results.STAFF)
            staff = {s.staff_no: s for s in results.staff_in_period(period)}
            for row in table.rows:
                person = staff.get(row.facts.key)
                grade = row.result.computed_grade
                if person is None or not row.result.assessed or grade is None:
                    continue
                if rng.random() >= proposed:
                    continue
                reason = ""
                if grade == Grade.GOOD and rng.random() < 0.05:
                    grade, reason = Grade.FAIRLY_GOOD, "本季度有一次工作延误。"
                decide = rng.random() < decided
                reviews.append(
                    GradeReview(
                        period=period,
                        staff=person,
                        comment=COMMENT_TEXT,
                        proposed_grade=grade,
                        proposal_reason=reason,
                        proposed_by=head,
                        grade=grade if decide else "",
                        reason=reason if decide else "",
                        decided_by=leader if decide else None,
                        computed_at_decision=grade if decide and not reason else "",
                    )
                )
        GradeReview.objects.bulk_create(reviews, batch_size=1000)
        counts["reviews"] = len(reviews)

        # One assessor behind in 2026Q4: half of their people not marked yet.
        behind = User.objects.get(username="bench-assessor3")
        half = f"{Staff.objects.count() // 2:06d}"
        unmarked = Score.objects.filter(
            period=open_period, assessor=behind, staff__staff_no__gt=half
        )
        counts["marks withdrawn"] = unmarked.delete()[0]

        # 催办: those who have not written their 2026Q4 summary, the assessor behind, the head.
        missing = Staff.objects.filter(user__isnull=False).exclude(
            summaries__period=open_period, summaries__status__in=["submitted", "accepted"]
        )
        reminders = [
            Reminder(period=open_period, to_user_id=user_id, kind=ReminderKind.SUMMARY)
            for user_id in missing.values_list("user_id", flat=True)
        ]
        reminders += [
            Reminder(period=open_period, to_user=behind, kind=ReminderKind.MARKS, sent_by=leader),
            Reminder(period=open_period, to_user=head, kind=ReminderKind.SUMMARY_REVIEW),
        ]
        Reminder.objects.bulk_create(reminders, batch_size=1000)
        counts["reminders"] = len(reminders)

        # 公示 of 2026Q3: its window has run (to the Friday before the pinned day), a few dozen
        # objections (most answered), and the own opinions of four people in five.
        closed.publicity_days, closed.publicity_ends = 5, datetime.date(2026, 11, 13)
        closed.save(update_fields=["publicity_days", "publicity_ends"])
        people = list(results.staff_in_period(closed).filter(user__isnull=False))
        lodgers = [p.user for p in people[:40]]
        objections = [
            Objection(
                period=closed,
                staff=people[-1 - i],
                lodged_by=lodger,
                reason="对公示等次有不同意见。",
                lodged_at=timezone.now(),
                answer="" if i % 4 == 0 else ObjectionAnswer.REJECTED,
                reply="" if i % 4 == 0 else "经核实，等次无误。",
                answered_by=None if i % 4 == 0 else leader,
            )
            for i, lodger in enumerate(lodgers)
        ]
        Objection.objects.bulk_create(objections)
        counts["objections"] = len(objections)
        feedback = [
            Feedback(
                period=closed,
                staff=person,
                opinion=FeedbackOpinion.AGREE if i % 10 else FeedbackOpinion.DISAGREE,
                text="" if i % 10 else "对评价意见有不同看法。",
                recorded_by=person.user,
                recorded_at=timezone.now(),
            )
            for i, person in enumerate(people)
            if i % 5
        ]
        Feedback.objects.bulk_create(feedback, batch_size=1000)
        counts["own opinions"] = len(feedback)
    for what, count in counts.items():
        print(f"  {count:>9,} {what}")
    built["timings"]["procedure"] = time.perf_counter() - began
    built["timings"]["total"] = built["timings"].get("total", 0) + built["timings"]["procedure"]
    return personas(built)


def personas(built: dict) -> dict:
    """The users and people each page is opened by or about (also for --reuse)."""
    from django.contrib.auth.models import User

    from efficiency.models import Period, Section, Summary
    from efficiency.results import staff_in_period

    big = Section.objects.order_by("order", "code").first()
    head = big.heads.order_by("pk").first()
    open_period = Period.objects.get(code=OPEN)
    in_big = Summary.objects.filter(period=open_period, staff__section=big).exclude(
        staff__user=head
    )
    staff_member = (
        in_big.filter(status="draft", staff__user__isnull=False).select_related("staff").first()
    ).staff
    built.update(
        users={
            "administrator": User.objects.get(username="bench-admin"),
            "leader": built["leader"],
            "head": head,
            "staff": staff_member.user,
        },
        big_section=big.code,
        head_no=head.staff.staff_no,
        staff_no=staff_member.staff_no,
        submitted_no=in_big.filter(status="submitted").first().staff.staff_no,
        # Entered from paper by the bench: someone who has written nothing, while there is
        # one (the database may be reused), else the same text again on a submitted one.
        unwritten_no=staff_in_period(open_period)
        .filter(section=big, user__isnull=True)
        .exclude(summaries__period=open_period)
        .order_by("staff_no")
        .values_list("staff_no", flat=True)
        .first()
        or in_big.filter(status="submitted", staff__user__isnull=True)
        .order_by("staff__staff_no")
        .values_list("staff__staff_no", flat=True)
        .first(),
    )
    return built


# --- timing -------------------------------------------------------------------------------


def run(args: argparse.Namespace, db_file: Path) -> int:
    appraisal.announce(args, db_file)
    appraisal.setup_django(db_file)
    import logging

    from django.test import Client

    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per login otherwise

    from efficiency.models import Period

    if args.reuse:
        built = personas(appraisal.describe())
    else:
        built = add_procedure(appraisal.build(args), random.Random(args.seed + 1))
    clients = {}
    for name, user in built["users"].items():
        clients[name] = Client()
        clients[name].force_login(user)

    closed = Period.objects.get(code=CLOSED)
    floor_times, _rows = appraisal.measure(appraisal.floor_for(closed), args.requests)
    floor_ms = statistics.median(floor_times)
    timings = appraisal.Timings(args, label_width=40)
    # The yardstick of the pages that grade: the ranking they all compute, alone.
    from efficiency import results

    if not args.only:
        timings.computation(
            f"results.ranking({CLOSED}) staff", lambda: results.ranking(closed), floor_ms
        )
        timings.computation(
            f"results.annual_rollup({YEAR})", lambda: results.annual_rollup(YEAR), floor_ms
        )
    chosen = [p for p in pages(built) if not args.only or any(t in p.label for t in args.only)]
    for page in chosen:
        client = clients[page.persona]
        send = client.get if page.data is None else client.post
        timings.page(page.label, send, page.url, floor_ms, page.data, page.expect)

    print()
    print(
        f"Floor: one aggregate SQL query over {CLOSED}'s staff marks, median {floor_ms:.1f} ms. "
        f"Personas: administrator, leader, head of {built['big_section']} (an assessor too), "
        f"staff member {built['staff_no']}."
    )
    timings.print_table()
    slow = timings.slow()
    verdict = "met" if not slow else f"NOT met by {len(slow)}: {', '.join(slow)}"
    size = "at this size" if timings.full_size() else "(set for 2,000 staff; this run is smaller)"
    print(f"Goal: every page under {appraisal.GOAL_MS} ms {size} — {verdict}.")
    timings.print_footer(built["timings"])
    if args.profile:
        profile(f"results.ranking({CLOSED})", lambda: results.ranking(closed))
        profile(f"results.annual_rollup({YEAR})", lambda: results.annual_rollup(YEAR))
    return 0 if not slow else 1


def profile(label: str, compute) -> None:
    """Where one computation spends its time (cProfile), by own time and by cumulative time."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    compute()
    profiler.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(18)
        print(f"\nProfile of {label}, top 18 by {order}:")
        print(out.getvalue().split("\n\n", 1)[-1].strip())


def main(argv: list[str] | None = None) -> int:
    parser = appraisal.make_parser(
        "Time the pages of the quarter's procedure (issue 10) on a large office (SQLite)."
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="time only the pages whose label contains TEXT (repeatable)",
    )
    parser.set_defaults(big_section=200)
    return appraisal.start(appraisal.parse_args(argv, parser), run)


if __name__ == "__main__":
    sys.exit(main())
