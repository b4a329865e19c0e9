"""SQL of the triggers that freeze the grade reviews (审核评鉴) of a locked period.

The same rule as :mod:`._period_triggers` for marks, on the table that came later; on
PostgreSQL it reuses that module's guard function.
"""

from ._period_triggers import LOCKED

TABLE = "efficiency_gradereview"
EVENTS = [("INSERT", "NEW"), ("UPDATE", "OLD"), ("UPDATE", "NEW"), ("DELETE", "OLD")]

SQLITE = [
    f"CREATE TRIGGER {TABLE}_locked_{op.lower()}_{row.lower()} BEFORE {op} ON {TABLE} "
    f"WHEN {LOCKED.format(row=row)} "
    "BEGIN SELECT RAISE(ABORT, 'the appraisal period is locked'); END;"
    for op, row in EVENTS
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_locked_{op.lower()}_{row.lower()};" for op, row in EVENTS
]

POSTGRESQL = [
    f"CREATE TRIGGER {TABLE}_locked BEFORE INSERT OR UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION efficiency_period_guard();"
]
POSTGRESQL_REVERSE = [f"DROP TRIGGER IF EXISTS {TABLE}_locked ON {TABLE};"]


def _run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


# For a migration that rebuilds the table on SQLite (adding a column does), which drops its
# triggers: drop them first (so that both directions agree) and make them again after.
drop_on_sqlite = _run({"sqlite": SQLITE_REVERSE})
create_on_sqlite = _run({"sqlite": SQLITE})
