"""The permission matrix for orders, requirements, breaches and support plans,
generated from the policy table: every endpoint x every role x every agency kind x
inside/outside the case, plus the field-level slice of requirement notes. One world per
class of caller; every endpoint, the lists and the notes checked in it, each in a
savepoint rolled back (tests/permissions/matrix.assert_world_follows_policy)."""

from types import SimpleNamespace

import pytest

from marac.agencies.models import AgencyKind
from marac.cases.participants import add_participant
from marac.orders.services import record_notifiable_change
from permissions.policy import slice_object
from tests.factories import make_agency, make_user
from tests.orders.factories import (
    make_breach,
    make_event,
    make_order,
    make_plan,
    make_requirement,
)
from tests.permissions.matrix import (
    Endpoint,
    assert_world_follows_policy,
    build_world,
    case_facts,
    expected_status,
    has_applicable_grant,
    permits,
    principal_params,
)

pytestmark = pytest.mark.django_db

NOTE = "Private compliance note."


def build_orders_world(role, kind, inside) -> SimpleNamespace:
    """build_world's caller and case, plus: an order held by the other (police)
    participant; a requirement the caller's agency is responsible for (whether or not
    it is on the case) and one a spare agency is; a breach; an advocacy agency on the
    case with a support plan."""
    w = build_world(role, kind, inside)
    w.order = make_order(w.case, w.other, w.other_user)
    w.own_requirement = make_requirement(w.order, w.agency or w.spare, notes=NOTE)
    make_event(w.own_requirement)
    w.spare_requirement = make_requirement(w.order, w.spare, notes=NOTE)
    w.breach = make_breach(w.order, w.other, w.other_user)
    w.notifiable_change = record_notifiable_change(w.order, by=w.other_user, kind="address_change",
                                                   changed_on=w.order.granted_on)
    advocacy = make_agency(AgencyKind.ADVOCACY)
    add_participant(w.case, advocacy)
    w.plan = make_plan(w.case, advocacy, make_user(advocacy))
    return w


def held_order(w):
    """An order held by the caller's own agency, made on first use (only a police force
    can come to hold one through the API; the table decides what a holder may do)."""
    if not hasattr(w, "held_order"):
        w.held_order = make_order(w.case, w.agency, w.actor) if w.agency is not None else w.order
    return w.held_order


def own_requirement_facts(w):
    return {"participant": w.inside, "own_agency": w.agency is not None}


def spare_requirement_facts(w):
    return {"participant": w.inside, "own_agency": False}


def order_body(w):
    return {"case": w.case.pk, "kind": "full", "status": "considering"}


def plan_body(w):
    return {"case": w.case.pk, "needs": ["Safe housing"], "goals": "Feel safe."}


ENDPOINTS = [
    Endpoint("order detail", "get", lambda w: f"/api/v1/orders/{w.order.pk}/", "order", "view", 200,
             obj_facts=case_facts),
    Endpoint("order history", "get", lambda w: f"/api/v1/orders/{w.order.pk}/history/", "order", "view", 200,
             obj_facts=case_facts),
    Endpoint("change order held by another force", "patch", lambda w: f"/api/v1/orders/{w.order.pk}/", "order",
             "change", 200, body=lambda w: {"court": "Northshire Magistrates' Court (Annexe)"},
             obj_facts=lambda w: {"participant": w.inside, "own_agency": False}),
    Endpoint("change order held by own agency", "patch",
             lambda w: f"/api/v1/orders/{held_order(w).pk}/", "order", "change", 200,
             body=lambda w: {"court": "Northshire Magistrates' Court (Annexe)"},
             obj_facts=lambda w: {"participant": w.inside, "own_agency": held_order(w).agency_id == getattr(w.agency, "pk", None)}),
    Endpoint("list requirements", "get", lambda w: f"/api/v1/orders/{w.order.pk}/requirements/", "requirement",
             "view", 200, parent=("order", case_facts)),
    Endpoint("add requirement", "post", lambda w: f"/api/v1/orders/{w.order.pk}/requirements/", "requirement",
             "create", 201, body=lambda w: {"kind": "police_sign_on", "responsible_agency": w.other.pk},
             parent=("order", case_facts)),
    Endpoint("own requirement detail", "get", lambda w: f"/api/v1/requirements/{w.own_requirement.pk}/",
             "requirement", "view", 200, obj_facts=own_requirement_facts),
    Endpoint("spare requirement detail", "get", lambda w: f"/api/v1/requirements/{w.spare_requirement.pk}/",
             "requirement", "view", 200, obj_facts=spare_requirement_facts),
    Endpoint("update own requirement", "patch", lambda w: f"/api/v1/requirements/{w.own_requirement.pk}/",
             "requirement", "change", 200, body=lambda w: {"status": "scheduled", "notes": "Booked."},
             obj_facts=own_requirement_facts),
    Endpoint("update spare requirement", "patch", lambda w: f"/api/v1/requirements/{w.spare_requirement.pk}/",
             "requirement", "change", 200, body=lambda w: {"status": "scheduled"}, obj_facts=spare_requirement_facts),
    Endpoint("record compliance event", "post", lambda w: f"/api/v1/requirements/{w.own_requirement.pk}/events/",
             "requirement", "record_event", 201, body=lambda w: {"kind": "attended", "occurred_on": "2025-04-01"},
             obj_facts=own_requirement_facts),
    Endpoint("list breaches", "get", lambda w: f"/api/v1/orders/{w.order.pk}/breaches/", "breach", "view", 200,
             parent=("order", case_facts)),
    Endpoint("report breach", "post", lambda w: f"/api/v1/orders/{w.order.pk}/breaches/", "breach", "create", 201,
             body=lambda w: {"occurred_at": "2025-06-01T22:00:00+01:00", "description": "Called her mobile."},
             parent=("order", case_facts)),
    Endpoint("breach detail", "get", lambda w: f"/api/v1/breaches/{w.breach.pk}/", "breach", "view", 200,
             obj_facts=case_facts),
    Endpoint("respond to breach", "patch", lambda w: f"/api/v1/breaches/{w.breach.pk}/", "breach", "change", 200,
             body=lambda w: {"status": "investigating", "police_response": "Attended."}, obj_facts=case_facts),
    Endpoint("list notifiable changes", "get", lambda w: f"/api/v1/orders/{w.order.pk}/notifications/",
             "notifiable_change", "view", 200, parent=("order", case_facts)),
    Endpoint("record notifiable change", "post", lambda w: f"/api/v1/orders/{w.order.pk}/notifications/",
             "notifiable_change", "create", 201, body=lambda w: {"kind": "name_change", "changed_on": "2025-04-01"},
             parent=("order", case_facts)),
    Endpoint("notifiable change detail", "get",
             lambda w: f"/api/v1/orders/{w.order.pk}/notifications/{w.notifiable_change.pk}/", "notifiable_change",
             "view", 200, obj_facts=case_facts),
    Endpoint("record a change notified", "patch",
             lambda w: f"/api/v1/orders/{w.order.pk}/notifications/{w.notifiable_change.pk}/", "notifiable_change",
             "change", 200, body=lambda w: {"notified_on": "2025-04-02"}, obj_facts=case_facts),
    Endpoint("support plan detail", "get", lambda w: f"/api/v1/support-plans/{w.plan.pk}/", "support_plan", "view",
             200, obj_facts=case_facts),
    Endpoint("support plan history", "get", lambda w: f"/api/v1/support-plans/{w.plan.pk}/history/",
             "support_plan", "view", 200, obj_facts=case_facts),
    Endpoint("change support plan", "patch", lambda w: f"/api/v1/support-plans/{w.plan.pk}/", "support_plan",
             "change", 200, body=lambda w: {"goals": "Return to work."}, obj_facts=case_facts),
    # Creates whose parent case comes in the body: no applicable grant at all is 403
    # (before the body is read); a case outside the caller's view slice is the same
    # 400 as a missing one; inside it, the row decides 201 or 403.
    Endpoint("create order", "post", lambda w: "/api/v1/orders/", "order", "create", 201, body=order_body,
             extra={"body_parent": ("case", case_facts)}),
    Endpoint("create support plan", "post", lambda w: "/api/v1/support-plans/", "support_plan", "create", 201,
             body=plan_body, extra={"body_parent": ("case", case_facts)}),
]


def expected(endpoint: Endpoint, world) -> int:
    if "body_parent" not in endpoint.extra:
        return expected_status(endpoint, world)
    parent_target, parent_facts = endpoint.extra["body_parent"]
    parent = slice_object(endpoint.target).parent
    assert parent.in_body and parent.object == parent_target, "the description's parent"
    if not has_applicable_grant(endpoint.target, endpoint.action, world.role, world.kind):
        return 403
    if not permits(parent_target, "view", world.role, world.kind, parent_facts(world)):
        return 400
    return endpoint.success if permits(endpoint.target, endpoint.action, world.role, world.kind,
                                       parent_facts(world)) else 403


def lists_contain_exactly_the_policy_slice(client, world):
    role, kind = world.role, world.kind

    def ids(url):
        return {row["id"] for row in client.get(url).json()["results"]}

    on_case = case_facts(world)
    assert ids("/api/v1/orders/") == ({world.order.pk} if permits("order", "view", role, kind, on_case) else set())
    assert ids("/api/v1/breaches/") == ({world.breach.pk} if permits("breach", "view", role, kind, on_case) else set())
    assert ids("/api/v1/support-plans/") == (
        {world.plan.pk} if permits("support_plan", "view", role, kind, on_case) else set())
    expected_requirements = {
        row.pk for row, facts in ((world.own_requirement, own_requirement_facts(world)),
                                  (world.spare_requirement, spare_requirement_facts(world)))
        if permits("requirement", "view", role, kind, facts)
    }
    assert ids("/api/v1/requirements/") == expected_requirements


def requirement_notes_follow_the_view_notes_row(client, world):
    """The field-level slice, row by row, in the worklist and in each detail: notes and
    compliance events exactly where the policy grants view_notes."""
    role, kind = world.role, world.kind
    listed = {row["id"]: row for row in client.get("/api/v1/requirements/").json()["results"]}
    for row, facts in ((world.own_requirement, own_requirement_facts(world)),
                       (world.spare_requirement, spare_requirement_facts(world))):
        if not permits("requirement", "view", role, kind, facts):
            assert row.pk not in listed
            continue
        detail = client.get(f"/api/v1/requirements/{row.pk}/").json()
        may_see_notes = permits("requirement", "view_notes", role, kind, facts)
        for data in (listed[row.pk], detail):
            assert ("notes" in data) == may_see_notes
            assert ("events" in data) == may_see_notes
            assert ("defendant" in data) == may_see_notes
            assert (NOTE in str(data)) == may_see_notes


@pytest.mark.parametrize("role,kind,inside", principal_params())
def test_endpoints_lists_and_notes_follow_policy(api, role, kind, inside):
    world = build_orders_world(role, kind, inside)
    assert_world_follows_policy(api(world.actor), world, ENDPOINTS, expected=expected,
                                checks=[lists_contain_exactly_the_policy_slice,
                                        requirement_notes_follow_the_view_notes_row])
