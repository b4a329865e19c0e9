"""The change counter: triggers on every table a period's results are computed from.

See efficiency/migrations/_counter_triggers.py. A kept ranking is reused while the counter
reads the same, one tiny query instead of re-reading everyone's facts and summing the marks.
"""

from django.db import migrations

from efficiency.migrations._audit_triggers import by_vendor
from efficiency.migrations._counter_triggers import (
    POSTGRESQL,
    POSTGRESQL_REVERSE,
    SQLITE,
    SQLITE_REVERSE,
)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("efficiency", "0029_incident_source_attachments"),
    ]

    operations = [
        migrations.RunPython(
            by_vendor({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            by_vendor({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
