"""The history's hash chain in the database: appending, the head, and checking it all.

``append`` is the only writer of history rows (``audit.record`` and the bulk import call it).
``head()`` and ``verify()`` are what the backup and restore commands use.
"""

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency import chain
from efficiency.models import AuditEvent, ChainHead, Incident, Period
from efficiency.models.appraisal import PeriodState
from efficiency.models.incidents import AppealStatus

HEAD_PK = 1
# Any constant: the key of the PostgreSQL advisory lock that serialises appends.
ADVISORY_KEY = 0x4849_5354  # "HIST"
# Facts of an incident that its history records as text in ``changes`` and that stay stable as
# text (the clause, section and people are shown by name, and names may change later).
REPLAYED_FACTS = ["kind", "severity", "occurred_on", "description", "handling_decision"]
# The appeal's state, set by these history actions and by nothing else.
APPEAL_AFTER = {
    "appeal": AppealStatus.PENDING,
    "appeal_uphold": AppealStatus.UPHELD,
    "appeal_lighten": AppealStatus.PARTLY_UPHELD,
    "appeal_reject": AppealStatus.REJECTED,
}
CHUNK = 5000


class Head(NamedTuple):
    """The chain's last link: how many entries it holds and the last entry's hash."""

    count: int
    head_hash: str

    @property
    def fingerprint(self) -> str:
        return chain.fingerprint(self.count, self.head_hash)


@dataclass(frozen=True)
class Finding:
    kind: str  # "chain", "head", "incident", "period"
    message: str  # Chinese, for the command's output and the page
    entry_id: int | None = None


def _lock_chain() -> ChainHead:
    """Take the chain for this transaction; the caller must be inside ``transaction.atomic``."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_KEY])
    # SQLite: the IMMEDIATE transaction already holds the write lock. select_for_update also
    # locks the head row on PostgreSQL, for anyone who updates it without the advisory lock.
    head = ChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
    if head is None:
        # A new or flushed database: the chain restarts from what the table holds.
        last = AuditEvent.objects.order_by("-pk").values("pk", "entry_hash").first()
        head = ChainHead.objects.create(
            pk=HEAD_PK,
            count=AuditEvent.objects.count(),
            last_id=last["pk"] if last else None,
            head_hash=last["entry_hash"] if last else "",
        )
    return head


def _next_ids(count: int, head: ChainHead) -> list[int]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('efficiency_auditevent', 'id')) "
                "FROM generate_series(1, %s)",
                [count],
            )
            return sorted(row[0] for row in cursor.fetchall())
    highest = AuditEvent.objects.aggregate(highest=Max("pk"))["highest"] or 0
    start = max(highest, head.last_id or 0) + 1
    return list(range(start, start + count))


def _entry(event: AuditEvent) -> chain.Entry:
    content_type = ContentType.objects.get_for_id(event.content_type_id)
    return chain.Entry(
        id=event.pk,
        at=event.at,
        actor_id=event.actor_id,
        content_type=f"{content_type.app_label}.{content_type.model}",
        object_id=event.object_id,
        object_repr=event.object_repr,
        action=event.action,
        from_status=event.from_status,
        to_status=event.to_status,
        reason=event.reason,
        changes=event.changes,
        prev_hash=event.prev_hash,
        entry_hash=event.entry_hash,
    )


@transaction.atomic
def append(events: Sequence[AuditEvent]) -> list[AuditEvent]:
    """Number, time, link and store new history entries, in the caller's transaction."""
    if not events:
        return []
    head = _lock_chain()
    now = timezone.now()
    previous = head.head_hash or chain.GENESIS
    for event, pk in zip(events, _next_ids(len(events), head), strict=True):
        event.pk = pk
        event.at = now
        # Stored as JSON and read back: hash what will be read back.
        event.changes = json.loads(json.dumps(event.changes or {}))
        event.prev_hash = previous
        event.entry_hash = chain.entry_hash(previous, _entry(event))
        previous = event.entry_hash
    AuditEvent.objects.bulk_create(events, batch_size=500)
    head.count += len(events)
    head.last_id = events[-1].pk
    head.head_hash = previous
    head.save(update_fields=["count", "last_id", "head_hash"])
    return list(events)


def head(using: str = "default") -> Head:
    """The chain head as last written (cheap; ``verify()`` checks it against the entries).

    ``using`` names the database, for a backup reading it from the copy it just made.
    """
    row = ChainHead.objects.using(using).filter(pk=HEAD_PK).first()
    if row is not None:
        return Head(row.count, row.head_hash or chain.GENESIS)
    events = AuditEvent.objects.using(using)
    last = events.order_by("-pk").values_list("entry_hash", flat=True).first()
    return Head(events.count(), last or chain.GENESIS)


def last_id() -> int | None:
    row = ChainHead.objects.filter(pk=HEAD_PK).first()
    return row.last_id if row is not None else None


def _stream() -> Iterator[chain.Entry]:
    labels = {
        ct.pk: f"{ct.app_label}.{ct.model}"
        for ct in ContentType.objects.all().only("app_label", "model")
    }
    rows = (
        AuditEvent.objects.order_by("pk")
        .values_list(
            "pk",
            "at",
            "actor_id",
            "content_type_id",
            "object_id",
            "object_repr",
            "action",
            "from_status",
            "to_status",
            "reason",
            "changes",
            "prev_hash",
            "entry_hash",
        )
        .iterator(chunk_size=CHUNK)
    )
    for pk, at, actor, ct, oid, orepr, action, from_s, to_s, reason, changes, prev, own in rows:
        yield chain.Entry(
            pk, at, actor, labels.get(ct, str(ct)), oid, orepr, action, from_s, to_s, reason,
            changes, prev, own,
        )  # fmt: skip


def _break_message(result: chain.WalkResult) -> str:
    messages = {
        chain.Break.EDITED: _(
            "History entry no. {position} (ID {id}) no longer matches its hash: it was "
            "changed after it was written."
        ),
        chain.Break.DELETED: _(
            "The entry before history entry no. {position} (ID {id}) is missing: an entry was "
            "deleted."
        ),
        chain.Break.INSERTED: _(
            "History entry no. {position} (ID {id}) was not in the chain: an entry was inserted."
        ),
        chain.Break.REORDERED: _(
            "History entry no. {position} (ID {id}) is out of place: entries were reordered."
        ),
    }
    return messages[result.break_kind].format(position=result.break_position, id=result.break_id)


def _head_findings(result: chain.WalkResult) -> list[Finding]:
    row = ChainHead.objects.filter(pk=HEAD_PK).first()
    if row is None:
        if result.count:
            return [Finding("head", _("The record of the chain head is missing."))]
        return []
    if result.count == 0 and row.count > 0:
        return [
            Finding(
                "head",
                _(
                    "The history is empty, but {count} entries were written: the whole history "
                    "was deleted."
                ).format(count=row.count),
            )
        ]
    if result.count < row.count:
        return [
            Finding(
                "head",
                _(
                    "The history holds {found} entries, but {count} were written: the last "
                    "entries were deleted."
                ).format(found=result.count, count=row.count),
            )
        ]
    if result.count > row.count:
        return [
            Finding(
                "head",
                _(
                    "The history holds {found} entries, but only {count} were written through "
                    "the application: entries were inserted after entry ID {last}."
                ).format(found=result.count, count=row.count, last=row.last_id),
                row.last_id,
            )
        ]
    if result.head_hash != (row.head_hash or chain.GENESIS) or result.last_id != row.last_id:
        return [
            Finding(
                "head",
                _("The last history entry is not the one the application wrote last."),
                result.last_id,
            )
        ]
    return []


def _status_label(choices, value: str) -> str:
    return str(dict(choices).get(value, value or "—"))


def _replay_incidents() -> list[Finding]:
    ct = ContentType.objects.get_for_model(Incident)
    created: set[str] = set()
    status: dict[str, str] = {}
    appeal: dict[str, str] = {}
    facts: dict[str, dict[str, str]] = {}
    events = (
        AuditEvent.objects.filter(content_type=ct)
        .order_by("pk")
        .values_list("object_id", "action", "to_status", "changes")
        .iterator(chunk_size=CHUNK)
    )
    for object_id, action, to_status, changes in events:
        if action == "create":
            created.add(object_id)
        if to_status:
            status[object_id] = to_status
        if action in APPEAL_AFTER:
            appeal[object_id] = APPEAL_AFTER[action]
        if isinstance(changes, dict):
            # Nobody decided a handling until the history says so.
            known = facts.setdefault(object_id, {"handling_decision": ""})
            for name in REPLAYED_FACTS:
                pair = changes.get(name)
                if isinstance(pair, list) and len(pair) == 2:
                    known[name] = pair[1]
    choices = Incident._meta.get_field("status").choices
    findings = []
    appeal_choices = Incident._meta.get_field("appeal_status").choices
    rows = Incident.objects.order_by("pk").values_list(
        "pk", "number", "status", "appeal_status", *REPLAYED_FACTS
    )
    for pk, number, current, current_appeal, *values in rows.iterator(chunk_size=CHUNK):
        key = str(pk)
        if key not in created:
            findings.append(
                Finding(
                    "incident",
                    _("Incident {number}: the history has no entry recording it.").format(
                        number=number
                    ),
                )
            )
            continue
        if status.get(key) != current:
            findings.append(
                Finding(
                    "incident",
                    _(
                        "Incident {number} is “{current}”, but its history ends at “{recorded}”."
                    ).format(
                        number=number,
                        current=_status_label(choices, current),
                        recorded=_status_label(choices, status.get(key, "")),
                    ),
                )
            )
        if appeal.get(key, AppealStatus.NONE) != current_appeal:
            findings.append(
                Finding(
                    "incident",
                    _(
                        "Incident {number}: the appeal is “{current}”, but its history ends at "
                        "“{recorded}”."
                    ).format(
                        number=number,
                        current=_status_label(appeal_choices, current_appeal),
                        recorded=_status_label(appeal_choices, appeal.get(key, "")),
                    ),
                )
            )
        known = facts.get(key, {})
        for name, value in zip(REPLAYED_FACTS, values, strict=True):
            text = "" if value is None else str(value)
            if name in known and known[name] != text:
                label = Incident._meta.get_field(name).verbose_name
                findings.append(
                    Finding(
                        "incident",
                        _(
                            "Incident {number}: “{field}” is “{current}”, but its history "
                            "records “{recorded}”."
                        ).format(
                            number=number, field=label, current=text[:60], recorded=known[name][:60]
                        ),
                    )
                )
    return findings


def _replay_periods() -> list[Finding]:
    ct = ContentType.objects.get_for_model(Period)
    state: dict[str, str] = {}
    events = (
        AuditEvent.objects.filter(content_type=ct)
        .exclude(to_status="")
        .order_by("pk")
        .values_list("object_id", "to_status")
    )
    for object_id, to_status in events.iterator(chunk_size=CHUNK):
        state[object_id] = to_status
    choices = Period._meta.get_field("state").choices
    findings = []
    for pk, code, current in Period.objects.order_by("pk").values_list("pk", "code", "state"):
        # A period nobody opened yet has no history and is still a draft.
        recorded = state.get(str(pk), PeriodState.DRAFT)
        if recorded != current:
            findings.append(
                Finding(
                    "period",
                    _("Period {code} is “{current}”, but its history ends at “{recorded}”.").format(
                        code=code,
                        current=_status_label(choices, current),
                        recorded=_status_label(choices, recorded),
                    ),
                )
            )
    return findings


def walk() -> chain.WalkResult:
    return chain.walk(_stream())


def verify() -> list[Finding]:
    """Every finding: the chain's first break, the head, rows the history does not explain."""
    result = walk()
    findings = []
    if result.break_kind is not None:
        findings.append(Finding("chain", _break_message(result), result.break_id))
    findings += _head_findings(result)
    findings += _replay_incidents()
    findings += _replay_periods()
    return findings


@dataclass(frozen=True)
class FingerprintCheck:
    ok: bool
    message: str
    after: int = 0  # entries written since the printed head


def check_fingerprint(text: str) -> FingerprintCheck:
    """Does the current history still contain the printed head, unchanged?"""
    printed = chain.parse_fingerprint(text)
    if printed is None:
        return FingerprintCheck(
            False,
            _("“{text}” is not a history fingerprint: it reads like 1234-3fa9c0d1e2b4.").format(
                text=text.strip()[:40]
            ),
        )
    result = chain.walk(_stream(), mark=printed.count)
    if printed.count > result.count:
        return FingerprintCheck(
            False,
            _(
                "The history now holds {found} entries, fewer than the {count} printed: entries "
                "were deleted since it was printed."
            ).format(found=result.count, count=printed.count),
        )
    marked = result.hash_at or chain.GENESIS
    if not marked.startswith(printed.prefix):
        return FingerprintCheck(
            False,
            _(
                "Entry no. {count} is no longer the one printed: the history up to that "
                "printing was rewritten."
            ).format(count=printed.count),
        )
    if result.break_position is not None and result.break_position <= printed.count:
        return FingerprintCheck(
            False,
            _(
                "The history up to entry no. {count} no longer holds together (it breaks at "
                "entry no. {position}): it was rewritten since it was printed."
            ).format(count=printed.count, position=result.break_position),
        )
    after = result.count - printed.count
    return FingerprintCheck(
        True,
        _(
            "The history still contains the printed head {fingerprint} unchanged; {after} "
            "entries were written after it."
        ).format(fingerprint=chain.fingerprint(printed.count, marked), after=after),
        after,
    )
