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
