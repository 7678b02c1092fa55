"""Two referrals for one victim make one case (issue 11): a referral submitted while
another for the same victim awaits triage is flagged `possible_duplicate_of`, both ways,
to coordinators only; accepting the second attaches it to the first's case."""

import pytest
from django.db import connection

from marac.cases.models import Case
from marac.cases.participants import participant_agencies
from marac.referrals.models import ReferralStatus
from marac.referrals.services import accept_referral, decline_referral
from tests.factories import make_agency, make_referral, make_user

pytestmark = pytest.mark.django_db

VICTIM = {"first_name": "Anne-Marie", "last_name": "O'Neil", "date_of_birth": "1990-06-01", "gender": "female"}
SAME_VICTIM = {"first_name": "anne marie", "last_name": "ONEIL", "date_of_birth": "1990-06-01", "gender": "female"}


@pytest.fixture
def coordinator():
    return make_user(make_agency("marac_coordination"), "coordinator")


@pytest.fixture
def police():
    return make_user(make_agency("police"))


@pytest.fixture
def health():
    return make_user(make_agency("health"))


@pytest.fixture
def pair(police, health):
    """The same victim referred by police, then by health, both awaiting triage."""
    return make_referral(user=police, victim=dict(VICTIM)), make_referral(user=health, victim=dict(SAME_VICTIM))


def shown(api, user, referral):
    return api(user).get(f"/api/v1/referrals/{referral.pk}/").json()


def test_a_referral_submitted_while_another_awaits_triage_is_flagged_both_ways(api, coordinator, pair):
    first, second = pair
    assert shown(api, coordinator, first)["possible_duplicate_of"] == [second.pk]
    assert shown(api, coordinator, second)["possible_duplicate_of"] == [first.pk]
    listed = {row["id"]: row for row in api(coordinator).get("/api/v1/referrals/").json()["results"]}
    assert (listed[first.pk]["possible_duplicate_of"], listed[second.pk]["possible_duplicate_of"]) == (
        [second.pk], [first.pk])


def test_possible_duplicates_are_shown_to_coordinators_only(api, pair, police, health):
    first, second = pair
    chair = make_user(make_agency("police"), "chair")
    for user, referral in ((police, first), (health, second), (chair, first), (chair, second)):
        assert shown(api, user, referral)["possible_duplicate_of"] == []


def test_a_referral_for_someone_else_or_after_triage_is_not_a_duplicate(coordinator, police):
    first = make_referral(user=police, victim=dict(VICTIM))
    other = make_referral(user=police, victim={**VICTIM, "date_of_birth": "1990-06-02"})
    assert list(other.possible_duplicate_of.all()) == []
    decline_referral(first, by=coordinator, reason="Below threshold.")
    assert list(make_referral(user=police, victim=dict(VICTIM)).possible_duplicate_of.all()) == []


def test_accepting_the_second_attaches_it_to_the_first_case(api, coordinator, pair, police, health):
    first, second = pair
    case_id = api(coordinator).post(f"/api/v1/referrals/{first.pk}/accept/", {}, format="json").json()["case"]
    response = api(coordinator).post(f"/api/v1/referrals/{second.pk}/accept/", {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["case"] == case_id
    assert Case.objects.count() == 1
    assert set(participant_agencies(Case.objects.get())) == {police.membership.agency, health.membership.agency}


def test_with_both_pending_accepting_either_opens_the_case_the_other_joins(coordinator, pair):
    first, second = pair
    case = accept_referral(second, by=coordinator).case
    assert accept_referral(first, by=coordinator).case == case
    assert Case.objects.count() == 1


def test_a_coordinator_who_rules_out_the_link_keeps_the_referral_apart(api, coordinator, pair):
    first, second = pair
    client = api(coordinator)
    client.post(f"/api/v1/referrals/{first.pk}/accept/", {}, format="json")
    assert client.post(f"/api/v1/referrals/{second.pk}/link/", {"case": None}, format="json").status_code == 200
    client.post(f"/api/v1/referrals/{second.pk}/accept/", {}, format="json")
    assert Case.objects.count() == 2


@pytest.mark.concurrency
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent sessions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_duplicates_accepted_at_once_still_make_one_case():
    from tests.trust.test_concurrency import client_for, run_concurrently

    coordinator = make_user(make_agency("marac_coordination"), "coordinator")
    referrals = [make_referral(victim=dict(VICTIM)), make_referral(victim=dict(SAME_VICTIM))]
    clients = [client_for(coordinator) for _ in referrals]
    answers = run_concurrently(2, lambda i: clients[i].post(f"/api/v1/referrals/{referrals[i].pk}/accept/", {},
                                                            format="json"))
    assert [answer.status_code for answer in answers] == [200, 200], answers
    assert Case.objects.count() == 1
