"""SQL of the change counter: one row that every write to a period's inputs bumps.

``efficiency_change_counter`` holds one row (id 1): ``value`` counts the writing statements
(PostgreSQL) or rows (SQLite) and ``stamp`` is drawn at random on each bump, so that a value
seen again (a restored backup, a rolled-back transaction) is never the same pair. The bump is
an UPDATE of that row inside the writer's transaction: no reader sees it before the change
commits, and writers touching results' inputs take the row's lock in turn until they commit
(on PostgreSQL after the history chain's lock: see :data:`CHAIN_LOCK`).

The table has no model: Django's flush leaves it alone, so the value never goes back.
:data:`efficiency.caching.COUNTED` declares the same tables for the reads; a test compares
the two lists with the triggers found in the database. A migration that rebuilds one of these
tables on SQLite (adding a column with a default, altering one) drops its triggers and must
put them back with :func:`sqlite_for`; since migration 0032 the incidents' and responsible
rows' with ``_incident_counter.SQLITE_TRIGGERS``, the marks' with
``_marks_counter.SQLITE_TRIGGERS`` (the marks have their own counter, a row a period).
"""

TABLE = "efficiency_change_counter"

# table -> the columns whose change can change a result (None: any column). A column list
# keeps writes that cannot matter (a login's last_login, an incident's description) from
# bumping the counter and discarding every kept ranking.
WATCHED: dict[str, tuple[str, ...] | None] = {
    "efficiency_period": (
        "code", "year", "quarter", "state", "thresholds", "pools", "frozen",
    ),
    "efficiency_periodcriterion": None,
    "efficiency_incident": (
        "number", "status", "occurred_on", "points", "severity", "kind", "clause_code",
        "section_id",
    ),
    "efficiency_incidentresponsible": None,
    "efficiency_staffstanding": None,
    "efficiency_gradereview": None,
    "efficiency_correction": None,
    "efficiency_staff": (
        "staff_no", "name", "section_id", "start_date", "end_date", "category", "user_id",
    ),
    "efficiency_section": ("code", "name", "active"),
    "efficiency_section_heads": None,
    "auth_user": ("is_active",),
    "auth_user_groups": None,
    "auth_group": ("name",),
}  # fmt: skip

# Migration 0030 watched the marks too; 0032 moved them to their period's own counter
# (_marks_counter.py), and the score table keeps only its TRUNCATE trigger here. Frozen so
# that 0030 makes, and undoes, on a fresh database what it made when it ran.
WATCHED_0030: dict[str, tuple[str, ...] | None] = {**WATCHED, "efficiency_score": None}

# PostgreSQL: the history chain's advisory lock (efficiency.services.history_chain), taken
# before the counter's row. Every service takes it when it records its step; a writer that
# took the counter's row first and then waited for the chain, while a recorder held the chain
# and waited for the counter, would deadlock. In this order writers queue on one lock.
CHAIN_LOCK = 0x4849_5354

_BUMP_SQLITE = f"UPDATE {TABLE} SET value = value + 1, stamp = random() WHERE id = 1;"


def _name(table: str, op: str) -> str:
    return f"{table}_counts_{op.lower()}"


def sqlite_for(table: str, watched: dict = WATCHED) -> list[str]:
    """The three row triggers of ``table`` (INSERT, UPDATE of its watched columns, DELETE)."""
    columns = watched[table]
    statements = []
    for op in ("INSERT", "UPDATE", "DELETE"):
        event = f"UPDATE OF {', '.join(columns)}" if op == "UPDATE" and columns else op
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {_name(table, op)} AFTER {event} ON {table} "
            f"FOR EACH ROW BEGIN {_BUMP_SQLITE} END;"
        )
    return statements


SQLITE = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY, value bigint NOT NULL, "
    "stamp bigint NOT NULL);",
    f"INSERT OR IGNORE INTO {TABLE} (id, value, stamp) VALUES (1, 0, random());",
    *[statement for table in WATCHED_0030 for statement in sqlite_for(table, WATCHED_0030)],
]
SQLITE_REVERSE = [
    *[
        f"DROP TRIGGER IF EXISTS {_name(table, op)};"
        for table in WATCHED_0030
        for op in ("INSERT", "UPDATE", "DELETE")
    ],
    f"DROP TABLE IF EXISTS {TABLE};",
]


def _postgresql_for(table: str) -> list[str]:
    """One statement trigger for each event: bulk writes bump once, not once a row."""
    columns = WATCHED_0030[table]
    update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
    return [
        f"CREATE TRIGGER {_name(table, 'write')} AFTER INSERT OR {update} OR DELETE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION efficiency_count_change();",
        f"CREATE TRIGGER {_name(table, 'truncate')} AFTER TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION efficiency_count_change();",
    ]


POSTGRESQL = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY, value bigint NOT NULL, "
    "stamp bigint NOT NULL);",
    f"INSERT INTO {TABLE} (id, value, stamp) VALUES "
    "(1, 0, (random() * 9e18)::bigint) ON CONFLICT (id) DO NOTHING;",
    f"""
    CREATE OR REPLACE FUNCTION efficiency_count_change() RETURNS trigger AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
      UPDATE {TABLE} SET value = value + 1, stamp = (random() * 9e18)::bigint WHERE id = 1;
      RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    *[statement for table in WATCHED_0030 for statement in _postgresql_for(table)],
]
POSTGRESQL_REVERSE = [
    *[
        f"DROP TRIGGER IF EXISTS {_name(table, suffix)} ON {table};"
        for table in WATCHED_0030
        for suffix in ("write", "truncate")
    ],
    "DROP FUNCTION IF EXISTS efficiency_count_change();",
    f"DROP TABLE IF EXISTS {TABLE};",
]
