"""SQL of the triggers that freeze a locked period, shared by the migration and flush.

Whatever route tries it (a page, the admin, an import, the shell), the database refuses to
change a locked period, its criteria, its marks or its grade overrides.
"""

GUARDED = ["efficiency_score", "efficiency_gradeoverride", "efficiency_periodcriterion"]

LOCKED = "(SELECT state FROM efficiency_period WHERE id = {row}.period_id) = 'locked'"


def _sqlite():
    statements = []
    for table in GUARDED:
        for op, row in [("INSERT", "NEW"), ("UPDATE", "OLD"), ("UPDATE", "NEW"), ("DELETE", "OLD")]:
            name = f"{table}_locked_{op.lower()}_{row.lower()}"
            statements.append(
                f"CREATE TRIGGER {name} BEFORE {op} ON {table} "
                f"WHEN {LOCKED.format(row=row)} "
                "BEGIN SELECT RAISE(ABORT, 'the appraisal period is locked'); END;"
            )
    for op in ["UPDATE", "DELETE"]:
        statements.append(
            f"CREATE TRIGGER efficiency_period_locked_{op.lower()} BEFORE {op} "
            "ON efficiency_period WHEN OLD.state = 'locked' "
            "BEGIN SELECT RAISE(ABORT, 'the appraisal period is locked'); END;"
        )
    return statements


def _sqlite_names():
    names = [
        f"{table}_locked_{op}_{row}"
        for table in GUARDED
        for op, row in [("insert", "new"), ("update", "old"), ("update", "new"), ("delete", "old")]
    ]
    return names + ["efficiency_period_locked_update", "efficiency_period_locked_delete"]


SQLITE = _sqlite()
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {name};" for name in _sqlite_names()]

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION efficiency_period_guard() RETURNS trigger AS $$
    DECLARE st text;
    BEGIN
      IF TG_TABLE_NAME = 'efficiency_period' THEN
        IF OLD.state = 'locked' THEN
          RAISE EXCEPTION 'the appraisal period is locked';
        END IF;
      ELSE
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          SELECT state INTO st FROM efficiency_period WHERE id = OLD.period_id;
          IF st = 'locked' THEN RAISE EXCEPTION 'the appraisal period is locked'; END IF;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          SELECT state INTO st FROM efficiency_period WHERE id = NEW.period_id;
          IF st = 'locked' THEN RAISE EXCEPTION 'the appraisal period is locked'; END IF;
        END IF;
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    *[
        f"CREATE TRIGGER {table}_locked BEFORE INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION efficiency_period_guard();"
        for table in GUARDED
    ],
    "CREATE TRIGGER efficiency_period_locked BEFORE UPDATE OR DELETE ON efficiency_period "
    "FOR EACH ROW EXECUTE FUNCTION efficiency_period_guard();",
]
POSTGRESQL_REVERSE = [
    *[f"DROP TRIGGER IF EXISTS {table}_locked ON {table};" for table in GUARDED],
    "DROP TRIGGER IF EXISTS efficiency_period_locked ON efficiency_period;",
    "DROP FUNCTION IF EXISTS efficiency_period_guard();",
]
