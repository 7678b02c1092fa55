"""Matching is realistic (issue 11): victims match on date of birth plus names compared
without case, accents, spaces, hyphens or apostrophes, and on known aliases;
coordinators see likely matches to confirm, and the final link is their decision,
recorded (who, when) and audited."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marac.audit.models import AuditEvent
from marac.cases.identity import name_key, normalise_name
from marac.cases.models import Case, Victim
from marac.referrals.services import accept_referral, find_repeat_case
from tests.factories import make_agency, make_referral, make_user

pytestmark = pytest.mark.django_db

VICTIM = {"first_name": "Anne-Marie", "last_name": "O'Neil", "date_of_birth": "1990-06-01", "gender": "female"}


@pytest.fixture
def coordinator():
    return make_user(make_agency("marac_coordination"), "coordinator")


@pytest.fixture
def case(coordinator):
    return accept_referral(make_referral(victim=dict(VICTIM)), by=coordinator).case


def test_names_compare_without_case_accents_spaces_hyphens_or_apostrophes():
    assert name_key("Anne-Marie", "O'Neil") == name_key("anne marie", "oneil") == "annemarieoneil"
    assert normalise_name("Zoë Brontë") == normalise_name("ZOE BRONTE") == "zoebronte"
    assert normalise_name("O’Neil") == normalise_name("O'Neil")  # typographic apostrophe too


@pytest.mark.parametrize("first_name,last_name", [("anne marie", "oneil"), ("ANNE-MARIE", "O’NEIL"),
                                                  ("Anné-Marie", "O Neil"), ("AnneMarie", "O'Neil")])
def test_a_referral_spelling_her_name_differently_is_a_repeat_of_her_case(case, first_name, last_name):
    referral = make_referral(victim={**VICTIM, "first_name": first_name, "last_name": last_name})
    assert (referral.is_repeat, referral.case_id) == (True, case.pk)


def test_a_different_date_of_birth_never_matches(case):
    assert make_referral(victim={**VICTIM, "date_of_birth": "1990-06-02"}).case_id is None


def test_a_victim_matches_on_a_known_alias(coordinator):
    case = accept_referral(make_referral(victim={**VICTIM, "aliases": ["Annie Smith"]}), by=coordinator).case
    by_alias = make_referral(victim={**VICTIM, "first_name": "Annie", "last_name": "Smith"})
    assert by_alias.case_id == case.pk
    naming_her_as_an_alias = make_referral(
        victim={**VICTIM, "first_name": "Ann", "last_name": "Jones", "aliases": ["anne-marie o'neil"]})
    assert naming_her_as_an_alias.case_id == case.pk


def test_matching_reads_one_indexed_key_column(case):
    assert Victim.objects.get(pk=case.victim_id).name_key == "annemarieoneil"
    assert any(index.fields == ["date_of_birth", "name_key"] for index in Victim._meta.indexes)
    with CaptureQueriesContext(connection) as queries:
        found = find_repeat_case(first_name="ANNE MARIE", last_name="O'NEIL", date_of_birth=date(1990, 6, 1),
                                 at=timezone.now())
    assert found == case and len(queries) == 1


def test_coordinators_see_likely_matches_to_confirm(api, coordinator, case):
    lookalike = accept_referral(make_referral(victim={**VICTIM, "first_name": "Zara", "last_name": "Oneil"}),
                                by=coordinator).case  # a last name alike (O'Neil / O'Neill)
    accept_referral(make_referral(victim={**VICTIM, "first_name": "Kim", "last_name": "Lee"}), by=coordinator)
    accept_referral(make_referral(victim={**VICTIM, "date_of_birth": "1991-06-01", "first_name": "Anne"}),
                    by=coordinator)  # another birthday
    referrer = make_user(make_agency("police"))
    referral = make_referral(user=referrer, victim={**VICTIM, "first_name": "Anne", "last_name": "O'Neill"})
    assert referral.case_id is None  # not the same name: a hint, never a link by itself

    body = api(coordinator).get(f"/api/v1/referrals/{referral.pk}/").json()
    assert body["likely_matches"] == [
        {"case": c.pk, "reference": c.reference, "name": f"{c.victim.first_name} {c.victim.last_name}",
         "date_of_birth": "1990-06-01"} for c in sorted([case, lookalike], key=lambda c: c.reference)]
    assert api(referrer).get(f"/api/v1/referrals/{referral.pk}/").json()["likely_matches"] == []


def test_the_coordinators_link_is_their_decision_and_is_recorded(api, coordinator, case):
    referral = make_referral(victim={**VICTIM, "last_name": "O'Neill"})
    response = api(coordinator).post(f"/api/v1/referrals/{referral.pk}/link/", {"case": case.pk}, format="json",
                                     HTTP_X_REQUEST_ID="link-1")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["case"], body["is_repeat"], body["link_decided_by"]) == (case.pk, True, coordinator.pk)
    assert body["link_decided_at"]
    assert AuditEvent.objects.filter(request_id="link-1", action="update", object_type="referral",
                                     object_id=str(referral.pk), user_id=coordinator.pk).exists()
    assert api(coordinator).post(f"/api/v1/referrals/{referral.pk}/accept/", {}, format="json").json()["case"] == case.pk
    assert Case.objects.count() == 1


def test_ruling_out_a_match_unlinks_the_referral(api, coordinator, case):
    referral = make_referral(victim=dict(VICTIM))
    assert referral.case_id == case.pk
    body = api(coordinator).post(f"/api/v1/referrals/{referral.pk}/link/", {"case": None}, format="json").json()
    assert (body["case"], body["is_repeat"], body["link_decided_by"]) == (None, False, coordinator.pk)
    assert api(coordinator).post(f"/api/v1/referrals/{referral.pk}/accept/", {}, format="json").json()["case"] != case.pk


def test_only_a_referral_awaiting_triage_is_linked(api, coordinator, case):
    accepted = case.referrals.get()
    response = api(coordinator).post(f"/api/v1/referrals/{accepted.pk}/link/", {"case": None}, format="json")
    assert response.status_code == 400 and "status" in response.json()
    response = api(coordinator).post(f"/api/v1/referrals/{make_referral().pk}/link/", {}, format="json")
    assert response.status_code == 400 and "case" in response.json()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_coordinators_referral_list_reads_matches_and_duplicates_once_a_page(api, coordinator, rows):
    for i in range(rows):
        make_referral(victim={**VICTIM, "first_name": f"Anne{i}"})
    accept_referral(make_referral(victim=dict(VICTIM)), by=coordinator)
    client = api(coordinator)
    client.get("/api/v1/referrals/")
    with CaptureQueriesContext(connection) as queries:
        results = client.get("/api/v1/referrals/").json()["results"]
    assert len(results) == rows + 1
    assert all(row["likely_matches"] for row in results if row["case"] is None)
    # token + membership, COUNT, the page, the page's children (prefetched, shown on every
    # referral since i11-people), each row's serializer (the coordinator's rows hold in the
    # MARACs they serve: one query per page), duplicates, likely matches, the audit INSERT
    assert len(queries) == 8, [q["sql"] for q in queries]
