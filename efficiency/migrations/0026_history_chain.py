"""Chain the history: each entry's hash covers its content and the previous entry's hash.

Existing entries are chained here in id order. The append-only triggers are lifted for the
migration's own duration (the hashes are written into existing rows) and put back at the end.
"""

import django.utils.timezone
from django.db import migrations, models

from efficiency import chain
from efficiency.migrations._audit_triggers import (
    POSTGRESQL,
    POSTGRESQL_REVERSE,
    SQLITE,
    SQLITE_REVERSE,
    by_vendor,
)


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("efficiency", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ChainHead = apps.get_model("efficiency", "ChainHead")
    labels = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}
    previous = chain.GENESIS
    count = 0
    last_id = None
    updates = []
    fields = [
        "pk", "at", "actor_id", "content_type_id", "object_id", "object_repr", "action",
        "from_status", "to_status", "reason", "changes",
    ]  # fmt: skip
    rows = AuditEvent.objects.order_by("pk").values_list(*fields).iterator(chunk_size=5000)
    for pk, at, actor, ct, oid, orepr, action, from_s, to_s, reason, changes in rows:
        entry = chain.Entry(
            pk, at, actor, labels[ct], oid, orepr, action, from_s, to_s, reason, changes
        )
        own = chain.entry_hash(previous, entry)
        updates.append((previous, own, pk))
        previous, count, last_id = own, count + 1, pk
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE efficiency_auditevent SET prev_hash = %s, entry_hash = %s WHERE id = %s",
            updates,
        )
    ChainHead.objects.create(
        pk=1, count=count, last_id=last_id, head_hash=previous if count else ""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("efficiency", "0025_stored_results"),
    ]

    operations = [
        migrations.RunPython(
            by_vendor({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
            by_vendor({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
        ),
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("count", models.PositiveBigIntegerField(default=0, verbose_name="entries")),
                (
                    "last_id",
                    models.BigIntegerField(blank=True, null=True, verbose_name="last entry"),
                ),
                (
                    "head_hash",
                    models.CharField(blank=True, max_length=64, verbose_name="head hash"),
                ),
            ],
            options={
                "verbose_name": "history chain head",
                "verbose_name_plural": "history chain head",
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="entry_hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="entry hash"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="previous entry's hash"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="when",
            ),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(
            by_vendor({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            by_vendor({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
