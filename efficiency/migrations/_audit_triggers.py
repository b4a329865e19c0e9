"""SQL of the append-only triggers, shared by the migration and the flush command."""

SQLITE = [
    """
    CREATE TRIGGER efficiency_auditevent_no_update BEFORE UPDATE ON efficiency_auditevent
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
    """,
    """
    CREATE TRIGGER efficiency_auditevent_no_delete BEFORE DELETE ON efficiency_auditevent
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS efficiency_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS efficiency_auditevent_no_delete;",
]
POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION efficiency_auditevent_refuse() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'history is append-only'; END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER efficiency_auditevent_append_only
    BEFORE UPDATE OR DELETE ON efficiency_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION efficiency_auditevent_refuse();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS efficiency_auditevent_append_only ON efficiency_auditevent;",
    "DROP FUNCTION IF EXISTS efficiency_auditevent_refuse();",
]


def by_vendor(statements_by_vendor):
    """A RunPython function executing the statements listed for the connection's vendor."""

    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply
