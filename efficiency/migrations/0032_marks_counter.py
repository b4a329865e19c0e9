"""The marks counted per period: a mark bumps its period's counter, not the one change counter.

See efficiency/migrations/_marks_counter.py. A closed quarter's ranking is then reused while
the assessors mark the open one.
"""

from django.db import migrations

from efficiency.migrations._audit_triggers import by_vendor
from efficiency.migrations._marks_counter import (
    POSTGRESQL,
    POSTGRESQL_REVERSE,
    SQLITE,
    SQLITE_REVERSE,
)


class Migration(migrations.Migration):
    dependencies = [
        ("efficiency", "0030_change_counter"),
    ]

    operations = [
        migrations.RunPython(
            by_vendor({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            by_vendor({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
