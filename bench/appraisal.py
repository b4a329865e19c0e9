"""Bench: the leaders' appraisal pages on a large office (issue 3, "Speed").

Builds, in a throw-away SQLite file, an office of 2,000 staff in 120 sections with 10 assessors,
12 quarters of marks (2024Q1–2026Q4) and 20,000 three-errors incidents, then times the real
views through django.test.Client, logged in as a leader:

    ranking page      /appraisal/<code>/ranking/
    score card        /appraisal/<code>/card/<工号>/
    trend chart       /appraisal/trends/  and  /appraisal/trends/?staff=<工号>

and, apart from the pages, :func:`efficiency.results.ranking` alone. Each is compared with a
*floor*: one aggregate SQL query over the same period's marks, timed the same way. The floor is
only a yardstick for time; no number shown to anyone ever comes from an SQL aggregate.

Run it on demand (not part of the test suite)::

    make bench                                    # the full size, via bench/run.py
    .venv/bin/python bench/appraisal.py --staff 200 --sections 12 --incidents 2000  # quick

See bench/README.md for what the figures mean.
"""

import argparse
import cProfile
import datetime
import gc
import io
import os
import pstats
import random
import resource
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 300  # the goal for the ranking page at full size
QUARTERS_START = 2024


def make_parser(description: str) -> argparse.ArgumentParser:
    """The options of the large office and of the timing; bench/pages.py shares them."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--staff", type=int, default=2000, help="people (default 2000)")
    parser.add_argument("--sections", type=int, default=120, help="sections (default 120)")
    parser.add_argument("--assessors", type=int, default=10, help="assessors (default 10)")
    parser.add_argument(
        "--quarters", type=int, default=12, help="quarters from 2024Q1 (default 12, max 12)"
    )
    parser.add_argument("--incidents", type=int, default=20000, help="incidents (default 20000)")
    parser.add_argument(
        "--big-section",
        type=int,
        default=0,
        metavar="N",
        help="put N of the people in the first section, whose head then sees many (default 0)",
    )
    parser.add_argument("--requests", type=int, default=10, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also print where results.ranking spends its time (cProfile)",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=30,
        help="seconds one request or computation may take before it is reported as hung",
    )
    parser.add_argument(
        "--memory-limit",
        type=int,
        default=4096,
        metavar="MB",
        help="address-space limit for this process, so a runaway page cannot take the machine",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--keep", metavar="FILE", help="build the database in FILE and keep it afterwards"
    )
    where.add_argument(
        "--reuse", metavar="FILE", help="time against FILE, built earlier with --keep"
    )
    return parser


def parse_args(
    argv: list[str] | None = None, parser: argparse.ArgumentParser | None = None
) -> argparse.Namespace:
    parser = parser or make_parser("Time the appraisal pages on a generated large office (SQLite).")
    args = parser.parse_args(argv)
    problems = []
    for name in ("staff", "sections", "assessors", "quarters", "requests", "timeout"):
        if getattr(args, name) < 1:
            problems.append(f"--{name} 必须是正整数。")
    if args.incidents < 0:
        problems.append("--incidents 不能是负数。")
    if not 0 <= args.big_section <= args.staff:
        problems.append("--big-section 须在 0 到 --staff 之间。")
    if args.quarters > 12:
        problems.append("--quarters 最多 12（2024Q1–2026Q4）。")
    if args.assessors > args.staff:
        problems.append("--assessors 不能多于 --staff。")
    if args.memory_limit < 512:
        problems.append("--memory-limit 至少 512（MB）。")
    if args.reuse and not Path(args.reuse).is_file():
        problems.append(f"--reuse：找不到文件 {args.reuse}。")
    if problems:
        parser.error(" ".join(problems))
    return args


def setup_django(db_file: Path) -> None:
    # Before django.setup(): settings read these once.
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "efficiency.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- names, from fixed lists (no library, and no real people on purpose) ------------------------

COMMON_SURNAMES = "王李张刘陈杨黄赵吴周"
SURNAMES = (
    "徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "魏苏吕丁任沈姚卢廖邹雷谭贺邱侯段欧"
)
COMPOUND_SURNAMES = ["欧阳", "司马"]
GIVEN_MALE = "伟强军勇杰涛斌华明峰辉鹏亮俊磊建国志文海林波宇浩健平超刚兵德成永春生新跃"
GIVEN_FEMALE = "芳娟敏静丽艳霞琳婷慧颖倩玲燕雪红萍兰蓉洁秀英梅莉娜丹萱怡佳"
# Combinations that happen to be well-known people.
AVOID_NAMES = set(
    "李强 刘涛 张杰 王菲 李娜 刘翔 黄磊 赵薇 周涛 王峰 李宁 杨澜 孙俪 周迅 刘洋 王刚 李玲 "
    "张艺 赵丽 李静 王静 李勇 林峰 张华 李娟 王海 周杰 朱军 董洁 李健 王军 张伟 杨洋 "
    "陈坤 黄晓明 王俊凯 张丹峰 刘欢 李健 陈红 王刚 周华健 刘德华 张国立 王志文 陈建斌".split()
)


def _surname(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.02:
        return rng.choice(COMPOUND_SURNAMES)
    if draw < 0.40:
        return rng.choice(COMMON_SURNAMES)
    return rng.choice(SURNAMES)


def _names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        surname = _surname(rng)
        pool = GIVEN_MALE if rng.random() < 0.58 else GIVEN_FEMALE
        length = 1 if rng.random() < 0.25 or len(surname) == 2 else 2
        name = surname + "".join(rng.sample(pool, length))
        if name not in names and name not in AVOID_NAMES:
            names.append(name)
    return names


# --- the large office --------------------------------------------------------------------


def quarter_codes(count: int) -> list[str]:
    return [f"{QUARTERS_START + i // 4}Q{i % 4 + 1}" for i in range(count)]


def build(args: argparse.Namespace) -> dict:
    """Generate the office; returns what the timing needs (leader, periods, a staff number)."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import transaction

    from efficiency.models import (
        Incident,
        IncidentResponsible,
        Period,
        Score,
        Section,
        Staff,
        Standard,
    )
    from efficiency.models.incidents import DEFAULT_POINTS, HandlingDecision
    from efficiency.quarters import Quarter
    from efficiency.roles import Role
    from efficiency.services.appraisal import period_close, period_lock, period_open

    rng = random.Random(args.seed)
    call_command("migrate", verbosity=0)
    groups = {group.name: group for group in Group.objects.all()}
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = now - since
        print(f"  {name:<36} {timings[name]:7.1f} s", flush=True)
        return now

    started = clock = time.perf_counter()
    with transaction.atomic():
        sections = Section.objects.bulk_create(
            Section(code=f"S{i:03d}", name=f"第{i}科", order=i) for i in range(1, args.sections + 1)
        )
        names = _names(rng, args.staff)
        first_day = datetime.date(QUARTERS_START, 1, 1)
        people = []
        for i in range(args.staff):
            start = datetime.date(rng.randint(1995, 2023), rng.randint(1, 12), 1)
            end = None
            draw = rng.random()
            if draw < 0.03:  # joined during the span
                start = first_day + datetime.timedelta(days=rng.randint(30, 900))
            elif draw < 0.06:  # left during the span
                end = first_day + datetime.timedelta(days=rng.randint(60, 900))
            people.append(
                Staff(
                    staff_no=f"{i + 1:06d}",
                    name=names[i],
                    section=sections[0 if i < args.big_section else i % len(sections)],
                    post="科员",
                    start_date=start,
                    end_date=end,
                )
            )
        Staff.objects.bulk_create(people, batch_size=500)
        staff = list(Staff.objects.order_by("staff_no"))

        leader = User.objects.create(username="bench-leader")
        leader.groups.set([groups[Role.LEADER]])
        assessors = []
        for i in range(args.assessors):
            user = User.objects.create(username=f"bench-assessor{i + 1}")
            user.groups.set([groups[Role.ASSESSOR]])
            member = staff[i * (len(staff) // args.assessors)]
            member.user = user
            member.save(update_fields=["user"])
            if i < 2:  # two of them head their own section
                member.section.heads.add(user)
            assessors.append(user)
        standards = {
            kind: Standard.objects.create(
                code=code,
                kind=kind,
                text=f"{code} 条款",
                points_minor=DEFAULT_POINTS[kind]["minor"],
                points_serious=DEFAULT_POINTS[kind]["serious"],
                points_grave=DEFAULT_POINTS[kind]["grave"],
            )
            for kind, code in (("delay", "YW-01"), ("slip", "SW-01"), ("error", "CW-01"))
        }
    clock = lap("roster and accounts", clock)

    codes = quarter_codes(args.quarters)
    # Synthetic history: the last quarters may lie ahead of today, which is fine here.
    periods = [period_open(actor=leader, code=code, future=True) for code in codes]
    clock = lap("periods opened (services)", clock)

    # A bench may write the marks in bulk: score_save one by one would take most of an hour
    # at this size, and what is measured here is reading them. The rules score_save enforces
    # (nobody marks themself, heads skip their section, 0–100) are respected below.
    headed = {a.pk: set(a.headed_sections.values_list("pk", flat=True)) for a in assessors}
    own = {a.pk: a.staff.pk for a in assessors}
    levels = {s.pk: rng.uniform(78, 95) for s in staff}
    section_levels = {s.pk: rng.uniform(82, 93) for s in sections}
    marks = 0
    for period in periods:
        criteria = list(period.criteria.all())
        first, last = Quarter.parse(period.code).bounds
        day = first + datetime.timedelta(days=45)
        in_post = [
            s
            for s in staff
            if (s.start_date is None or s.start_date <= last)
            and (s.end_date is None or s.end_date >= day)
        ]
        with transaction.atomic():
            for assessor in assessors:
                bias = rng.uniform(-15, 15)
                batch = [
                    Score(
                        period=period,
                        criterion=criterion,
                        assessor=assessor,
                        staff=person,
                        tenths=_tenths(rng, levels[person.pk] * 10 + bias),
                    )
                    for person in in_post
                    if person.pk != own[assessor.pk]
                    for criterion in criteria
                ]
                batch += [
                    Score(
                        period=period,
                        criterion=criterion,
                        assessor=assessor,
                        section=section,
                        tenths=_tenths(rng, section_levels[section.pk] * 10 + bias),
                    )
                    for section in sections
                    if section.pk not in headed[assessor.pk]
                    for criterion in criteria
                ]
                Score.objects.bulk_create(batch, batch_size=2000)
                marks += len(batch)
    clock = lap(f"{marks:,} marks (bulk_create)", clock)

    # Incidents, mostly established, spread over the quarters; numbers unique per year.
    span_first = datetime.date(QUARTERS_START, 1, 1)
    span_days = (Quarter.parse(codes[-1]).last_day - span_first).days
    kinds = list(standards)
    per_year: dict[int, int] = {}
    incidents, named = [], []
    statuses = ["handled"] * 55 + ["verified"] * 20 + ["dismissed"] * 10 + ["reported"] * 15
    with transaction.atomic():
        for _i in range(args.incidents):
            day = span_first + datetime.timedelta(days=rng.randint(0, span_days))
            per_year[day.year] = per_year.get(day.year, 0) + 1
            kind = rng.choices(kinds, weights=[45, 38, 17])[0]
            severity = rng.choices(["minor", "serious", "grave"], weights=[78, 19, 3])[0]
            status = rng.choice(statuses)
            people = rng.sample(staff, rng.choices([1, 2, 3], weights=[75, 19, 6])[0])
            incidents.append(
                Incident(
                    number=f"{day.year}-{per_year[day.year]:05d}",
                    kind=kind,
                    standard=standards[kind],
                    clause_code=standards[kind].code,
                    clause_text=standards[kind].text,
                    severity=severity,
                    points=standards[kind].points_for(severity),
                    occurred_on=day,
                    section=people[0].section,
                    description="基准测试生成的三误事件。",
                    status=status,
                    reporter=leader,
                    handling_decision=(
                        HandlingDecision.REMINDER_TALK if status == "handled" else ""
                    ),
                )
            )
            named.append(people)
        Incident.objects.bulk_create(incidents, batch_size=500)
        IncidentResponsible.objects.bulk_create(
            (
                IncidentResponsible(incident=incident, staff=person, section=person.section)
                for incident, people in zip(incidents, named, strict=True)
                for person in people
            ),
            batch_size=1000,
        )
    clock = lap(f"{args.incidents:,} incidents (bulk_create)", clock)

    # All but the newest two quarters are locked, the one before the newest is closed.
    for index, period in enumerate(periods[:-1]):
        period = period_close(actor=leader, period=period)
        if index < len(periods) - 2:
            period = period_lock(actor=leader, period=period)
        periods[index] = period
    clock = lap("periods closed/locked (services)", clock)
    timings["total"] = time.perf_counter() - started

    periods = list(Period.objects.order_by("year", "quarter"))
    shown = [p for p in periods if p.state == "closed"] or periods
    card_person = staff[len(staff) // 2]
    return {
        "leader": leader,
        "periods": periods,
        "period": shown[-1],
        "locked": next((p for p in reversed(periods) if p.state == "locked"), None),
        "staff_no": card_person.staff_no,
        "marks": marks,
        "timings": timings,
    }


def describe() -> dict:
    """What :func:`build` returns, read back from a database it built earlier (--reuse)."""
    from django.contrib.auth.models import User

    from efficiency.models import Period, Score, Staff

    periods = list(Period.objects.order_by("year", "quarter"))
    shown = [p for p in periods if p.state == "closed"] or periods
    staff = list(Staff.objects.order_by("staff_no").values_list("staff_no", flat=True))
    return {
        "leader": User.objects.get(username="bench-leader"),
        "periods": periods,
        "period": shown[-1],
        "locked": next((p for p in reversed(periods) if p.state == "locked"), None),
        "staff_no": staff[len(staff) // 2],
        "marks": Score.objects.count(),
        "timings": {},
    }


def _tenths(rng: random.Random, centre: float) -> int:
    """A mark in tenths, whole or half marks, kept within 60–99.5 (no reason needed)."""
    value = round(rng.gauss(centre, 18) / 5) * 5
    return int(min(max(value, 600), 995))


# --- timing ------------------------------------------------------------------------------


class Hung(Exception):
    """A request or computation ran past --timeout."""


def _alarm(signum, frame):
    raise Hung


def limited(func: Callable[[], object], seconds: int) -> object:
    """Run ``func``, interrupting it after ``seconds`` (pure-Python loops included)."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        return func()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def measure(
    func: Callable[[], object], repeat: int, timeout: int = 600
) -> tuple[list[float], object]:
    """Run once to warm up, then ``repeat`` times; wall-clock milliseconds of each run."""
    result = limited(func, timeout)
    times = []
    for _i in range(repeat):
        began = time.perf_counter()
        result = limited(func, timeout)
        times.append((time.perf_counter() - began) * 1000)
    return times, result


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def floor_for(target, subject: str = "staff_id") -> Callable[[], object]:
    """The yardstick: one aggregate query over the period's marks (timing only)."""
    from django.db import connection

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {subject}, criterion_id, AVG(tenths) FROM efficiency_score "
                f"WHERE period_id = %s AND {subject} IS NOT NULL "
                f"GROUP BY {subject}, criterion_id",
                [target.pk],
            )
            return cursor.fetchall()

    return floor


def count_queries(func: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured.captured_queries)


Row = tuple[str, str, list[float] | None, int | None, float]


class Timings:
    """The rows of one bench's table: each page or computation timed, or why it was not."""

    def __init__(self, args: argparse.Namespace, label_width: int = 38) -> None:
        self.args = args
        self.width = label_width
        self.rows: list[Row] = []
        self.notes: list[str] = []

    def progress(self, label: str) -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"  timing {label} (peak memory so far {peak} MB)", flush=True)

    def failed(self, label: str, what: str, error: BaseException) -> None:
        if isinstance(error, Hung):
            self.rows.append((label, "hung", None, None, 0))
            self.notes.append(
                f"{what} did not finish within {self.args.timeout} s (--timeout); stopped."
            )
        else:
            self.rows.append((label, "fail", None, None, 0))
            self.notes.append(f"{what} failed: {type(error).__name__}: {error}")
        gc.collect()

    def computation(self, label: str, func: Callable[[], object], floor: float) -> None:
        self.progress(label)
        try:
            times, _result = measure(func, self.args.requests, self.args.timeout)
        except Exception as error:  # a hang or memory
            self.failed(label, label, error)
            return
        self.rows.append((label, "—", times, count_queries(func), floor))

    def page(
        self,
        label: str,
        send: Callable[..., object],
        url: str,
        floor: float,
        data: dict | None = None,
        expect: int = 200,
    ) -> None:
        """Time ``send(url)`` (a test client's get, or post with ``data``); ``expect``: the
        status of a working page (a redirect for a form that answers with one)."""

        def request():
            return send(url) if data is None else send(url, data)

        self.progress(label)
        try:
            response = limited(request, self.args.timeout)
        except Exception as error:  # a hang, memory, or a view error the client re-raises
            self.failed(label, url, error)
            return
        status = response.status_code
        if status == 404:
            self.rows.append((label, "404", None, None, floor))
            self.notes.append(f"{url} answered 404: the view is not written yet (or no such data).")
            return
        if status != expect:
            self.rows.append((label, str(status), None, None, floor))
            self.notes.append(f"{url} answered {status}, not {expect}.")
            return
        times, _response = measure(request, self.args.requests, self.args.timeout)
        self.rows.append((label, str(status), times, count_queries(request), floor))

    def print_table(self) -> None:
        width = self.width
        header = (
            f"{'what':<{width}} {'HTTP':>4} {'median ms':>10} {'best ms':>8} {'p90 ms':>8} "
            f"{'queries':>8} {'x floor':>8}"
        )
        print(header)
        print("-" * len(header))
        for label, status, times, queries, floor in self.rows:
            if times is None:
                print(f"{label:<{width}} {status:>4} {'—':>10} {'—':>8} {'—':>8} {'—':>8} {'—':>8}")
                continue
            median = statistics.median(times)
            ratio = f"{median / floor:>8.1f}" if floor else f"{'—':>8}"
            print(
                f"{label:<{width}} {status:>4} {median:>10.1f} {min(times):>8.1f} "
                f"{p90(times):>8.1f} {queries:>8} {ratio}"
            )
        print()

    def full_size(self) -> bool:
        args = self.args
        return (args.staff, args.sections, args.quarters) == (2000, 120, 12)

    def print_goal(self, label: str, what: str) -> None:
        """The goal line for one row of the table."""
        row = next((r for r in self.rows if r[0] == label), None)
        if row and row[2] is not None:
            median = statistics.median(row[2])
            verdict = "met" if median < GOAL_MS else "NOT met"
            size = (
                "at this size" if self.full_size() else "(set for 2,000 staff; this run is smaller)"
            )
            print(f"Goal: {what} under {GOAL_MS} ms {size} — {verdict} ({median:.0f} ms).")

    def slow(self) -> list[str]:
        """The pages over the goal, or that did not answer as they should (computations
        apart: they are yardsticks, not pages)."""
        return [
            label
            for label, status, times, _queries, _floor in self.rows
            if status != "—" and (times is None or statistics.median(times) >= GOAL_MS)
        ]

    def print_footer(self, generation: dict[str, float]) -> None:
        for note in self.notes:
            print(f"Note: {note}")
        if generation:
            print(f"Generation: {generation['total']:.1f} s.")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"Peak memory (ru_maxrss): {peak:.0f} MB.")
        load = os.getloadavg()
        print(
            f"Load average while running: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
            f"on {os.cpu_count()} CPUs."
        )


def announce(args: argparse.Namespace, db_file: Path) -> None:
    """Say which database is timed, and at what size it is built."""
    if args.reuse:
        print(f"Timing against {db_file}, built earlier.", flush=True)
        return
    big = f" ({args.big_section} in one section)" if args.big_section else ""
    print(
        f"Building the office in {db_file}: {args.staff:,} staff{big}, {args.sections} "
        f"sections, {args.assessors} assessors, {args.quarters} quarters, "
        f"{args.incidents:,} incidents",
        flush=True,
    )


def run(args: argparse.Namespace, db_file: Path) -> int:
    announce(args, db_file)
    setup_django(db_file)
    import logging

    from django.test import Client

    # A page that fails is reported in the table; its traceback would only bury it.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)

    from efficiency import results

    built = describe() if args.reuse else build(args)
    period, locked = built["period"], built["locked"]
    client = Client()
    client.force_login(built["leader"])
    staff_no = built["staff_no"]

    floor_times, _rows = measure(floor_for(period), args.requests)
    floor_ms = statistics.median(floor_times)
    floor_sections_ms = statistics.median(
        measure(floor_for(period, "section_id"), args.requests)[0]
    )
    floor_locked_ms = (
        statistics.median(measure(floor_for(locked), args.requests)[0]) if locked else floor_ms
    )

    timings = Timings(args)
    computation, page = timings.computation, timings.page
    client_get = client.get

    code = period.code
    computation(f"results.ranking({code}) staff", lambda: results.ranking(period), floor_ms)
    computation(
        f"results.ranking({code}) sections",
        lambda: results.ranking(period, results.SECTION),
        floor_sections_ms,
    )
    if locked:
        computation(
            f"results.ranking({locked.code}) locked",
            lambda: results.ranking(locked),
            floor_locked_ms,
        )
    page(f"ranking page {code}", client_get, f"/appraisal/{code}/ranking/", floor_ms)
    if locked:
        page(
            f"ranking page {locked.code} (locked)",
            client_get,
            f"/appraisal/{locked.code}/ranking/",
            floor_locked_ms,
        )
    page(
        f"sections ranking {code}",
        client_get,
        f"/appraisal/{code}/ranking/sections/",
        floor_sections_ms,
    )
    page(
        f"score card {code}/{staff_no}", client_get, f"/appraisal/{code}/card/{staff_no}/", floor_ms
    )
    page("trends (sections)", client_get, "/appraisal/trends/", floor_ms)
    page(f"trends ?staff={staff_no}", client_get, f"/appraisal/trends/?staff={staff_no}", floor_ms)

    print()
    print(
        f"Floor: one aggregate SQL query over {code}'s staff marks, median {floor_ms:.1f} ms "
        f"(p90 {p90(floor_times):.1f} ms); over its section marks {floor_sections_ms:.1f} ms"
        + (f"; over {locked.code}'s staff marks {floor_locked_ms:.1f} ms" if locked else "")
        + f". {built['marks']:,} marks in all."
    )
    timings.print_table()
    timings.print_goal(f"ranking page {code}", "ranking page")
    timings.print_footer(built["timings"])

    if args.profile:
        print()
        print(f"Profile of results.ranking({code}), top 25 by cumulative time:")
        profiler = cProfile.Profile()
        profiler.enable()
        results.ranking(period)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue())
    return 0


def start(args: argparse.Namespace, run: Callable[[argparse.Namespace, Path], int]) -> int:
    """Limit the memory, choose the database file (kept, reused or thrown away) and run."""
    limit = args.memory_limit * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if args.reuse:
        return run(args, Path(args.reuse).resolve())
    if args.keep:
        db_file = Path(args.keep).resolve()
        if db_file.exists():
            print(f"{db_file} 已存在；请换一个文件名或先删除它。", file=sys.stderr)
            return 2
        return run(args, db_file)
    with tempfile.TemporaryDirectory(prefix="bench-appraisal-") as tmp:
        return run(args, Path(tmp) / "bench.sqlite3")


def main(argv: list[str] | None = None) -> int:
    return start(parse_args(argv), run)


if __name__ == "__main__":
    sys.exit(main())
