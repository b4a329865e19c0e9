from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from efficiency.models import AuditEvent
from efficiency.services import history_chain


def record(
    *,
    actor,
    obj: models.Model,
    action: str,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one history entry for ``obj``; call inside the transaction that made the change.

    The entry is linked into the history's hash chain in that same transaction.
    """
    event = AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        changes=changes or {},
    )
    history_chain.append([event])
    return event


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, str]:
    """The named fields as text; choice fields keep their stored value, shown translated later."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = "、".join(str(item) for item in getattr(obj, name).all())
        else:
            value = getattr(obj, name)
            values[name] = "" if value is None else str(value)
    return values


def diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {
        key: [before.get(key, ""), value]
        for key, value in after.items()
        if before.get(key) != value
    }
