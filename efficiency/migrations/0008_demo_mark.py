from django.db import migrations, models

# The demo's accounts, as load_demo creates them: a database that has them all was filled by
# load_demo before the mark existed, and gets its band too.
DEMO_USERNAMES = ["clerk", "clerk2", "head", "supervisor", "assessor", "leader", "admin"]


def mark_existing_demo(apps, schema_editor):
    User = apps.get_model("auth", "User")
    DemoMark = apps.get_model("efficiency", "DemoMark")
    if User.objects.filter(username__in=DEMO_USERNAMES).count() == len(DEMO_USERNAMES):
        DemoMark.objects.create()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("efficiency", "0007_decisions"),
    ]

    operations = [
        migrations.CreateModel(
            name="DemoMark",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("loaded_at", models.DateTimeField(auto_now_add=True, verbose_name="loaded at")),
            ],
            options={
                "verbose_name": "demo data mark",
                "verbose_name_plural": "demo data marks",
            },
        ),
        migrations.RunPython(mark_existing_demo, migrations.RunPython.noop),
    ]
