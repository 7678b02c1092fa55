"""The permission matrix for the trust endpoints, generated from the policy table:
changing a case (PATCH) and reading the audit log."""

import pytest
from django.utils import timezone

from marac.audit.models import AuditEvent
from tests.permissions.matrix import (
    Endpoint,
    assert_status_follows_policy,
    build_world,
    case_facts,
    endpoint_params,
    permits,
    principals,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    Endpoint("change case", "patch", lambda w: f"/api/v1/cases/{w.case.pk}/", "case", "change", 200,
             body=lambda w: {"status": "closed"}, obj_facts=case_facts),
]

PARAMS = endpoint_params(ENDPOINTS)


@pytest.mark.parametrize("endpoint,role,kind,inside", PARAMS)
def test_endpoint_status_follows_policy(api, endpoint, role, kind, inside):
    assert_status_follows_policy(api, endpoint, build_world(role, kind, inside))


@pytest.mark.parametrize("role,kind", list(principals()))
def test_audit_log_lists_exactly_the_policy_slice(api, role, kind):
    world = build_world(role, kind, inside=True)
    now = timezone.now()
    own = AuditEvent.objects.create(at=now, user_id=world.other_user.pk, agency_id=getattr(world.agency, "pk", None),
                                    action="view", object_type="case", object_id="1")
    other = AuditEvent.objects.create(at=now, user_id=world.other_user.pk, agency_id=world.other.pk,
                                      action="view", object_type="case", object_id="1")
    response = api(world.actor).get("/api/v1/audit-events/")
    assert response.status_code == 200
    expected = {e.pk for e, facts in ((own, {"own_agency": world.agency is not None}), (other, {"own_agency": False}))
                if permits("audit_event", "view", role, kind, facts)}
    assert {row["id"] for row in response.json()["results"]} == expected
