"""Existing data lands in one MARAC, named by the `MARAC_NAME` setting: every referral,
case and meeting belongs to it, and every coordinator and chair serves it. A database
with nothing to place (a new deployment) gets no MARAC here: the first one needed is
recorded then (marac.maracs.services.default_marac)."""

from django.conf import settings
from django.db import migrations

SERVING_ROLES = ("coordinator", "chair")


def place_existing_data(apps, schema_editor):
    Marac = apps.get_model("maracs", "Marac")
    Membership = apps.get_model("agencies", "Membership")
    unplaced = [apps.get_model(app, model).objects.filter(marac__isnull=True)
                for app, model in (("referrals", "Referral"), ("cases", "Case"), ("meetings", "Meeting"))]
    serving = Membership.objects.filter(role__in=SERVING_ROLES)
    if not any(rows.exists() for rows in unplaced) and not serving.exists():
        return
    marac, _ = Marac.objects.get_or_create(name=settings.MARAC_NAME)
    for rows in unplaced:
        rows.update(marac=marac)
    Membership.maracs.through.objects.bulk_create(
        [Membership.maracs.through(membership_id=pk, marac_id=marac.pk)
         for pk in serving.exclude(maracs=marac).values_list("pk", flat=True)], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("maracs", "0001_initial"),
        ("agencies", "0004_membership_maracs"),
        ("cases", "0005_case_marac"),
        ("meetings", "0005_meeting_marac"),
        ("referrals", "0004_referral_marac_and_previous_marac"),
    ]

    operations = [migrations.RunPython(place_existing_data, migrations.RunPython.noop)]
