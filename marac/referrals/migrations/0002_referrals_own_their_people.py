"""Give every referral its own Victim and Perpetrator rows.

Before this, a repeat referral pointed at its case's stored Victim row and an accepted
referral's rows became its case's rows, so a referring agency kept reading the case's
victim record, and every later change to it, through `GET /referrals/{id}/`. Each
referral whose row is also a case's row now gets a row of its own; the case keeps its
row, so nothing on the case side changes.

What a repeat's referrer submitted about the victim was never stored (the case's row
was used instead), so its copy holds only the identity it was matched on (names and
date of birth, gender not known) and nothing of the case's record. Every other copy is
exactly the row: the victim a new referral submitted, or a referral's own perpetrator.
"""

from django.db import migrations

BATCH = 500


def _split(Referral, Person, field, case_people, copy_for):
    """Point each referral whose FIELD row is a case's row at a new copy, BATCH at a time
    (a referral moved to its copy no longer matches, so each pass takes the next ones)."""
    shared = Referral.objects.filter(**{f"{field}_id__in": case_people}).select_related(field).order_by("pk")
    while batch := list(shared[:BATCH]):
        copies = [copy_for(referral, getattr(referral, field)) for referral in batch]
        for referral, person in zip(batch, copies):
            person.save()
            setattr(referral, field, person)
        Referral.objects.bulk_update(batch, [field])


def _details(person) -> dict:
    return {f.attname: getattr(person, f.attname) for f in person._meta.concrete_fields if not f.primary_key}


def split_shared_people(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Victim = apps.get_model("cases", "Victim")
    Perpetrator = apps.get_model("cases", "Perpetrator")
    Referral = apps.get_model("referrals", "Referral")

    def victim_copy(referral, victim):
        if referral.is_repeat:
            return Victim(first_name=victim.first_name, last_name=victim.last_name,
                          date_of_birth=victim.date_of_birth, gender="not_known")
        return Victim(**_details(victim))

    _split(Referral, Victim, "victim", Case.objects.values("victim_id"), victim_copy)
    _split(Referral, Perpetrator, "perpetrator", Case.objects.values("perpetrator_id"),
           lambda referral, perpetrator: Perpetrator(**_details(perpetrator)))


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0002_group_grant_count"),
        ("referrals", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(split_shared_people, migrations.RunPython.noop, elidable=True),
    ]
