"""Small builders for tests; writes still go through the services."""

import datetime
import importlib
import itertools

from django.contrib.auth.models import Group, User

from efficiency.models import Criterion, Section, Staff, Standard
from efficiency.services import incidents as services

_numbers = itertools.count(1)


def make_user(username: str, *roles: str, staff: Staff | None = None) -> User:
    user = User.objects.create_user(username=username, password="pw-for-tests-2026")
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    if staff is not None:
        staff.user = user
        staff.save()
    return user


def make_staff(section: Section, name: str, staff_no: str | None = None, **fields) -> Staff:
    return Staff.objects.create(
        section=section,
        name=name,
        staff_no=staff_no or f"{next(_numbers):06d}",
        post=fields.pop("post", "科员"),
        **fields,
    )


def report(
    reporter,
    *,
    section: Section,
    responsible: list[Staff],
    standard: Standard,
    severity: str = "minor",
    occurred_on: datetime.date = datetime.date(2026, 7, 1),
    description: str = "文件收文后未在规定时限内呈批。",
):
    return services.incident_report(
        reporter=reporter,
        kind=standard.kind,
        standard=standard,
        severity=severity,
        occurred_on=occurred_on,
        section=section,
        responsible=responsible,
        description=description,
    )


def ensure_default_criteria() -> None:
    """The default scheme the migrations create, back after a transactional test emptied it."""
    migration = importlib.import_module(
        "efficiency.migrations.0004_period_lock_and_default_criteria"
    )
    for code, name, weight, order in migration.DEFAULT_CRITERIA:
        Criterion.objects.get_or_create(
            code=code, defaults={"name": name, "weight": weight, "order": order}
        )
