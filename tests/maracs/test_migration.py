"""Migration to MARACs: existing data lands in one MARAC named by MARAC_NAME, and the
coordinators and chairs of the time serve it (maracs.0002)."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

BEFORE = [("maracs", "0001_initial"), ("agencies", "0004_membership_maracs"), ("cases", "0005_case_marac"),
          ("meetings", "0005_meeting_marac"), ("referrals", "0004_referral_marac_and_previous_marac")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
@override_settings(MARAC_NAME="Westshire MARAC")
def test_existing_data_lands_in_one_marac_named_by_the_setting_and_coordinators_and_chairs_serve_it():
    old = _migrate(BEFORE)
    Group, User = old.get_model("auth", "Group"), old.get_model("auth", "User")
    Agency, Membership = old.get_model("agencies", "Agency"), old.get_model("agencies", "Membership")
    Victim, Perpetrator = old.get_model("cases", "Victim"), old.get_model("cases", "Perpetrator")
    Case, Meeting = old.get_model("cases", "Case"), old.get_model("meetings", "Meeting")
    Referral = old.get_model("referrals", "Referral")
    agency = Agency.objects.create(name="Police", kind="police", group=Group.objects.create(name="agency:Police"))
    members = {role: Membership.objects.create(user=User.objects.create(username=role), agency=agency, role=role)
               for role in ("coordinator", "chair", "practitioner")}
    case = Case.objects.create(reference="MARAC-2026-000001", victim=Victim.objects.create(
        first_name="Jane", last_name="Doe", date_of_birth="1988-03-04"),
        perpetrator=Perpetrator.objects.create(first_name="John"))
    meeting = Meeting.objects.create(date="2026-01-15", chair=members["chair"].user,
                                     created_by=members["coordinator"].user)
    referral = Referral.objects.create(
        referring_agency=agency, referred_by=members["practitioner"].user, victim=case.victim,
        perpetrator=case.perpetrator, reason="visible_high_risk", checklist_tool="dash", checklist_answers={},
        risk_score=15, case=case, status="accepted")

    new = _migrate(_latest())

    Marac = new.get_model("maracs", "Marac")
    marac = Marac.objects.get()
    assert (marac.name, marac.is_active) == ("Westshire MARAC", True)
    for model, pk in ((("cases", "Case"), case.pk), (("meetings", "Meeting"), meeting.pk),
                      (("referrals", "Referral"), referral.pk)):
        assert new.get_model(*model).objects.get(pk=pk).marac_id == marac.pk
    served = new.get_model("agencies", "Membership").objects.filter(maracs=marac)
    assert set(served.values_list("role", flat=True)) == {"coordinator", "chair"}


@pytest.mark.django_db
def test_a_database_with_nothing_to_place_gets_no_marac_from_the_migration():
    from django.apps import apps

    importlib.import_module("marac.maracs.migrations.0002_existing_data_lands_in_one_marac").place_existing_data(
        apps, None)
    assert not apps.get_model("maracs", "Marac").objects.exists()
