"""Writes to the office's configuration: sections, staff, the clause catalogue, default criteria
and the days of the office's calendar.

These models have no service of their own: the admin's pages and the roster sheets both save
them through :func:`save_audited`, so each save is validated and recorded the same way.
"""

from django.db import models, transaction

from efficiency.models import Criterion, OfficeDay, QuotaPool, Section, Staff, Standard
from efficiency.models.audit import AuditAction
from efficiency.services.audit import diff, record, snapshot

# The fields whose changes the history records, by model.
AUDITED_FIELDS: dict[type[models.Model], list[str]] = {
    Section: ["code", "name", "order", "active"],
    Staff: [
        "staff_no",
        "name",
        "section",
        "post",
        "start_date",
        "end_date",
        "user",
        "gender",
        "birth_date",
        "political_status",
        "rank",
        "post_since",
        "duties",
        "category",
        "probation_ends",
    ],
    Standard: [
        "code",
        "kind",
        "text",
        "points_minor",
        "points_serious",
        "points_grave",
        "active",
        "valid_from",
        "valid_until",
    ],
    Criterion: ["code", "name", "weight", "order", "active"],
    OfficeDay: ["date", "kind", "name"],
    QuotaPool: [
        "name",
        "order",
        "good_percent",
        "excellent_percent",
        "rounding",
        "minimum",
        "category",
        "active",
    ],
}


@transaction.atomic
def save_audited(*, actor, obj: models.Model, reason: str = "") -> bool:
    """Validate and save a section, person, clause, default criterion or calendar day, recording
    what changed.

    Returns whether anything changed. Nothing is deleted here, ever.
    """
    fields = AUDITED_FIELDS[type(obj)]
    creating = obj.pk is None
    before = {} if creating else snapshot(type(obj).objects.get(pk=obj.pk), fields)
    obj.full_clean()
    obj.save()
    changes = diff(before, snapshot(obj, fields))
    if changes:
        record(
            actor=actor,
            obj=obj,
            action=AuditAction.CREATE if creating else AuditAction.CHANGE,
            changes=changes,
            reason=reason,
        )
    return bool(changes)
