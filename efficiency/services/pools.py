"""Writes to the quota pools (名额). A pool's own fields are saved like the other configuration
(:func:`efficiency.services.roster.save_audited`); its sections and named people here, so that
every change of who is counted where is in the history.

Edits never touch an opened period: a period keeps the scheme it froze when it opened.
"""

from collections.abc import Iterable

from django.db import transaction

from efficiency.models import QuotaPool, Section, Staff
from efficiency.models.audit import AuditAction
from efficiency.services.audit import diff, record, snapshot

MEMBERSHIP_FIELDS = ["sections", "members"]


@transaction.atomic
def pool_set_membership(
    *,
    actor,
    pool: QuotaPool,
    sections: Iterable[Section],
    members: Iterable[Staff],
) -> bool:
    """Set a pool's sections and named people, recording what changed; returns whether any."""
    before = snapshot(pool, MEMBERSHIP_FIELDS)
    pool.sections.set(list(sections))
    pool.members.set(list(members))
    changes = diff(before, snapshot(pool, MEMBERSHIP_FIELDS))
    if changes:
        record(actor=actor, obj=pool, action=AuditAction.POOL_MEMBERS, changes=changes)
    return bool(changes)
