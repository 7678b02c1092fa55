"""The permission matrix for requests that police consider an SPO, generated from the
policy table: every endpoint x every role x every agency kind x inside/outside the case.
A request recorded by the caller's own agency (when it is on the case) and one recorded
by another agency on the case. One world per class of caller, every endpoint and the
lists checked in it (tests/permissions/matrix.assert_world_follows_policy)."""

import pytest

from marac.agencies.models import AgencyKind
from marac.cases.participants import add_participant
from tests.factories import make_agency, make_user
from tests.orders.factories import make_spo_request
from tests.permissions.matrix import (
    Endpoint,
    assert_world_follows_policy,
    build_world,
    case_facts,
    permits,
    principal_params,
)

pytestmark = pytest.mark.django_db


def build_requests_world(role, kind, inside):
    w = build_world(role, kind, inside)
    advocacy = make_agency(AgencyKind.ADVOCACY)
    add_participant(w.case, advocacy)
    w.others_request = make_spo_request(w.case, advocacy, make_user(advocacy))
    w.own_request = make_spo_request(w.case, w.agency, w.actor) if w.inside else None
    return w


def others_facts(w):
    return {"participant": w.inside, "own_agency": False}


def own_facts(w):
    return {"participant": w.inside, "own_agency": w.inside}


ENDPOINTS = [
    Endpoint("list a case's requests", "get", lambda w: f"/api/v1/cases/{w.case.pk}/spo-requests/", "spo_request",
             "view", 200, parent=("case", case_facts)),
    Endpoint("record a request", "post", lambda w: f"/api/v1/cases/{w.case.pk}/spo-requests/", "spo_request",
             "create", 201, body=lambda w: {"requested_on": "2025-04-01", "requested_by_victim": True},
             parent=("case", case_facts)),
    Endpoint("another agency's request", "get", lambda w: f"/api/v1/spo-requests/{w.others_request.pk}/",
             "spo_request", "view", 200, obj_facts=others_facts),
]


def lists_contain_exactly_the_policy_slice(client, w):
    role, kind = w.role, w.kind
    expected = {r.pk for r, facts in ((w.others_request, others_facts(w)), (w.own_request, own_facts(w)))
                if r is not None and permits("spo_request", "view", role, kind, facts)}
    assert {row["id"] for row in client.get("/api/v1/spo-requests/").json()["results"]} == expected
    if permits("case", "view", role, kind, case_facts(w)):
        nested = client.get(f"/api/v1/cases/{w.case.pk}/spo-requests/").json()["results"]
        assert {row["id"] for row in nested} == expected


@pytest.mark.parametrize("role,kind,inside", principal_params())
def test_endpoints_and_lists_follow_policy(api, role, kind, inside):
    w = build_requests_world(role, kind, inside)
    assert_world_follows_policy(api(w.actor), w, ENDPOINTS, checks=[lists_contain_exactly_the_policy_slice])
