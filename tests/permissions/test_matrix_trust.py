"""The permission matrix for the trust endpoints, generated from the policy table:
changing a case (PATCH) and reading the audit log. One world per class of caller, the
endpoint and (inside the case, or as a platform admin) the audit log checked in it."""

import pytest
from django.utils import timezone

from marac.audit.models import AuditEvent
from permissions.actor import PLATFORM_ADMIN
from tests.permissions.matrix import (
    Endpoint,
    assert_world_follows_policy,
    build_world,
    case_facts,
    permits,
    principal_params,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    Endpoint("change case", "patch", lambda w: f"/api/v1/cases/{w.case.pk}/", "case", "change", 200,
             body=lambda w: {"status": "closed"}, obj_facts=case_facts),
]


def audit_log_lists_exactly_the_policy_slice(client, world):
    role, kind = world.role, world.kind
    now = timezone.now()
    own = AuditEvent.objects.create(at=now, user_id=world.other_user.pk, agency_id=getattr(world.agency, "pk", None),
                                    action="view", object_type="case", object_id="1")
    other = AuditEvent.objects.create(at=now, user_id=world.other_user.pk, agency_id=world.other.pk,
                                      action="view", object_type="case", object_id="1")
    response = client.get("/api/v1/audit-events/")
    assert response.status_code == 200
    expected = {e.pk for e, facts in ((own, {"own_agency": world.agency is not None}), (other, {"own_agency": False}))
                if permits("audit_event", "view", role, kind, facts)}
    assert {row["id"] for row in response.json()["results"]} == expected


@pytest.mark.parametrize("role,kind,inside", principal_params())
def test_endpoint_and_audit_log_follow_policy(api, role, kind, inside):
    """The audit log is read by every role of every kind inside the case, and by platform
    admins (who have no agency to be inside with)."""
    world = build_world(role, kind, inside)
    checks = [audit_log_lists_exactly_the_policy_slice] if inside is True or role == PLATFORM_ADMIN else []
    assert_world_follows_policy(api(world.actor), world, ENDPOINTS, checks=checks)
