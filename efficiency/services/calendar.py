"""Writes of the office's calendar (days off and weekend days worked)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext

from efficiency.models import OfficeDay
from efficiency.models.audit import AuditAction
from efficiency.workdays import OFFICIAL_DAYS

from .audit import diff, record, snapshot
from .roster import AUDITED_FIELDS

FIELDS = AUDITED_FIELDS[OfficeDay]


@dataclass
class Loaded:
    created: list[OfficeDay] = field(default_factory=list)
    changed: list[OfficeDay] = field(default_factory=list)
    unchanged: int = 0


@transaction.atomic
def office_days_load(*, actor, year: int, reason: str = "", dry_run: bool = False) -> Loaded:
    """Copy the official table of ``year`` into the office's calendar: new days are added,
    days recorded differently are set as the table says, days already so are left alone.
    Days the office added itself are kept. ``dry_run``: say what would change, change nothing."""
    loaded = Loaded()
    existing = {d.date: d for d in OfficeDay.objects.filter(date__year=year)}
    for date, kind, name in OFFICIAL_DAYS[year]:
        day = existing.get(date)
        before = snapshot(day, FIELDS) if day is not None else {}
        if day is None:
            day = OfficeDay(date=date)
        day.kind, day.name = kind, name
        changes = diff(before, snapshot(day, FIELDS))
        if not changes:
            loaded.unchanged += 1
            continue
        (loaded.changed if before else loaded.created).append(day)
        if dry_run:
            continue
        day.full_clean()
        day.save()
        record(
            actor=actor,
            obj=day,
            action=AuditAction.CHANGE if before else AuditAction.CREATE,
            reason=reason,
            changes=changes,
        )
    return loaded


@transaction.atomic
def remove_office_day(*, actor, day: OfficeDay) -> None:
    """Remove a day entered by mistake; the removal is recorded like a change."""
    record(
        actor=actor,
        obj=day,
        action=AuditAction.CHANGE,
        reason=gettext("Removed from the office calendar."),
        changes={name: [value, ""] for name, value in snapshot(day, FIELDS).items()},
    )
    day.delete()
