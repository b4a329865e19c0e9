"""The history chain head written into a backup's manifest and checked after a restore."""

from efficiency.models import AuditEvent
from efficiency.services import history_chain


def chain_head(using: str = "default") -> dict | None:
    """The last history entry's id and the chain head of database ``using``, or None.

    The head (entry count and last hash, efficiency.services.history_chain) covers every entry
    before it, so a restored database with the same head holds the same history.
    """
    last_id = AuditEvent.objects.using(using).order_by("-pk").values_list("pk", flat=True).first()
    if last_id is None:
        return None
    head = history_chain.head(using)
    return {
        "id": last_id,
        "count": head.count,
        "hash": head.head_hash,
        "fingerprint": head.fingerprint,
    }
