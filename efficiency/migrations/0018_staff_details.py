# Staff details (性别, 出生年月, 政治面貌, 职级, 从事或分管工作) and the staff category (人员类别),
# which names the annual grades. Staff has no triggers, so the SQLite table rebuild is harmless.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("efficiency", "0017_decision_basis"),
    ]

    operations = [
        migrations.AddField(
            model_name="staff",
            name="birth_date",
            field=models.DateField(
                blank=True,
                help_text="Only the year and month are printed (1985年3月).",
                null=True,
                verbose_name="date of birth",
            ),
        ),
        migrations.AddField(
            model_name="staff",
            name="category",
            field=models.CharField(
                choices=[
                    ("civil_servant", "civil servant"),
                    ("institution", "public institution staff"),
                ],
                default="civil_servant",
                help_text="事业编 staff's annual grades read 优秀, 合格, 基本合格, 不合格.",
                max_length=20,
                verbose_name="staff category",
            ),
        ),
        migrations.AddField(
            model_name="staff",
            name="duties",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="work done or overseen"
            ),
        ),
        migrations.AddField(
            model_name="staff",
            name="gender",
            field=models.CharField(
                blank=True,
                choices=[("male", "male"), ("female", "female")],
                max_length=10,
                verbose_name="gender",
            ),
        ),
        migrations.AddField(
            model_name="staff",
            name="political_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("cpc_member", "CPC member"),
                    ("cpc_probationary", "CPC probationary member"),
                    ("cyl_member", "Communist Youth League member"),
                    ("democratic_party", "democratic party member"),
                    ("non_partisan", "non-partisan"),
                    ("masses", "ordinary citizen"),
                ],
                max_length=20,
                verbose_name="political status",
            ),
        ),
        migrations.AddField(
            model_name="staff",
            name="rank",
            field=models.CharField(
                blank=True,
                help_text="e.g. 一级科员, 四级主任科员.",
                max_length=30,
                verbose_name="rank",
            ),
        ),
    ]
