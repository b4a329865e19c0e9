"""Django's flush, which also empties the append-only history.

The triggers that guard the history and locked periods refuse DELETE on SQLite
(PostgreSQL's flush uses TRUNCATE, which they do not cover), so a deliberate wipe of the
whole database lifts them for its own duration only.
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from efficiency.migrations import _audit_triggers, _period_triggers, _review_triggers

TRIGGER_SETS = [_audit_triggers, _period_triggers, _review_triggers]


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with connection.cursor() as cursor:
            for triggers in TRIGGER_SETS:
                for statement in triggers.SQLITE_REVERSE:
                    cursor.execute(statement)
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for triggers in TRIGGER_SETS:
                    for statement in triggers.SQLITE:
                        cursor.execute(statement)
