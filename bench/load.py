"""Bench: the app as in production under 40 simultaneous users (issue 12 item 4).

Builds a fresh office (the builder of bench/appraisal.py, at a smaller size by default: 500
staff in 30 sections, 12 assessors, 12 quarters of marks, 5,000 incidents), starts
``scripts/serve.sh`` on it (gunicorn, DEBUG off, collected static files: what ``make serve``
runs), logs people in through the login form, and drives it over HTTP as browsers would:

- clerks record incidents: the form page (GET, its CSRF token), its POST, the incident's page;
- assessors save cells of the open quarter's score sheet through its endpoint (the POST the
  sheet's script sends, with the CSRF cookie in ``X-CSRFToken``);
- leaders open the rankings (people and sections, the open and the closed quarter).

One user of each kind first works alone (the single-user p50 of each kind of request), then
all of them at once for ``--duration`` seconds. Afterwards every acknowledged write is looked
up in the database: an incident the server answered with its number must exist, and every
cell must hold the last mark the server said it saved. Goal: 0 errors, 0 lost, p95 of each
kind within 5x its single-user p50.

    .venv/bin/python bench/load.py                                   # SQLite, in a temp folder
    PGPORT_TEST=55445 scripts/with-postgres.sh .venv/bin/python bench/load.py   # PostgreSQL 15

With ``DATABASE_URL`` set (PostgreSQL) the database must be empty: with-postgres.sh makes one.
See bench/README.md for the figures and what they mean.
"""

import argparse
import datetime
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import appraisal  # noqa: E402  (the builder of the large office)

ROOT = Path(__file__).resolve().parent.parent
OPEN, CLOSED = "2026Q4", "2026Q3"
PASSWORD = "load-bench-Passw0rd"
GOAL_RATIO = 5.0
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--staff", type=int, default=500, help="people (default 500)")
    parser.add_argument("--sections", type=int, default=30, help="sections (default 30)")
    parser.add_argument("--incidents", type=int, default=5000, help="incidents (default 5000)")
    parser.add_argument("--clerks", type=int, default=20, help="clerks at once (default 20)")
    parser.add_argument("--assessors", type=int, default=12, help="assessors (default 12)")
    parser.add_argument("--leaders", type=int, default=8, help="leaders at once (default 8)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument(
        "--alone", type=int, default=15, help="requests of each kind by one user first (15)"
    )
    parser.add_argument(
        "--think",
        type=float,
        nargs=3,
        default=(20.0, 2.0, 10.0),
        metavar=("CLERK", "ASSESSOR", "LEADER"),
        help="mean seconds each kind of user pauses between actions (default 20 2 10)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--port", type=int, default=0, help="port for the server (default: free)")
    parser.add_argument("--log", metavar="FILE", help="keep the server's output in FILE")
    args = parser.parse_args(argv)
    if min(args.staff, args.sections, args.assessors) < 1 or args.duration <= 0:
        parser.error("--staff, --sections, --assessors 须为正整数，--duration 须大于 0。")
    if args.assessors > args.staff // 4:
        parser.error("--assessors 不能多于 --staff 的四分之一。")
    return args


# --- the office and its accounts ------------------------------------------------------------


def setup_django(db_file: Path | None) -> str:
    """Point Django at the bench database; returns the DATABASE_URL the server gets too."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{db_file}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "efficiency.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return url


def refuse_non_empty() -> None:
    from django.db import connection

    if "efficiency_staff" in connection.introspection.table_names():
        from efficiency.models import Staff

        if Staff.objects.exists():
            sys.exit("DATABASE_URL 指向的数据库已有数据：负载测试只在新建的空库上运行。")


@dataclass
class Office:
    open_code: str
    closed_code: str
    clerks: list[dict]  # username, section, staff ids of the section
    assessors: list[dict]  # username, pk, staff ids they may mark
    leaders: list[str]
    criteria: list[str]
    standards: dict[str, int]  # kind -> standard pk
    today: datetime.date


def build_office(args: argparse.Namespace) -> Office:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from efficiency.models import Period, Section, Staff, Standard
    from efficiency.results import staff_in_period
    from efficiency.roles import Role
    from efficiency.services.appraisal import marking_rights

    sizes = argparse.Namespace(
        staff=args.staff,
        sections=args.sections,
        assessors=args.assessors,
        quarters=12,
        incidents=args.incidents,
        big_section=0,
        seed=args.seed,
    )
    appraisal.build(sizes)
    groups = {group.name: group for group in Group.objects.all()}
    sections = list(Section.objects.order_by("order"))
    clerks = []
    for i in range(args.clerks):
        user = User.objects.create(username=f"load-clerk{i + 1}")
        user.groups.set([groups[Role.CLERK]])
        section = sections[i % len(sections)]
        section.clerks.add(user)
        people = list(
            Staff.objects.filter(section=section, end_date=None).values_list("pk", flat=True)
        )
        clerks.append({"username": user.username, "section": section.pk, "people": people})
    leaders = []
    for i in range(args.leaders):
        user = User.objects.create(username=f"load-leader{i + 1}")
        user.groups.set([groups[Role.LEADER]])
        leaders.append(user.username)
    period = Period.objects.get(code=OPEN)
    in_period = list(staff_in_period(period))
    assessors = []
    for user in User.objects.filter(username__startswith="bench-assessor").order_by("pk"):
        rights = marking_rights(user)
        allowed = [s.pk for s in in_period if not rights.refusal(staff=s, section=None)]
        assessors.append({"username": user.username, "pk": user.pk, "people": allowed})
    # One hash for everyone: hashing 40 passwords one by one would only slow the set-up.
    hashed = make_password(PASSWORD)
    User.objects.filter(username__startswith="load-").update(password=hashed)
    User.objects.filter(username__startswith="bench-assessor").update(password=hashed)
    standards = {kind: pk for kind, pk in Standard.objects.order_by("pk").values_list("kind", "pk")}
    return Office(
        open_code=OPEN,
        closed_code=CLOSED,
        clerks=clerks,
        assessors=assessors,
        leaders=leaders,
        criteria=list(period.criteria.values_list("code", flat=True)),
        standards=standards,
        today=timezone.localdate(),
    )


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, port: int, log) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=url,
        SECRET_KEY=secrets.token_urlsafe(50),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_ACCESS_LOG="",
        PY=sys.executable,
    )
    env.pop("DEBUG", None)
    server = subprocess.Popen(
        ["sh", str(ROOT / "scripts" / "serve.sh")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as one below
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"scripts/serve.sh ended with status {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=5).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not answer /accounts/login/ within 180 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# --- the users --------------------------------------------------------------------------------


@dataclass
class Record:
    """Everything the users saw, shared by their threads."""

    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    incidents: dict[str, str] = field(default_factory=dict)  # description -> number
    marks: dict[tuple[int, int, str], int] = field(default_factory=dict)  # last saved, tenths
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, kind: str, send, check) -> httpx.Response | None:
        with self.lock:
            self.sent[kind] += 1
        started = time.perf_counter()
        try:
            response = send()
        except httpx.HTTPError as error:
            self.error(kind, f"{type(error).__name__}: {error}")
            return None
        elapsed = time.perf_counter() - started
        problem = check(response)
        with self.lock:
            self.times[kind].append(elapsed)
        if problem:
            self.error(kind, f"HTTP {response.status_code}: {problem}")
            return None
        return response

    def error(self, kind: str, what: str) -> None:
        with self.lock:
            self.errors[kind].append(what)


def status_is(code: int):
    return lambda r: None if r.status_code == code else r.text[:200].replace("\n", " ")


class User:
    def __init__(
        self,
        base: str,
        username: str,
        record: Record,
        rng: random.Random,
        *,
        office: Office,
        spec: dict,
    ) -> None:
        self.office, self.spec = office, spec
        # Idle connections are dropped before gunicorn's keep-alive (5 s) would close them:
        # a request sent on a connection the server is closing at that moment gets a reset,
        # which a browser retries silently and httpx reports.
        self.client = httpx.Client(
            base_url=base,
            timeout=60,
            follow_redirects=False,
            limits=httpx.Limits(keepalive_expiry=2),
        )
        self.username, self.record, self.rng = username, record, rng

    def login(self) -> None:
        page = self.client.get("/accounts/login/")
        token = TOKEN_RE.search(page.text).group(1)
        answer = self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        if answer.status_code != 302:
            raise RuntimeError(f"{self.username} could not log in (HTTP {answer.status_code})")

    def act(self) -> None:
        raise NotImplementedError


class Clerk(User):
    kinds = ("incident form", "record incident", "incident page")

    def act(self) -> None:
        record = self.record
        form = record.timed(
            "incident form", lambda: self.client.get("/incidents/new/"), status_is(200)
        )
        if form is None:
            return
        token = TOKEN_RE.search(form.text).group(1)
        kind = self.rng.choice(sorted(self.office.standards))
        description = f"负载测试登记 {uuid.uuid4().hex}：来文办理超过时限，未按规定报告。"
        data = {
            "csrfmiddlewaretoken": token,
            "kind": kind,
            "standard": self.office.standards[kind],
            "severity": self.rng.choice(["minor", "minor", "serious"]),
            "occurred_on": self.office.today.isoformat(),
            "source": self.rng.choice(["inspection", "complaint", "self_check"]),
            "section": self.spec["section"],
            "responsible": self.rng.sample(self.spec["people"], 1),
            "description": description,
        }

        def recorded(response):
            location = response.headers.get("location", "")
            if response.status_code == 302 and location.startswith("/incidents/2"):
                return None
            return f"not recorded: {location or response.text[:200]}"

        answer = record.timed(
            "record incident", lambda: self.client.post("/incidents/new/", data=data), recorded
        )
        if answer is None:
            return
        location = answer.headers["location"]
        with record.lock:
            record.incidents[description] = location.rstrip("/").rsplit("/", 1)[-1]
        record.timed("incident page", lambda: self.client.get(location), status_is(200))


class Assessor(User):
    kinds = ("save mark",)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.url = f"/appraisal/{self.office.open_code}/sheet/save/"

    def login(self) -> None:
        super().login()
        # The sheet's script reads the token from the csrftoken cookie, as here.
        sheet = self.client.get(f"/appraisal/{self.office.open_code}/sheet/")
        if sheet.status_code != 200:
            raise RuntimeError(f"{self.username} cannot open the sheet ({sheet.status_code})")

    def act(self) -> None:
        person = self.rng.choice(self.spec["people"])
        criterion = self.rng.choice(self.office.criteria)
        tenths = self.rng.randint(600, 999)
        headers = {
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
            "X-Requested-With": "XMLHttpRequest",
        }
        data = {
            "subject": "staff",
            "id": person,
            "criterion": criterion,
            "value": f"{tenths / 10:.1f}",
        }

        def saved(response):
            if response.status_code == 200 and response.json().get("ok"):
                return None
            return response.text[:200]

        # Only this assessor's thread writes their cells, so the last acknowledged mark of a
        # cell is the one the database must hold.
        cell = (self.spec["pk"], person, criterion)
        answer = self.record.timed(
            "save mark", lambda: self.client.post(self.url, data=data, headers=headers), saved
        )
        if answer is not None:
            with self.record.lock:
                self.record.marks[cell] = tenths


class Leader(User):
    kinds = ("ranking (people)", "ranking (sections)")

    def act(self) -> None:
        code = self.rng.choice([self.office.open_code, self.office.closed_code])
        if self.rng.random() < 0.7:
            kind, url = "ranking (people)", f"/appraisal/{code}/ranking/"
        else:
            kind, url = "ranking (sections)", f"/appraisal/{code}/ranking/sections/"
        self.record.timed(kind, lambda: self.client.get(url), status_is(200))


def make_users(office: Office, base: str, record: Record, seed: int) -> list[User]:
    """One user a person of the office, each with a random generator of their own."""
    rng = random.Random(seed)
    people = (
        [(Clerk, spec) for spec in office.clerks]
        + [(Assessor, spec) for spec in office.assessors]
        + [(Leader, {"username": name}) for name in office.leaders]
    )
    return [
        kind(base, spec["username"], record, random.Random(rng.random()), office=office, spec=spec)
        for kind, spec in people
    ]


def log_in_all(users: list[User]) -> None:
    """Everyone logs in before the clock starts (a password hash costs a core for ~0.3 s)."""
    failures: list[BaseException] = []

    def one(user: User) -> None:
        try:
            user.login()
        except BaseException as error:  # reported below, with the others
            failures.append(error)

    threads = [threading.Thread(target=one, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} users could not log in: {failures[0]}")


def alone(users: list[User], requests: int) -> None:
    """One user of each kind, by themselves, with nobody else on the server."""
    seen: set[type] = set()
    for user in users:
        if type(user) in seen:
            continue
        seen.add(type(user))
        for _ in range(requests):
            user.act()


def together(users: list[User], think: dict[type, float], seconds: float) -> float:
    """Everyone at once for `seconds`; each pauses ~think[kind] between actions."""
    start = threading.Barrier(len(users) + 1)
    stop_at: list[float] = []

    def run(user: User) -> None:
        rng = random.Random(user.username)
        start.wait()
        # Spread the first actions over one pause, as people do not all click at once.
        time.sleep(min(rng.uniform(0, think[type(user)]), seconds))
        while time.monotonic() < stop_at[0]:
            user.act()
            pause = rng.expovariate(1 / think[type(user)]) if think[type(user)] else 0
            time.sleep(max(0.0, min(pause, stop_at[0] - time.monotonic())))

    threads = [threading.Thread(target=run, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    stop_at.append(began + seconds)
    start.wait()
    for thread in threads:
        thread.join()
    return time.monotonic() - began


# --- what was stored ----------------------------------------------------------------------------


def stored(record: Record, open_code: str) -> tuple[int, int]:
    """How many acknowledged incidents and marks the database holds as acknowledged."""
    from django.db import connections

    from efficiency.models import Incident, Score

    connections.close_all()
    found = dict(
        Incident.objects.filter(description__in=list(record.incidents)).values_list(
            "description", "number"
        )
    )
    incidents = sum(1 for text, number in record.incidents.items() if found.get(text) == number)
    marks = 0
    by_assessor: dict[int, dict[tuple[int, str], int]] = defaultdict(dict)
    for (assessor, person, criterion), tenths in record.marks.items():
        by_assessor[assessor][(person, criterion)] = tenths
    for assessor, cells in by_assessor.items():
        have = {
            (staff, code): tenths
            for staff, code, tenths in Score.objects.filter(
                period__code=open_code,
                assessor_id=assessor,
                staff_id__in={person for person, _ in cells},
            ).values_list("staff_id", "criterion__code", "tenths")
        }
        marks += sum(1 for cell, tenths in cells.items() if have.get(cell) == tenths)
    return incidents, marks


# --- the report ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(single: Record, load: Record, seconds: float, stored_counts, args, url) -> bool:
    kinds = [k for cls in (Clerk, Assessor, Leader) for k in cls.kinds]
    print()
    print(
        f"{'request':<20} {'alone p50':>9} {'requests':>8} {'errors':>6} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p95/alone':>9}  goal"
    )
    ok = True
    total = errors = 0
    for kind in kinds:
        base = statistics.median(single.times[kind]) * 1000 if single.times[kind] else float("nan")
        times, sent = load.times[kind], load.sent[kind]
        failures = len(load.errors[kind])
        total += sent
        errors += failures
        if not times:
            print(f"{kind:<20} {base:9.0f} {sent:8d} {failures:6d}       -       -         -  ✗")
            ok = False
            continue
        p50, p95 = percentile(times, 0.5) * 1000, percentile(times, 0.95) * 1000
        ratio = p95 / base
        met = ratio <= GOAL_RATIO and not failures
        ok &= met
        print(
            f"{kind:<20} {base:9.0f} {sent:8d} {failures:6d} {p50:7.0f} {p95:7.0f} "
            f"{ratio:8.1f}x  {'✓' if met else '✗'}"
        )
    incidents_stored, marks_stored = stored_counts
    acked = len(single.incidents) + len(load.incidents), len(single.marks | load.marks)
    lost = acked[0] - incidents_stored + acked[1] - marks_stored
    ok &= lost == 0 and errors == 0
    print()
    print(f"Load: {total} requests in {seconds:.0f} s ({total / seconds:.1f}/s), {errors} errors.")
    print(
        f"Acknowledged vs stored: incidents {acked[0]} / {incidents_stored}, "
        f"marks (cells, last value) {acked[1]} / {marks_stored}: {lost} lost."
    )
    for kind, what in load.errors.items():
        for line in what[:3]:
            print(f"  error in {kind}: {line}")
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"{database}; {args.clerks} clerks (pause ~{args.think[0]:g} s), {args.assessors} "
        f"assessors (~{args.think[1]:g} s), {args.leaders} leaders (~{args.think[2]:g} s); "
        f"office of {args.staff} staff in {args.sections} sections; "
        f"gunicorn workers {os.environ.get('WEB_WORKERS', 'cores + 1')}, threads "
        f"{os.environ.get('WEB_THREADS', '4')}; load average {os.getloadavg()[0]:.1f}."
    )
    print(
        f"Goal (0 errors, 0 lost, p95 within {GOAL_RATIO:g}x the single-user p50): "
        + ("met." if ok else "NOT met.")
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        url = setup_django(Path(tmp) / "load.sqlite3")
        refuse_non_empty()
        print(f"Building the office ({args.staff} staff, {args.sections} sections) …", flush=True)
        office = build_office(args)
        from django.db import connections

        connections.close_all()
        port = args.port or free_port()
        log_path = Path(args.log) if args.log else Path(tmp) / "server.log"
        with open(log_path, "w") as log:
            print(f"Starting scripts/serve.sh on port {port} …", flush=True)
            server = start_server(url, port, log)
            try:
                base = f"http://127.0.0.1:{port}"
                single, load = Record(), Record()
                solo = make_users(office, base, single, args.seed)
                log_in_all(solo)
                print(f"Alone: {args.alone} actions by one user of each kind …", flush=True)
                alone(solo, args.alone)
                users = make_users(office, base, load, args.seed + 1)
                print(f"Logging {len(users)} users in …", flush=True)
                log_in_all(users)
                think = dict(zip((Clerk, Assessor, Leader), args.think, strict=True))
                print(f"Together: {len(users)} users for {args.duration:g} s …", flush=True)
                seconds = together(users, think, args.duration)
            finally:
                stop_server(server)
        counts = stored(_merge(single, load), office.open_code)
        ok = report(single, load, seconds, counts, args, url)
        if not ok:
            print(f"Server log: {log_path}" if args.log else "", end="")
            tail = log_path.read_text().splitlines()[-15:]
            print("\n".join(["", "Last lines of the server log:", *tail]))
    return 0 if ok else 1


def _merge(single: Record, load: Record) -> Record:
    merged = Record()
    merged.incidents = single.incidents | load.incidents
    merged.marks = single.marks | load.marks
    return merged


if __name__ == "__main__":
    sys.exit(main())
