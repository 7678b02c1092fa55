"""The permission matrix for accounts, referrals and cases, generated from the policy
table: every endpoint x every role x every agency kind x inside/outside the slice."""

import pytest

from marac.cases.models import Incident, ResearchContribution
from tests.factories import IncidentFactory, ResearchFactory, referral_payload
from tests.permissions.matrix import (
    Endpoint,
    assert_status_follows_policy,
    build_world,
    case_facts,
    endpoint_params,
    permits,
    principal_params,
)

pytestmark = pytest.mark.django_db


def referral_facts(world):
    return {"own_agency": world.inside}


ENDPOINTS = [
    Endpoint("case detail", "get", lambda w: f"/api/v1/cases/{w.case.pk}/", "case", "view", 200,
             obj_facts=case_facts),
    Endpoint("add participant", "post", lambda w: f"/api/v1/cases/{w.case.pk}/participants/", "case",
             "manage_participants", 201, body=lambda w: {"agency": w.spare.pk}, obj_facts=case_facts),
    Endpoint("remove participant", "delete", lambda w: f"/api/v1/cases/{w.case.pk}/participants/{w.other.pk}/",
             "case", "manage_participants", 204, obj_facts=case_facts),
    Endpoint("list research", "get", lambda w: f"/api/v1/cases/{w.case.pk}/research/", "research", "view", 200,
             parent=("case", case_facts)),
    Endpoint("add research", "post", lambda w: f"/api/v1/cases/{w.case.pk}/research/", "research", "create", 201,
             body=lambda w: {"summary": "Known to us.", "shared_with_marac": False}, parent=("case", case_facts)),
    Endpoint("list incidents", "get", lambda w: f"/api/v1/cases/{w.case.pk}/incidents/", "incident", "view", 200,
             parent=("case", case_facts)),
    Endpoint("log incident", "post", lambda w: f"/api/v1/cases/{w.case.pk}/incidents/", "incident", "create", 201,
             body=lambda w: {"occurred_at": "2024-05-01T21:30:00+01:00", "behaviour": "loitering",
                             "description": "Waiting outside the house."},
             parent=("case", case_facts)),
    Endpoint("referral detail", "get", lambda w: f"/api/v1/referrals/{w.referral.pk}/", "referral", "view", 200,
             obj_facts=referral_facts),
    Endpoint("accept referral", "post", lambda w: f"/api/v1/referrals/{w.referral.pk}/accept/", "referral",
             "triage", 200, body=lambda w: {}, obj_facts=referral_facts),
    Endpoint("decline referral", "post", lambda w: f"/api/v1/referrals/{w.referral.pk}/decline/", "referral",
             "triage", 200, body=lambda w: {"reason": "Below threshold."}, obj_facts=referral_facts),
    Endpoint("submit referral", "post", lambda w: "/api/v1/referrals/", "referral", "create", 201,
             body=lambda w: referral_payload(victim={"first_name": "New", "last_name": "Person",
                                                     "date_of_birth": "1991-02-03", "gender": "female"})),
]

PARAMS = endpoint_params(ENDPOINTS)


@pytest.mark.parametrize("endpoint,role,kind,inside", PARAMS)
def test_endpoint_status_follows_policy(api, endpoint, role, kind, inside):
    assert_status_follows_policy(api, endpoint, build_world(role, kind, inside))


LIST_PARAMS = principal_params()


@pytest.mark.parametrize("role,kind,inside", LIST_PARAMS)
def test_lists_contain_exactly_the_policy_slice(api, role, kind, inside):
    world = build_world(role, kind, inside)
    client = api(world.actor)

    cases = client.get("/api/v1/cases/").json()["results"]
    assert [c["id"] for c in cases] == ([world.case.pk] if permits("case", "view", role, kind, case_facts(world)) else [])

    referrals = client.get("/api/v1/referrals/").json()["results"]
    expect_referral = permits("referral", "view", role, kind, {"own_agency": world.inside})
    assert [r["id"] for r in referrals] == ([world.referral.pk] if expect_referral else [])


@pytest.mark.parametrize("role,kind,inside", LIST_PARAMS)
def test_research_and_incident_rows_follow_policy(api, role, kind, inside):
    world = build_world(role, kind, inside)
    rows = {
        "other shared": ResearchFactory(case=world.case, agency=world.other, shared_with_marac=True),
        "other unshared": ResearchFactory(case=world.case, agency=world.other, shared_with_marac=False),
    }
    if world.agency is not None:
        rows["own unshared"] = ResearchFactory(case=world.case, agency=world.agency, shared_with_marac=False)
    incident = IncidentFactory(case=world.case, agency=world.other)
    client = api(world.actor)

    if not permits("case", "view", role, kind, case_facts(world)):
        assert client.get(f"/api/v1/cases/{world.case.pk}/research/").status_code == 404
        assert client.get(f"/api/v1/cases/{world.case.pk}/incidents/").status_code == 404
        return

    seen = {r["id"] for r in client.get(f"/api/v1/cases/{world.case.pk}/research/").json()["results"]}
    for label, row in rows.items():
        facts = {"participant": world.inside, "own_agency": row.agency_id == getattr(world.agency, "pk", None),
                 "shared": row.shared_with_marac}
        assert (row.pk in seen) == permits("research", "view", role, kind, facts), label
    assert ResearchContribution.objects.filter(pk__in=seen).count() == len(seen)

    incidents = {i["id"] for i in client.get(f"/api/v1/cases/{world.case.pk}/incidents/").json()["results"]}
    assert (incident.pk in incidents) == permits("incident", "view", role, kind, {"participant": world.inside})
    assert Incident.objects.count() == 1
