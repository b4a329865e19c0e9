# The administrator types in marks handed in on paper (代为录入评分).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("efficiency", "0012_summaries"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="score",
            options={
                "permissions": [
                    ("enter_marks_for_others", "Can enter marks on behalf of assessors")
                ],
                "verbose_name": "score",
                "verbose_name_plural": "scores",
            },
        ),
    ]
