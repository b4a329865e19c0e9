"""Personas: a small office with one account per role and an outsider.

Section 秘书科 (A) and 综合科 (B). The clerk records for A; the head heads A; the person named
in incidents works in A; the outsider has an account and no role at all.
"""

import datetime
import os
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client, override_settings

from efficiency.models import Section, Staff, Standard
from efficiency.roles import Role

from .factories import make_staff, make_user, report

# Every persona of the office below, by its attribute name: the rows of role × page matrices.
PERSONAS = [
    "clerk",
    "clerk_b",
    "head",
    "head_b",
    "supervisor",
    "leader",
    "assessor",
    "administrator",
    "named",
    "outsider",
]


@dataclass
class Office:
    a: Section
    b: Section
    delay: Standard
    slip: Standard
    error: Standard
    person: Staff
    colleague: Staff
    other_person: Staff
    clerk: User
    clerk_b: User
    head: User
    head_b: User
    supervisor: User
    supervisor2: User
    leader: User
    assessor: User
    administrator: User
    named: User
    outsider: User


# The day the tests' office lives on, unless a test is marked ``calendar``: late in the year of
# the test data (incidents in 2026, quarters 2026Q1–Q4), so nothing a test records is refused as
# being in the future, whatever the real date.
TEST_TODAY = datetime.datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Background tasks run at once, in the test's own thread, when they are queued.

    Tests of the queue itself set the database backend (tests/test_tasks.py runs the real
    ``db_worker`` against it)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True, scope="session")
def private_files(tmp_path_factory):
    """Evidence files written by any test (the demo attaches some, in class-scoped loads) go
    to a folder of the session, never into the project's var/. Tests of attachments set their
    own."""
    with override_settings(ATTACHMENT_DIR=tmp_path_factory.mktemp("attachments")):
        yield


@pytest.fixture(autouse=True, scope="session")
def session_today():
    """Run the session as if today were EFFICIENCY_TEST_TODAY (2026-01-02, say), the clock
    ticking from 10:00 that morning. ``make test-dates`` runs the tests marked ``calendar`` so
    on several days, proving they pass on any day of any year."""
    value = os.environ.get("EFFICIENCY_TEST_TODAY", "").strip()
    if not value:
        yield None
        return
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        pytest.exit(f"EFFICIENCY_TEST_TODAY={value!r} is not a date like 2026-01-02.", returncode=4)
    moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=TEST_TODAY.tzinfo)
    with time_machine.travel(moment, tick=True):
        yield day


@pytest.fixture(autouse=True)
def pinned_today(request, session_today):
    """Every test runs on TEST_TODAY, except those marked ``calendar``, which must pass on
    whatever day they run (they pin their own dates where they need one)."""
    if request.node.get_closest_marker("calendar"):
        yield None
        return
    with time_machine.travel(TEST_TODAY, tick=True):
        yield TEST_TODAY.date()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def office(db) -> Office:
    a = Section.objects.create(code="MSK", name="秘书科", order=10)
    b = Section.objects.create(code="ZHK", name="综合科", order=20)
    standards = {
        kind: Standard.objects.create(
            code=code,
            kind=kind,
            text=text,
            points_minor=Decimal(minor),
            points_serious=Decimal(minor) * 2,
            points_grave=Decimal(minor) * 4,
        )
        for kind, code, text, minor in [
            ("delay", "YW-01", "正在办理的文件在本人处积压，超过规定时限。", "1"),
            ("slip", "SW-01", "应传递的信息在本人处中断。", "2"),
            ("error", "CW-01", "因工作错误致使办公室形象受损。", "3"),
        ]
    }
    person = make_staff(a, "王建国", "001001")
    colleague = make_staff(a, "李秀英", "001002")
    other_person = make_staff(b, "赵志强", "002001")
    clerk = make_user("clerk", Role.CLERK, staff=make_staff(a, "陈文书", "001009"))
    clerk_b = make_user("clerk_b", Role.CLERK, staff=make_staff(b, "周文书", "002009"))
    a.clerks.add(clerk)
    b.clerks.add(clerk_b)
    head = make_user("head", Role.SECTION_HEAD, staff=make_staff(a, "刘科长", "001000"))
    head_b = make_user("head_b", Role.SECTION_HEAD, staff=make_staff(b, "孙科长", "002000"))
    a.heads.add(head)
    b.heads.add(head_b)
    dcs = Section.objects.create(code="DCS", name="督查室", order=50)
    supervisor = make_user("supervisor", Role.SUPERVISOR, staff=make_staff(dcs, "郑督查", "005001"))
    supervisor2 = make_user("supervisor2", Role.SUPERVISOR)
    leader = make_user("leader", Role.LEADER, Role.ASSESSOR)
    assessor = make_user("assessor", Role.ASSESSOR)
    administrator = make_user("administrator", Role.ADMINISTRATOR)
    administrator.is_staff = True
    administrator.save()
    named = make_user("named", staff=person)
    outsider = make_user("outsider")
    return Office(
        a=a,
        b=b,
        delay=standards["delay"],
        slip=standards["slip"],
        error=standards["error"],
        person=person,
        colleague=colleague,
        other_person=other_person,
        clerk=clerk,
        clerk_b=clerk_b,
        head=head,
        head_b=head_b,
        supervisor=supervisor,
        supervisor2=supervisor2,
        leader=leader,
        assessor=assessor,
        administrator=administrator,
        named=named,
        outsider=outsider,
    )


@pytest.fixture
def incident_a(office):
    """A reported incident in section A naming ``office.person``."""
    return report(
        office.clerk, section=office.a, responsible=[office.person], standard=office.delay
    )


@pytest.fixture
def incident_b(office):
    """A reported incident in section B naming ``office.other_person``."""
    return report(
        office.clerk_b, section=office.b, responsible=[office.other_person], standard=office.slip
    )


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_user():
    return login
