"""A repeat loses nothing (issue 11): accepting a repeat makes the submitted victim
details the case's current ones while the earlier values stay in the victim's history
(who wrote what, from which referral, when), and a perpetrator the case does not have
yet is added, never written over the one it has."""

import importlib

import pytest
from django.apps import apps as django_apps

from marac.cases.models import Case, CasePerpetrator, Perpetrator, Victim, VictimDetailChange
from marac.cases.participants import add_participant
from marac.referrals.models import Referral
from marac.referrals.services import accept_referral
from tests.factories import make_agency, make_referral, make_user

pytestmark = pytest.mark.django_db

FIRST_VICTIM = {"first_name": "Jane", "last_name": "Doe", "date_of_birth": "1988-03-04", "gender": "female",
                "postcode": "SE1 9ZZ", "safe_contact": "Only through her sister, weekday mornings.",
                "ethnicity": "White and Black Caribbean"}
REPEAT_VICTIM = {"first_name": "Jane", "last_name": "Doe", "date_of_birth": "1988-03-04", "gender": "female",
                 "postcode": "NS1 1AA", "safe_contact": "Mobile after 6pm; never the landline."}
FIRST_PERPETRATOR = {"first_name": "John", "last_name": "Roe", "date_of_birth": "1985-07-09",
                     "relationship": "ex_partner"}
NEW_PERPETRATOR = {"first_name": "Mark", "last_name": "Stone", "date_of_birth": "1980-05-06",
                   "relationship": "partner"}


@pytest.fixture
def coordinator():
    return make_user(make_agency("marac_coordination"), "coordinator")


@pytest.fixture
def advocate():
    return make_user(make_agency("advocacy"))


@pytest.fixture
def housing_officer():
    return make_user(make_agency("housing"))


@pytest.fixture
def first(advocate, coordinator):
    """Jane Doe's case, opened from the advocate's referral."""
    return accept_referral(make_referral(user=advocate, victim=dict(FIRST_VICTIM),
                                         perpetrator=dict(FIRST_PERPETRATOR)), by=coordinator)


def accept_repeat(api, coordinator, referrer, **overrides):
    repeat = make_referral(user=referrer, victim=dict(REPEAT_VICTIM), **overrides)
    response = api(coordinator).post(f"/api/v1/referrals/{repeat.pk}/accept/", {}, format="json")
    assert response.status_code == 200, response.json()
    return repeat


def history(api, user, case):
    response = api(user).get(f"/api/v1/cases/{case.pk}/victim-history/")
    assert response.status_code == 200, response.json()
    return [(row["field"], row["old_value"], row["new_value"], row["recorded_by"], row["referral"])
            for row in response.json()["results"]]


def test_accepting_a_repeat_makes_the_submitted_details_current_and_keeps_the_earlier_ones(
        api, first, coordinator, advocate, housing_officer):
    repeat = accept_repeat(api, coordinator, housing_officer)

    victim = Victim.objects.get(pk=first.case.victim_id)
    assert (victim.postcode, victim.safe_contact) == (REPEAT_VICTIM["postcode"], REPEAT_VICTIM["safe_contact"])
    assert victim.ethnicity == FIRST_VICTIM["ethnicity"]  # not given again: kept
    rows = history(api, coordinator, first.case)
    # Who wrote each value, from which referral: the first referral's, then the repeat's.
    assert ("postcode", None, "SE1 9ZZ", advocate.pk, first.pk) in rows
    assert ("safe_contact", None, FIRST_VICTIM["safe_contact"], advocate.pk, first.pk) in rows
    assert ("postcode", "SE1 9ZZ", "NS1 1AA", housing_officer.pk, repeat.pk) in rows
    assert ("safe_contact", FIRST_VICTIM["safe_contact"], REPEAT_VICTIM["safe_contact"], housing_officer.pk,
            repeat.pk) in rows
    assert not any(field == "ethnicity" and referral == repeat.pk for field, _, _, _, referral in rows)
    recorded = list(VictimDetailChange.objects.filter(case=first.case, field="postcode").order_by("recorded_at", "id")
                    .values_list("recorded_at", flat=True))
    assert len(recorded) == 2 and recorded[0] <= recorded[1]


def test_participants_see_the_history_of_the_fields_the_case_shows_them_only(
        api, first, coordinator, housing_officer):
    accept_repeat(api, coordinator, housing_officer)
    assert {field for field, *_ in history(api, housing_officer, first.case)} == {
        "first_name", "last_name", "date_of_birth", "gender", "postcode"}
    assert {"safe_contact", "ethnicity"} <= {field for field, *_ in history(api, coordinator, first.case)}
    # Chairs see every field's history but the safe contact's (case.view_safe_contact).
    chair = make_user(make_agency("police"), "chair")
    chair_fields = {field for field, *_ in history(api, chair, first.case)}
    assert "ethnicity" in chair_fields and "safe_contact" not in chair_fields
    outsider = make_user(make_agency("health"))
    assert api(outsider).get(f"/api/v1/cases/{first.case.pk}/victim-history/").status_code == 404


def test_a_repeat_naming_another_perpetrator_adds_them_and_keeps_the_first(api, first, coordinator, housing_officer):
    repeat = accept_repeat(api, coordinator, housing_officer, perpetrator=dict(NEW_PERPETRATOR))

    case = Case.objects.get(pk=first.case_id)
    assert Perpetrator.objects.get(pk=case.perpetrator_id).first_name == "John"
    body = api(coordinator).get(f"/api/v1/cases/{case.pk}/").json()
    assert body["perpetrator"]["first_name"] == "John"
    assert [(p["first_name"], p["last_name"]) for p in body["perpetrators"]] == [("John", "Roe"), ("Mark", "Stone")]
    link = CasePerpetrator.objects.get(case=case)
    assert (link.referral_id, link.added_by_id) == (repeat.pk, coordinator.pk)
    # The case's copy, never the referral's own row.
    assert link.perpetrator_id != Referral.objects.get(pk=repeat.pk).perpetrator_id


def test_a_repeat_naming_the_same_perpetrator_adds_nobody(api, first, coordinator, housing_officer):
    accept_repeat(api, coordinator, housing_officer,
                  perpetrator={**FIRST_PERPETRATOR, "first_name": "JOHN", "date_of_birth": None})
    body = api(coordinator).get(f"/api/v1/cases/{first.case_id}/").json()
    assert [p["first_name"] for p in body["perpetrators"]] == ["John"]


def test_every_participant_sees_every_perpetrator(api, first, coordinator, housing_officer):
    accept_repeat(api, coordinator, housing_officer, perpetrator=dict(NEW_PERPETRATOR))
    add_participant(first.case, make_agency("police"))
    body = api(housing_officer).get(f"/api/v1/cases/{first.case_id}/").json()
    assert len(body["perpetrators"]) == 2


def test_a_replaced_name_stays_an_alias_so_she_is_still_matched(api, first, coordinator, housing_officer):
    """A coordinator links a referral under her new surname; once accepted the case
    knows both names."""
    renamed = make_referral(user=housing_officer, victim={**REPEAT_VICTIM, "last_name": "Smith"})
    assert renamed.case_id is None
    client = api(coordinator)
    assert client.post(f"/api/v1/referrals/{renamed.pk}/link/", {"case": first.case_id},
                       format="json").status_code == 200
    assert client.post(f"/api/v1/referrals/{renamed.pk}/accept/", {}, format="json").json()["case"] == first.case_id
    victim = Victim.objects.get(pk=first.case.victim_id)
    assert (victim.last_name, victim.aliases) == ("Smith", ["Jane Doe"])
    assert ("last_name", "Doe", "Smith") in [row[:3] for row in history(api, coordinator, first.case)]
    assert make_referral(victim=dict(REPEAT_VICTIM)).case_id == first.case_id  # matched on the old name


def _backfill():
    return importlib.import_module("marac.cases.migrations.0003_people_and_repeats").backfill


def test_migration_keys_every_victim_and_gives_cases_the_perpetrators_accepted_repeats_named(coordinator):
    first = accept_referral(make_referral(victim=dict(FIRST_VICTIM), perpetrator=dict(FIRST_PERPETRATOR)),
                            by=coordinator)
    repeat = accept_referral(make_referral(victim=dict(REPEAT_VICTIM), perpetrator=dict(NEW_PERPETRATOR)),
                             by=coordinator)
    same = accept_referral(make_referral(victim=dict(REPEAT_VICTIM), perpetrator=dict(FIRST_PERPETRATOR)),
                           by=coordinator)
    assert repeat.case_id == same.case_id == first.case_id
    # The state the old accept left behind: no further perpetrators, no keys.
    CasePerpetrator.objects.all().delete()
    Victim.objects.update(name_key="")

    _backfill()(django_apps, None)

    assert set(Victim.objects.values_list("name_key", flat=True)) == {"janedoe"}
    (link,) = CasePerpetrator.objects.filter(case=first.case)
    assert (link.perpetrator.first_name, link.referral_id) == ("Mark", repeat.pk)
    _backfill()(django_apps, None)
    assert CasePerpetrator.objects.count() == 1
