"""The history chain head written into a backup's manifest and checked after a restore.

Until the history carries its own hash chain, the head is the last history entry's id and a
hash of that row's content. When ``efficiency.services.history_chain`` exists, its ``head()``
replaces the body of :func:`chain_head` (the one place to change).
"""

import hashlib
import json

from efficiency.models import AuditEvent


def _row_hash(event: AuditEvent) -> str:
    content = {
        "id": event.pk,
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "content_type": event.content_type_id,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "action": event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "reason": event.reason,
        "changes": event.changes,
    }
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def chain_head(using: str = "default") -> dict | None:
    """``{"id": …, "hash": …}`` of the last history entry in database ``using``, or None."""
    event = AuditEvent.objects.using(using).order_by("-pk").first()
    if event is None:
        return None
    return {"id": event.pk, "hash": _row_hash(event)}
