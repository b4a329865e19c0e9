# 审核评鉴: the section head's proposal and the leader's decision, one row per period and person.
# Every grade override becomes a decision (same grade, reason, leader and time). The override
# table stays, no longer read or written: its locked-period triggers (both engines) and the flush
# command name it, and dropping it is left for a later, separate migration. A locked period's
# decisions are frozen by database triggers like its marks.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from efficiency.migrations import _review_triggers as triggers


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


def overrides_to_decisions(apps, schema_editor):
    """Each override becomes a decision. The computed grade cannot be worked out from the
    historical models of a migration, so the proposal is the override's grade."""
    GradeOverride = apps.get_model("efficiency", "GradeOverride")
    GradeReview = apps.get_model("efficiency", "GradeReview")
    for override in GradeOverride.objects.order_by("pk"):
        GradeReview.objects.update_or_create(
            period_id=override.period_id,
            staff_id=override.staff_id,
            defaults={
                "proposed_grade": override.grade,
                "grade": override.grade,
                "reason": override.reason,
                "decided_by_id": override.decided_by_id,
                "decided_at": override.decided_at,
            },
        )


def decisions_to_overrides(apps, schema_editor):
    """Backwards: the decisions that changed a grade (they carry a reason) become overrides."""
    GradeOverride = apps.get_model("efficiency", "GradeOverride")
    GradeReview = apps.get_model("efficiency", "GradeReview")
    reviews = GradeReview.objects.exclude(grade="").exclude(reason="")
    for review in reviews.exclude(decided_by=None):
        GradeOverride.objects.update_or_create(
            period_id=review.period_id,
            staff_id=review.staff_id,
            defaults={
                "grade": review.grade,
                "reason": review.reason,
                "decided_by_id": review.decided_by_id,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("efficiency", "0013_enter_marks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
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
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.CreateModel(
            name="GradeReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "comment",
                    models.TextField(blank=True, max_length=300, verbose_name="evaluation comment"),
                ),
                (
                    "proposed_grade",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("good", "好"),
                            ("fairly_good", "较好"),
                            ("average", "一般"),
                            ("poor", "较差"),
                        ],
                        max_length=20,
                        verbose_name="proposed grade",
                    ),
                ),
                (
                    "proposal_reason",
                    models.TextField(blank=True, verbose_name="reason for the proposal"),
                ),
                (
                    "proposed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="proposed at"),
                ),
                (
                    "grade",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("good", "好"),
                            ("fairly_good", "较好"),
                            ("average", "一般"),
                            ("poor", "较差"),
                        ],
                        max_length=20,
                        verbose_name="decided grade",
                    ),
                ),
                ("reason", models.TextField(blank=True, verbose_name="reason for the decision")),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reviews",
                        to="efficiency.period",
                        verbose_name="period",
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="proposed by",
                    ),
                ),
                (
                    "staff",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="grade_reviews",
                        to="efficiency.staff",
                        verbose_name="staff member",
                    ),
                ),
            ],
            options={
                "verbose_name": "grade review",
                "verbose_name_plural": "grade reviews",
                "constraints": [
                    models.UniqueConstraint(fields=("period", "staff"), name="unique_grade_review")
                ],
            },
        ),
        # Copied before the triggers exist: a locked period's overrides become decisions too.
        migrations.RunPython(overrides_to_decisions, decisions_to_overrides),
        migrations.RunPython(
            run({"sqlite": triggers.SQLITE, "postgresql": triggers.POSTGRESQL}),
            run({"sqlite": triggers.SQLITE_REVERSE, "postgresql": triggers.POSTGRESQL_REVERSE}),
        ),
    ]
