"""SQL of the marks counters: one row a period, bumped by every write to that period's marks.

A mark (``efficiency_score``) belongs to one period, and a change to it can only change the
results that read that period's marks. Before migration 0032 every mark bumped the one change
counter (_counter_triggers.py), so the assessors saving cells in the open quarter discarded
every kept ranking, also the closed quarters' that no mark of the open one can change. Now
``efficiency_marks_counter`` holds ``(period_id, value, stamp)``, bumped in the writer's
transaction like the change counter (same random ``stamp``, same lock order behind the history
chain on PostgreSQL); a period with no row has had no mark written since 0032 and reads
``(0, 0)``, a pair no bump gives back. A TRUNCATE of the marks bumps the change counter
(0030's trigger, kept), and so every key.

SQLite: row triggers using NEW/OLD.period_id (an UPDATE moving a mark bumps both periods).
PostgreSQL: statement triggers with transition tables, one an event (PostgreSQL allows
transition tables only on single-event triggers): a sheet's bulk save bumps each period it
touched once, where row triggers bumped it once a row (bench/README.md, "Triggers for the
marks, row vs statement").

A migration that rebuilds ``efficiency_score`` on SQLite drops these triggers and must put
:data:`SQLITE_TRIGGERS` back.
"""

from efficiency.migrations._counter_triggers import CHAIN_LOCK, sqlite_for

TABLE = "efficiency_marks_counter"
MARKS = "efficiency_score"

_UPSERT = f"ON CONFLICT (period_id) DO UPDATE SET value = {TABLE}.value + 1, stamp = excluded.stamp"


def _sqlite_bump(period: str, when: str = "") -> str:
    # INSERT ... SELECT (not VALUES) so that a WHERE can skip it; SQLite's upsert after a
    # SELECT needs that WHERE anyway ("WHERE true") to parse.
    return (
        f"INSERT INTO {TABLE} (period_id, value, stamp) SELECT {period}, 1, random() "
        f"WHERE {when or 'true'} {_UPSERT};"
    )


def _trigger(op: str) -> str:
    return f"{MARKS}_marks_{op.lower()}"


SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS {_trigger('INSERT')} AFTER INSERT ON {MARKS} "
    f"FOR EACH ROW BEGIN {_sqlite_bump('NEW.period_id')} END;",
    f"CREATE TRIGGER IF NOT EXISTS {_trigger('UPDATE')} AFTER UPDATE ON {MARKS} "
    f"FOR EACH ROW BEGIN {_sqlite_bump('NEW.period_id')} "
    f"{_sqlite_bump('OLD.period_id', 'OLD.period_id IS NOT NEW.period_id')} END;",
    f"CREATE TRIGGER IF NOT EXISTS {_trigger('DELETE')} AFTER DELETE ON {MARKS} "
    f"FOR EACH ROW BEGIN {_sqlite_bump('OLD.period_id')} END;",
]

_EVENTS = ["INSERT", "UPDATE", "DELETE"]

SQLITE = [
    # The marks leave the one change counter for their period's.
    *[f"DROP TRIGGER IF EXISTS efficiency_score_counts_{op.lower()};" for op in _EVENTS],
    f"CREATE TABLE IF NOT EXISTS {TABLE} (period_id integer PRIMARY KEY, "
    "value bigint NOT NULL, stamp bigint NOT NULL);",
    *SQLITE_TRIGGERS,
]
SQLITE_REVERSE = [
    *[f"DROP TRIGGER IF EXISTS {_trigger(op)};" for op in _EVENTS],
    f"DROP TABLE IF EXISTS {TABLE};",
    *sqlite_for(MARKS, {MARKS: None}),
]

# PostgreSQL: the periods the statement touched, then one bump each, in the order of their
# ids, after the history chain's lock (see _counter_triggers.CHAIN_LOCK). A statement that
# touched no row bumps nothing and takes no lock.
_FUNCTION = f"""
CREATE OR REPLACE FUNCTION efficiency_count_marks() RETURNS trigger AS $$
DECLARE
  touched bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT period_id) INTO touched FROM new_marks;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT period_id) INTO touched FROM old_marks;
  ELSE
    SELECT array_agg(DISTINCT period_id) INTO touched
    FROM (SELECT period_id FROM new_marks UNION ALL SELECT period_id FROM old_marks) AS moved;
  END IF;
  IF touched IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
  INSERT INTO {TABLE} (period_id, value, stamp)
  SELECT period_id, 1, (random() * 9e18)::bigint FROM unnest(touched) AS t(period_id)
  ORDER BY period_id
  {_UPSERT};
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

_REFERENCING = {
    "INSERT": "NEW TABLE AS new_marks",
    "UPDATE": "OLD TABLE AS old_marks NEW TABLE AS new_marks",
    "DELETE": "OLD TABLE AS old_marks",
}

POSTGRESQL = [
    f"DROP TRIGGER IF EXISTS efficiency_score_counts_write ON {MARKS};",
    f"CREATE TABLE IF NOT EXISTS {TABLE} (period_id bigint PRIMARY KEY, "
    "value bigint NOT NULL, stamp bigint NOT NULL);",
    _FUNCTION,
    *[
        f"CREATE TRIGGER {_trigger(op)} AFTER {op} ON {MARKS} REFERENCING {referencing} "
        "FOR EACH STATEMENT EXECUTE FUNCTION efficiency_count_marks();"
        for op, referencing in _REFERENCING.items()
    ],
]
POSTGRESQL_REVERSE = [
    *[f"DROP TRIGGER IF EXISTS {_trigger(op)} ON {MARKS};" for op in _REFERENCING],
    "DROP FUNCTION IF EXISTS efficiency_count_marks();",
    f"DROP TABLE IF EXISTS {TABLE};",
    f"CREATE TRIGGER efficiency_score_counts_write AFTER INSERT OR UPDATE OR DELETE ON {MARKS} "
    "FOR EACH STATEMENT EXECUTE FUNCTION efficiency_count_change();",
]
