"""The history's hash chain, without a database: canonical form, hashing, walking a sequence.

Each history entry's hash covers its canonical content and the previous entry's hash, so
rewriting, removing, adding or reordering an entry changes every hash after it. The chain is
only as strong as a copy of its head kept elsewhere (a printed fingerprint, last night's
``verify_history``, a backup manifest): someone able to rewrite the table can recompute the
whole chain, but cannot make it end at a head that was printed before.
"""

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

GENESIS = "0" * 64
FINGERPRINT_HEX = 12


@dataclass(frozen=True)
class Entry:
    """One history entry as stored, in the chain's terms."""

    id: int
    at: datetime.datetime
    actor_id: int | None
    content_type: str  # "app_label.model"
    object_id: str
    object_repr: str
    action: str
    from_status: str
    to_status: str
    reason: str
    changes: object
    prev_hash: str = ""
    entry_hash: str = ""


def canonical_changes(changes: object) -> str:
    return json.dumps(changes, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical(entry: Entry) -> str:
    """A stable text of the entry: the same on SQLite and PostgreSQL, whatever the key order."""
    at = entry.at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    fields = [
        str(entry.id),
        at,
        "" if entry.actor_id is None else str(entry.actor_id),
        entry.content_type,
        entry.object_id,
        entry.object_repr,
        entry.action,
        entry.from_status,
        entry.to_status,
        entry.reason,
        canonical_changes(entry.changes),
    ]
    # JSON of the list quotes every field, so no choice of separators inside a reason can make
    # two different entries read the same.
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def entry_hash(prev_hash: str, entry: Entry) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical(entry)}".encode()).hexdigest()


class Break(StrEnum):
    EDITED = "edited"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"


@dataclass(frozen=True)
class WalkResult:
    count: int
    last_id: int | None
    head_hash: str
    # The first entry where the chain breaks, and how; None when the whole chain holds.
    break_kind: Break | None = None
    break_id: int | None = None
    break_position: int | None = None  # 1-based position in id order
    hash_at: str | None = None  # the stored hash of the entry at ``mark``, when asked


def walk(entries: Iterable[Entry], *, mark: int | None = None) -> WalkResult:
    """Check every link in id order; classify the first break.

    Reading on past the first break (hashes only, no hashing) tells a reordering (the entry
    follows one that now comes later) from a deletion (it follows an entry no longer there)
    and an insertion (it follows an entry further back, or nothing at all).
    """
    previous_hash = GENESIS
    count = 0
    last_id = None
    first: tuple[int, int, Entry, str] | None = None  # position, id, entry, previous hash
    positions: dict[str, int] = {}
    ids: list[int] = []
    hash_at = GENESIS if mark == 0 else None
    for entry in entries:
        count += 1
        if count == mark:
            hash_at = entry.entry_hash
        last_id = entry.id
        ids.append(entry.id)
        if first is None and (
            entry.prev_hash != previous_hash
            or entry_hash(entry.prev_hash, entry) != entry.entry_hash
        ):
            first = (count, entry.id, entry, previous_hash)
        positions.setdefault(entry.entry_hash, count)
        previous_hash = entry.entry_hash
    if first is None:
        return WalkResult(count=count, last_id=last_id, head_hash=previous_hash, hash_at=hash_at)
    position, break_id, entry, expected = first
    kind, culprit = _classify(entry, expected, position, positions)
    if culprit != position:
        position, break_id = culprit, ids[culprit - 1]
    return WalkResult(
        count=count,
        last_id=last_id,
        head_hash=previous_hash,
        break_kind=kind,
        break_id=break_id,
        break_position=position,
        hash_at=hash_at,
    )


def _classify(
    entry: Entry, expected: str, position: int, positions: dict[str, int]
) -> tuple[Break, int]:
    """How the chain breaks at ``position``, and the position of the entry to blame."""
    if entry.prev_hash == expected:
        return Break.EDITED, position  # linked where it should be; its content no longer matches
    linked_to = positions.get(entry.prev_hash, 0 if entry.prev_hash == GENESIS else None)
    if linked_to is not None and linked_to > position:
        return Break.REORDERED, position
    if linked_to is not None and linked_to < position - 1:
        # The entries between were not in the chain when this one was written.
        return Break.INSERTED, linked_to + 1
    if len(entry.prev_hash) != 64 or entry_hash(entry.prev_hash, entry) != entry.entry_hash:
        return Break.INSERTED, position  # written outside the application: no valid link
    return Break.DELETED, position


def fingerprint(count: int, head_hash: str) -> str:
    """What is printed: the entry number and the head hash's first digits (1234-3fa9c0d1e2b4)."""
    return f"{count}-{head_hash[:FINGERPRINT_HEX]}"


@dataclass(frozen=True)
class Fingerprint:
    count: int
    prefix: str


def parse_fingerprint(text: str) -> Fingerprint | None:
    """Read a printed fingerprint back; None when it is not one. Spaces and case are forgiven."""
    cleaned = "".join(text.split()).lower().replace("–", "-").replace("—", "-")
    number, sep, prefix = cleaned.partition("-")
    if not sep or not number.isdigit() or len(prefix) < 8 or len(prefix) > 64:
        return None
    if any(ch not in "0123456789abcdef" for ch in prefix):
        return None
    return Fingerprint(count=int(number), prefix=prefix)
