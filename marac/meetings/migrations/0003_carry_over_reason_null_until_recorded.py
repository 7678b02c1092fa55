from django.db import migrations, models


def blank_reason_to_null(apps, schema_editor):
    """A carry-over not yet explained had reason "": it is NULL now."""
    apps.get_model("meetings", "ActionCarryOver").objects.filter(reason="").update(reason=None)


def null_reason_to_blank(apps, schema_editor):
    apps.get_model("meetings", "ActionCarryOver").objects.filter(reason=None).update(reason="")


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0002_actions_minutes_packs"),
    ]

    operations = [
        migrations.AlterField(
            model_name="actioncarryover",
            name="reason",
            field=models.CharField(blank=True, choices=[("circumstances_changed", "Circumstances Changed"),
                                                        ("agency_did_not_act", "Agency Did Not Act")],
                                   max_length=32, null=True),
        ),
        migrations.RunPython(blank_reason_to_null, null_reason_to_blank),
    ]
