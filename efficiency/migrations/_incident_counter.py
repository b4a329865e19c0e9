"""SQL of the incidents that cannot change a result: they leave the change counter alone.

A period's results read an incident, and its responsible people, only while the incident is
established (verified or handled: ``ESTABLISHED_STATUSES``, the only filter efficiency.results
puts on incidents). So, from migration 0032 on, the change counter is not bumped by

- a new incident not established (what a clerk records: 待核实): no result reads it, no row
  refers to it yet;
- a responsible row written or removed while its incident is not established.

Everything else bumps as before (0030): any UPDATE of an incident's watched columns, whatever
its status (a status that becomes established, or stops being so, bumps right there), a
DELETE, a TRUNCATE, an established incident's insert, a responsible row of an established
incident or of one not found.

Why the responsible rows' check cannot miss a concurrent change of the incident's status: on
SQLite one writer at a time, so the status the trigger reads is the one every later reader
sees until the writer's commit. On PostgreSQL the check first takes the history chain's lock
(_counter_triggers.CHAIN_LOCK), which every bump takes and holds until its commit; a status
change committed before is then seen (in READ COMMITTED each statement of the function reads
anew; under a stricter isolation the function bumps without checking), and one not yet made
waits for this commit and bumps after it.

A migration that rebuilds ``efficiency_incident`` or ``efficiency_incidentresponsible`` on
SQLite and puts back 0030's triggers (``sqlite_for``) gets triggers that bump on every write:
correct but keeping less; put :data:`SQLITE_TRIGGERS` back instead (a test names them).
"""

from efficiency.migrations._counter_triggers import (
    _BUMP_SQLITE,
    CHAIN_LOCK,
    TABLE,
    WATCHED,
    _name,
    sqlite_for,
)

INCIDENTS = "efficiency_incident"
RESPONSIBLE = "efficiency_incidentresponsible"
# ESTABLISHED_STATUSES, as values (a test compares the two).
ESTABLISHED = ("verified", "handled")
_IN_FORCE = ", ".join(f"'{status}'" for status in ESTABLISHED)


def _not_established(incident_id: str) -> str:
    """True when the incident is found and not established: its rows cannot count."""
    return (
        f"EXISTS (SELECT 1 FROM {INCIDENTS} WHERE id = {incident_id} "
        f"AND status NOT IN ({_IN_FORCE}))"
    )


_WHEN = {
    (INCIDENTS, "INSERT"): f"NEW.status IN ({_IN_FORCE})",
    (RESPONSIBLE, "INSERT"): f"NOT {_not_established('NEW.incident_id')}",
    (RESPONSIBLE, "UPDATE"): (
        f"NOT ({_not_established('OLD.incident_id')} AND {_not_established('NEW.incident_id')})"
    ),
    (RESPONSIBLE, "DELETE"): f"NOT {_not_established('OLD.incident_id')}",
}

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS {_name(table, op)} AFTER {op} ON {table} "
    f"FOR EACH ROW WHEN {when} BEGIN {_BUMP_SQLITE} END;"
    for (table, op), when in _WHEN.items()
]

SQLITE = [
    *[f"DROP TRIGGER IF EXISTS {_name(table, op)};" for table, op in _WHEN],
    *SQLITE_TRIGGERS,
]
SQLITE_REVERSE = [
    *[f"DROP TRIGGER IF EXISTS {_name(table, op)};" for table, op in _WHEN],
    *sqlite_for(INCIDENTS),
    *sqlite_for(RESPONSIBLE),
]

_BUMP = f"UPDATE {TABLE} SET value = value + 1, stamp = (random() * 9e18)::bigint WHERE id = 1;"


def _any_counts(rows: str) -> str:
    return f"EXISTS (SELECT 1 FROM {rows} r WHERE NOT {_not_established('r.incident_id')})"


_FUNCTIONS = [
    f"""
    CREATE OR REPLACE FUNCTION efficiency_count_incidents() RETURNS trigger AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM new_rows WHERE status IN ({_IN_FORCE})) THEN
        PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
        {_BUMP}
      END IF;
      RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE OR REPLACE FUNCTION efficiency_count_responsible() RETURNS trigger AS $$
    DECLARE
      counts boolean := false;
    BEGIN
      -- The chain's lock before the incidents' status is read (see the module's docstring).
      PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
      IF current_setting('transaction_isolation') <> 'read committed' THEN
        counts := true;
      END IF;
      IF NOT counts AND TG_OP IN ('INSERT', 'UPDATE') THEN
        counts := {_any_counts("new_rows")};
      END IF;
      IF NOT counts AND TG_OP IN ('UPDATE', 'DELETE') THEN
        counts := {_any_counts("old_rows")};
      END IF;
      IF counts THEN
        {_BUMP}
      END IF;
      RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
]

_REFERENCING = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}
_INCIDENT_UPDATE = f"UPDATE OF {', '.join(WATCHED[INCIDENTS])}"


POSTGRESQL = [
    *_FUNCTIONS,
    # The incidents: their INSERT apart; UPDATE of the watched columns and DELETE as in 0030.
    f"DROP TRIGGER IF EXISTS {_name(INCIDENTS, 'write')} ON {INCIDENTS};",
    f"CREATE TRIGGER {_name(INCIDENTS, 'write')} AFTER {_INCIDENT_UPDATE} OR DELETE "
    f"ON {INCIDENTS} FOR EACH STATEMENT EXECUTE FUNCTION efficiency_count_change();",
    f"CREATE TRIGGER {_name(INCIDENTS, 'INSERT')} AFTER INSERT ON {INCIDENTS} "
    f"REFERENCING {_REFERENCING['INSERT']} "
    "FOR EACH STATEMENT EXECUTE FUNCTION efficiency_count_incidents();",
    # The responsible rows: one trigger an event (transition tables need a single event).
    f"DROP TRIGGER IF EXISTS {_name(RESPONSIBLE, 'write')} ON {RESPONSIBLE};",
    *[
        f"CREATE TRIGGER {_name(RESPONSIBLE, op)} AFTER {op} ON {RESPONSIBLE} "
        f"REFERENCING {referencing} "
        "FOR EACH STATEMENT EXECUTE FUNCTION efficiency_count_responsible();"
        for op, referencing in _REFERENCING.items()
    ],
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS {_name(INCIDENTS, 'INSERT')} ON {INCIDENTS};",
    *[f"DROP TRIGGER IF EXISTS {_name(RESPONSIBLE, op)} ON {RESPONSIBLE};" for op in _REFERENCING],
    f"DROP TRIGGER IF EXISTS {_name(INCIDENTS, 'write')} ON {INCIDENTS};",
    "DROP FUNCTION IF EXISTS efficiency_count_incidents();",
    "DROP FUNCTION IF EXISTS efficiency_count_responsible();",
    *[
        f"CREATE TRIGGER {_name(table, 'write')} AFTER INSERT OR {update} OR DELETE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION efficiency_count_change();"
        for table, update in ((INCIDENTS, _INCIDENT_UPDATE), (RESPONSIBLE, "UPDATE"))
    ],
]
