"""A locked period is frozen in the database itself; the default scheme of DOMAIN.md."""

from decimal import Decimal

from django.db import migrations

from efficiency.migrations import _period_triggers as triggers

DEFAULT_CRITERIA = [
    ("duty", "履行职责", Decimal(40), 10),
    ("performance", "工作绩效", Decimal(40), 20),
    ("service", "服务质量", Decimal(20), 30),
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


def add_default_criteria(apps, schema_editor):
    Criterion = apps.get_model("efficiency", "Criterion")
    for code, name, weight, order in DEFAULT_CRITERIA:
        Criterion.objects.get_or_create(
            code=code, defaults={"name": name, "weight": weight, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("efficiency", "0003_appraisal")]

    operations = [
        migrations.RunPython(
            run({"sqlite": triggers.SQLITE, "postgresql": triggers.POSTGRESQL}),
            run({"sqlite": triggers.SQLITE_REVERSE, "postgresql": triggers.POSTGRESQL_REVERSE}),
        ),
        migrations.RunPython(add_default_criteria, migrations.RunPython.noop),
    ]
