"""People and repeats: victims' match keys and aliases, a case's further perpetrators,
the victim's history of details, and repeat flags ("flag and tag").

Existing data: every victim gets its `name_key`; and an accepted referral whose
perpetrator is not the case's (a repeat naming another person, whose account the case
did not keep) gives the case a copy of that person as a further perpetrator.
"""

import unicodedata

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


BATCH = 500


def _normalise(text):
    # marac.cases.identity.normalise_name as of this migration.
    decomposed = unicodedata.normalize("NFKD", text or "")
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _same_person(a, b):
    # marac.cases.identity.same_person as of this migration.
    return (_normalise(f"{a.first_name} {a.last_name}") == _normalise(f"{b.first_name} {b.last_name}")
            and (a.date_of_birth is None or b.date_of_birth is None or a.date_of_birth == b.date_of_birth))


def backfill(apps, schema_editor):
    Victim = apps.get_model("cases", "Victim")
    Perpetrator = apps.get_model("cases", "Perpetrator")
    Case = apps.get_model("cases", "Case")
    CasePerpetrator = apps.get_model("cases", "CasePerpetrator")
    Referral = apps.get_model("referrals", "Referral")

    last = 0
    while batch := list(Victim.objects.filter(pk__gt=last).order_by("pk")[:BATCH]):
        for victim in batch:
            victim.name_key = _normalise(f"{victim.first_name} {victim.last_name}")
        Victim.objects.bulk_update(batch, ["name_key"])
        last = batch[-1].pk

    accepted = (Referral.objects.filter(status="accepted", case__isnull=False)
                .exclude(perpetrator_id=django.db.models.F("case__perpetrator_id"))
                .select_related("perpetrator", "case__perpetrator").order_by("created_at", "pk"))
    known: dict[int, list] = {}
    for referral in accepted.iterator(chunk_size=BATCH):
        case = referral.case
        if case.pk not in known:
            known[case.pk] = [case.perpetrator, *(
                link.perpetrator for link in CasePerpetrator.objects.filter(case=case).select_related("perpetrator"))]
        person = referral.perpetrator
        if any(_same_person(person, other) for other in known[case.pk]):
            continue
        copy = Perpetrator.objects.create(first_name=person.first_name, last_name=person.last_name,
                                          date_of_birth=person.date_of_birth, relationship=person.relationship)
        CasePerpetrator.objects.create(case=case, perpetrator=copy, referral=referral, added_by=referral.triaged_by)
        known[case.pk].append(copy)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_group_grant_count'),
        ('meetings', '0001_initial'),
        ('referrals', '0003_duplicates_and_link_decisions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CasePerpetrator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('added_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['added_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='RepeatFlag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField()),
                ('last_referred_at', models.DateTimeField()),
                ('flagged_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['-flagged_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='VictimAlias',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=200)),
            ],
        ),
        migrations.CreateModel(
            name='VictimDetailChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(max_length=32)),
                ('old_value', models.JSONField(null=True)),
                ('new_value', models.JSONField(null=True)),
                ('shown_on_case', models.BooleanField()),
                ('recorded_at', models.DateTimeField()),
            ],
            options={
                'ordering': ['recorded_at', 'id'],
            },
        ),
        migrations.AddField(
            model_name='victim',
            name='aliases',
            field=models.JSONField(blank=True, default=list, help_text='Other names the victim is known by.'),
        ),
        migrations.AddField(
            model_name='victim',
            name='name_key',
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AddIndex(
            model_name='victim',
            index=models.Index(fields=['date_of_birth', 'name_key'], name='victim_match_idx'),
        ),
        migrations.AddField(
            model_name='caseperpetrator',
            name='added_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='caseperpetrator',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='perpetrator_links', to='cases.case'),
        ),
        migrations.AddField(
            model_name='caseperpetrator',
            name='perpetrator',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.perpetrator'),
        ),
        migrations.AddField(
            model_name='caseperpetrator',
            name='referral',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='referrals.referral'),
        ),
        migrations.AddField(
            model_name='case',
            name='further_perpetrators',
            field=models.ManyToManyField(related_name='+', through='cases.CasePerpetrator', to='cases.perpetrator'),
        ),
        migrations.AddField(
            model_name='repeatflag',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='repeat_flags', to='cases.case'),
        ),
        migrations.AddField(
            model_name='repeatflag',
            name='incident',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.incident'),
        ),
        migrations.AddField(
            model_name='repeatflag',
            name='listed_on',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='repeat_flags', to='meetings.agendaitem'),
        ),
        migrations.AddField(
            model_name='victimalias',
            name='victim',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='alias_keys', to='cases.victim'),
        ),
        migrations.AddField(
            model_name='victimdetailchange',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='victim_history', to='cases.case'),
        ),
        migrations.AddField(
            model_name='victimdetailchange',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='victimdetailchange',
            name='referral',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='referrals.referral'),
        ),
        migrations.AddConstraint(
            model_name='caseperpetrator',
            constraint=models.UniqueConstraint(fields=('case', 'perpetrator'), name='case_perpetrator_once'),
        ),
        migrations.AddConstraint(
            model_name='repeatflag',
            constraint=models.UniqueConstraint(condition=models.Q(('listed_on__isnull', True)), fields=('case',), name='one_pending_repeat_flag_per_case'),
        ),
        migrations.AddIndex(
            model_name='victimalias',
            index=models.Index(fields=['key'], name='victim_alias_key_idx'),
        ),
        migrations.AddIndex(
            model_name='victimdetailchange',
            index=models.Index(fields=['case', 'recorded_at'], name='victim_history_case_idx'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
