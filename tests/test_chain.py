"""The hash chain's pure parts: canonical form, hashing, walking, fingerprints (no database)."""

import dataclasses
import datetime
from zoneinfo import ZoneInfo

from efficiency import chain

SHANGHAI = ZoneInfo("Asia/Shanghai")


def entries(n: int) -> list[chain.Entry]:
    result, previous = [], chain.GENESIS
    for i in range(1, n + 1):
        entry = chain.Entry(
            id=i * 10,
            at=datetime.datetime(2026, 11, 20, 9, i, tzinfo=datetime.UTC),
            actor_id=i % 3 or None,
            content_type="efficiency.incident",
            object_id=str(i),
            object_repr=f"SC-2026-{i:03d}",
            action="verify",
            from_status="reported",
            to_status="verified",
            reason=f"理由 {i}",
            changes={"b": ["", "2"], "a": ["1", i]},
            prev_hash=previous,
        )
        entry = dataclasses.replace(entry, entry_hash=chain.entry_hash(previous, entry))
        result.append(entry)
        previous = entry.entry_hash
    return result


def test_canonical_form_ignores_key_order_and_time_zone():
    entry = entries(1)[0]
    same = dataclasses.replace(
        entry, changes={"a": ["1", 1], "b": ["", "2"]}, at=entry.at.astimezone(SHANGHAI)
    )
    assert chain.canonical(same) == chain.canonical(entry)
    assert '"2026-11-20T09:01:00.000000+00:00"' in chain.canonical(entry)


def test_every_field_counts():
    entry = entries(1)[0]
    for name, value in [("id", 11), ("actor_id", 2), ("reason", "理由 1 "), ("to_status", "x")]:
        changed = dataclasses.replace(entry, **{name: value})
        assert chain.entry_hash(chain.GENESIS, changed) != entry.entry_hash, name


def test_an_intact_chain_walks_to_its_head():
    sequence = entries(5)
    result = chain.walk(sequence, mark=3)
    assert (result.count, result.last_id, result.break_kind) == (5, 50, None)
    assert result.head_hash == sequence[-1].entry_hash
    assert result.hash_at == sequence[2].entry_hash


def test_an_edited_entry_is_named():
    sequence = entries(5)
    sequence[2] = dataclasses.replace(sequence[2], reason="改过的理由")
    result = chain.walk(sequence)
    assert (result.break_kind, result.break_id, result.break_position) == ("edited", 30, 3)


def test_a_deleted_entry_is_found_at_the_next_one():
    sequence = entries(5)
    del sequence[2]
    result = chain.walk(sequence)
    assert (result.break_kind, result.break_id) == ("deleted", 40)


def test_an_entry_inserted_by_hand_is_named():
    sequence = entries(5)
    forged = dataclasses.replace(sequence[1], id=25, reason="补记", prev_hash="", entry_hash="")
    sequence.insert(2, forged)
    result = chain.walk(sequence)
    assert (result.break_kind, result.break_id) == ("inserted", 25)


def test_an_inserted_entry_with_a_valid_hash_is_named_too():
    sequence = entries(5)
    link = sequence[1].entry_hash
    forged = dataclasses.replace(sequence[1], id=25, reason="补记", prev_hash=link)
    forged = dataclasses.replace(forged, entry_hash=chain.entry_hash(forged.prev_hash, forged))
    sequence.insert(2, forged)
    result = chain.walk(sequence)
    assert (result.break_kind, result.break_id, result.break_position) == ("inserted", 25, 3)


def test_swapped_entries_are_reordered():
    sequence = entries(5)
    sequence[1], sequence[2] = sequence[2], sequence[1]
    result = chain.walk(sequence)
    assert (result.break_kind, result.break_id, result.break_position) == ("reordered", 30, 2)


def test_fingerprints_read_back():
    assert chain.fingerprint(1234, "3fa9c0d1e2b4" + "0" * 52) == "1234-3fa9c0d1e2b4"
    assert chain.parse_fingerprint(" 1234 - 3FA9C0D1E2B4 ") == chain.Fingerprint(
        1234, "3fa9c0d1e2b4"
    )
    for bad in ["", "1234", "abc-3fa9c0d1e2b4", "1234-3fa9", "1234-xyz9c0d1e2b4"]:
        assert chain.parse_fingerprint(bad) is None, bad
