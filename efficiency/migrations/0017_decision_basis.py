# The computed grade at the time of each decision (审核评鉴), so that a decision without a reason
# can be seen to go stale when marks later move the computed grade.
#
# Backfill: a decision without a reason was only allowed when it equalled the computed grade, so
# its own grade is the computed grade it was made on. Decisions with a reason stand on it and
# stay blank. Locked periods are left blank: their triggers refuse the update, and their marks
# never move again. On SQLite adding a column rebuilds the table, which drops its triggers, so
# they are removed first and made again afterwards.

from django.db import migrations, models
from django.db.models import F

from efficiency.migrations import _review_triggers as triggers


def backfill(apps, schema_editor):
    GradeReview = apps.get_model("efficiency", "GradeReview")
    GradeReview.objects.exclude(grade="").filter(reason="").exclude(period__state="locked").update(
        computed_at_decision=F("grade")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("efficiency", "0016_publicity_feedback"),
    ]

    operations = [
        migrations.RunPython(triggers.drop_on_sqlite, triggers.create_on_sqlite),
        migrations.AddField(
            model_name="gradereview",
            name="computed_at_decision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("good", "好"),
                    ("fairly_good", "较好"),
                    ("average", "一般"),
                    ("poor", "较差"),
                ],
                max_length=20,
                verbose_name="computed grade when decided",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(triggers.create_on_sqlite, triggers.drop_on_sqlite),
    ]
