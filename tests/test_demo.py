"""The demo office: what load_demo puts in an empty database, and that it touches nothing else."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from efficiency.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from efficiency.models import (
    AuditEvent,
    Explanation,
    Incident,
    IncidentKind,
    IncidentResponsible,
    IncidentStatus,
    Section,
    Severity,
    Staff,
    Standard,
)
from efficiency.models.incidents import AppealStatus
from efficiency.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo():
    assert load_demo() is True


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


def test_fills_the_office(demo):
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


def test_the_catalogue_changes_and_clauses_override_points(demo):
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


def test_every_status_kind_and_severity_appears(demo):
    incidents = Incident.objects.all()
    assert set(incidents.values_list("status", flat=True)) == set(IncidentStatus.values)
    assert set(incidents.values_list("kind", flat=True)) == set(IncidentKind.values)
    assert set(incidents.values_list("severity", flat=True)) == set(Severity.values)
    appeals = list(incidents.exclude(appeal_status="").values_list("appeal_status", flat=True))
    assert appeals.count(AppealStatus.PENDING) >= 1
    assert AppealStatus.REJECTED in appeals and AppealStatus.UPHELD in appeals
    handled = incidents.filter(status=IncidentStatus.HANDLED)
    assert handled.count() >= incidents.count() * 0.4
    assert handled.filter(handling_decision="").count() == 0
    assert handled.exclude(result_use="").exists()
    assert len(set(handled.values_list("handling_decision", flat=True))) >= 3, "repeats escalate"
    assert incidents.filter(status=IncidentStatus.DISMISSED).exclude(dismissal_reason="").exists()
    assert Explanation.objects.filter(incident__status=IncidentStatus.REPORTED).exists()
    named = incidents.annotate(n=Count("responsibilities")).values_list("n", flat=True)
    assert min(named) >= 1 and max(named) >= 2


def test_every_incident_has_history_and_none_is_in_the_future(demo):
    today = timezone.localdate()
    assert not Incident.objects.filter(occurred_on__gt=today).exists()
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


def test_every_role_has_an_account(demo):
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


def test_a_second_call_changes_nothing(demo):
    before = counts()
    assert load_demo() is False
    assert counts() == before


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
