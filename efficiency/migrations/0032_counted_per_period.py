"""The marks counted per period, and the incidents that cannot change a result left out.

A mark bumps its period's counter, not the one change counter (_marks_counter.py); a new
incident not yet established, and its responsible rows, bump nothing (_incident_counter.py).
A closed quarter's ranking is then reused while the assessors mark the open one and the
clerks record incidents.
"""

from django.db import migrations

from efficiency.migrations import _incident_counter as incidents
from efficiency.migrations import _marks_counter as marks
from efficiency.migrations._audit_triggers import by_vendor

SQLITE = marks.SQLITE + incidents.SQLITE
SQLITE_REVERSE = incidents.SQLITE_REVERSE + marks.SQLITE_REVERSE
POSTGRESQL = marks.POSTGRESQL + incidents.POSTGRESQL
POSTGRESQL_REVERSE = incidents.POSTGRESQL_REVERSE + marks.POSTGRESQL_REVERSE


class Migration(migrations.Migration):
    dependencies = [
        ("efficiency", "0031_staff_post_since_annual_summary"),
    ]

    operations = [
        migrations.RunPython(
            by_vendor({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            by_vendor({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
