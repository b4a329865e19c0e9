# Quota pools (名额): the administrator's pools, and the scheme each period froze when it opened.
# Period.pools is nullable without a default so that SQLite adds the column in place: rebuilding
# efficiency_period would drop its lock triggers. Periods opened before keep None (one pool, as
# they were graded). Two default pools are created, one per staff category, as DOMAIN.md says.

import django.core.validators
from decimal import Decimal
from django.db import migrations, models


DEFAULT_POOLS = [("公务员/参公", 10, "civil_servant"), ("事业编", 20, "institution")]


def create_default_pools(apps, schema_editor):
    QuotaPool = apps.get_model("efficiency", "QuotaPool")
    for name, order, category in DEFAULT_POOLS:
        QuotaPool.objects.get_or_create(name=name, defaults={"order": order, "category": category})


class Migration(migrations.Migration):
    dependencies = [
        ("efficiency", "0019_standing"),
    ]

    operations = [
        migrations.AddField(
            model_name="period",
            name="pools",
            field=models.JSONField(
                blank=True, editable=False, null=True, verbose_name="quota pools"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Created"),
                    ("correct", "Corrected"),
                    ("change", "Changed"),
                    ("explain", "Explanation written"),
                    ("verify", "Verified"),
                    ("dismiss", "Dismissed"),
                    ("handle", "Handling decision recorded"),
                    ("appeal", "Appeal filed"),
                    ("appeal_uphold", "Appeal upheld"),
                    ("appeal_reject", "Appeal rejected"),
                    ("appeal_lighten", "Appeal upheld in part: handling lightened"),
                    ("period_open", "Period opened"),
                    ("period_close", "Period closed"),
                    ("period_reopen", "Period reopened"),
                    ("period_lock", "Period locked"),
                    ("period_withdraw", "Opening withdrawn"),
                    ("score", "Mark given"),
                    ("override", "Grade overridden"),
                    ("review_propose", "Grade proposed"),
                    ("review_decide", "Grade decided"),
                    ("remind", "Reminder sent"),
                    ("objection_lodge", "Objection lodged"),
                    ("objection_answer", "Objection answered"),
                    ("feedback", "Feedback recorded"),
                    ("pool_members", "Pool membership changed"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.CreateModel(
            name="QuotaPool",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=40, unique=True, verbose_name="pool")),
                (
                    "order",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="The first matching pool in order wins.",
                        verbose_name="display order",
                    ),
                ),
                (
                    "good_percent",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="Blank: the share in the appraisal rules.",
                        max_digits=5,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("100")),
                        ],
                        verbose_name="share of 好 (%)",
                    ),
                ),
                (
                    "excellent_percent",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="Blank: the share in the appraisal rules.",
                        max_digits=5,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("100")),
                        ],
                        verbose_name="share of 优秀 (%)",
                    ),
                ),
                (
                    "rounding",
                    models.CharField(
                        choices=[
                            ("down", "round down"),
                            ("nearest", "round to nearest (half up)"),
                            ("up", "round up"),
                        ],
                        default="down",
                        max_length=10,
                        verbose_name="rounding",
                    ),
                ),
                (
                    "minimum",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="1 keeps a small pool from having no place; never more than people graded.",
                        verbose_name="minimum places",
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("civil_servant", "civil servant"),
                            ("institution", "public institution staff"),
                        ],
                        help_text="Blank: any category.",
                        max_length=20,
                        verbose_name="staff category",
                    ),
                ),
                ("active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "members",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Named people belong here whatever their category or section.",
                        related_name="+",
                        to="efficiency.staff",
                        verbose_name="people named",
                    ),
                ),
                (
                    "sections",
                    models.ManyToManyField(
                        blank=True,
                        help_text="None: any section. A pool with no category and no section takes only the people named below.",
                        related_name="+",
                        to="efficiency.section",
                        verbose_name="sections",
                    ),
                ),
            ],
            options={
                "verbose_name": "quota pool",
                "verbose_name_plural": "quota pools",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.RunPython(create_default_pools, migrations.RunPython.noop),
    ]
