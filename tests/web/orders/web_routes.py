"""Web matrix rows for the orders area: Stalking Protection Orders, prohibitions,
positive requirements, compliance, breaches, and support plans. Each route's setup
builds, inside the route's own savepoint, the objects it addresses on the world's case
(whose other participant is a police force holding the order)."""

from datetime import timedelta

from django.utils import timezone

from marac.agencies.models import AgencyKind
from marac.cases.participants import add_participant
from marac.orders.services import record_notifiable_change
from tests.factories import make_agency, make_user
from tests.orders.factories import (
    GRANTED_ON,
    make_breach,
    make_order,
    make_plan,
    make_requirement,
)
from tests.permissions.matrix import case_facts
from tests.web.matrix import WebRoute
from tests.web.orders.helpers import date_input


def with_order(w):
    w.order = make_order(w.case, w.other, w.other_user)


def with_held_order(w):
    """An order held by the caller's own agency (by the other force for platform admins)."""
    w.held = make_order(w.case, w.agency, w.actor) if w.agency is not None else make_order(
        w.case, w.other, w.other_user)


def held_facts(w):
    return {"participant": w.inside, "own_agency": w.agency is not None}


def with_requirement(w):
    """An order with a requirement the caller's agency is responsible for (on the case or not)."""
    with_order(w)
    w.requirement = make_requirement(w.order, w.agency or w.spare, notes="Private compliance note.")


def requirement_facts(w):
    return {"participant": w.inside, "own_agency": w.agency is not None}


def with_notifiable_change(w):
    with_order(w)
    w.change = record_notifiable_change(w.order, by=w.other_user, kind="name_change",
                                        changed_on=GRANTED_ON + timedelta(days=30))


def change_form(w):
    return {"kind": "address_change", "details": "", **date_input("changed_on", timezone.localdate()),
            **date_input("notified_on", None)}


def with_breach(w):
    with_order(w)
    w.breach = make_breach(w.order, w.other, w.other_user)


def with_plan(w):
    advocacy = make_agency(AgencyKind.ADVOCACY)
    add_participant(w.case, advocacy)
    w.plan = make_plan(w.case, advocacy, make_user(advocacy))


def order_form(w):
    data = {"kind": "full", "source": "police_application", "status": "considering", "defendant": "",
            "main_order": "", "reference": "", "court": "", "decision_reason": "", "prohibitions": "No contact"}
    for name in ("applied_on", "conviction_or_acquittal_on", "granted_on", "served_on", "expires_on"):
        data.update(date_input(name, None))
    return data


def status_form(w):
    data = {"status": "discharged", "decision_reason": "", "discharge_consent": "on"}
    for name in ("applied_on", "granted_on", "expires_on", "decided_on", "discharged_on"):
        data.update(date_input(name, None))
    return data


def details_form(w):
    data = {"reference": "NS/1", "court": w.held.court}
    for name in ("applied_on", "granted_on", "served_on", "expires_on", "notified_on", "register_ended_on"):
        data.update(date_input(name, getattr(w.held, name)))
    return data


def breach_form(w):
    when = timezone.localtime(timezone.now() - timedelta(hours=1))
    return {"kind": "prohibition", "requirement": "", "occurred_time": when.strftime("%H:%M"),
            "description": "Called her mobile.", **date_input("occurred_on", when.date())}


def requirement_form(w):
    return {"kind": "police_sign_on", "description": "", "responsible_agency": str(w.other.pk),
            **date_input("due_date", None), **date_input("starts_on", None), **date_input("ends_on", None)}


def plan_form(w):
    return {"needs": "Safe housing", "safety_measures": "", "goals": "Feel safe.", "status": "active",
            **date_input("next_review", None)}


def order_routes():
    detail = dict(obj_facts=case_facts, setup=with_order)
    held = dict(obj_facts=held_facts, setup=with_held_order)
    on_order = dict(parent_facts=case_facts, setup=with_order)
    return [
        WebRoute("order-list", lambda w: "/orders/", setup=with_order),
        WebRoute("order-create", lambda w: f"/cases/{w.case.pk}/orders/new/", parent_facts=case_facts),
        WebRoute("order-create", lambda w: f"/cases/{w.case.pk}/orders/new/", method="post", data=order_form,
                 parent_facts=case_facts),
        WebRoute("order-detail", lambda w: f"/orders/{w.order.pk}/", **detail),
        WebRoute("order-history", lambda w: f"/orders/{w.order.pk}/history/", **detail),
        # Changing an order held by another force: never allowed (403 inside, 404 outside).
        WebRoute("order-edit", lambda w: f"/orders/{w.order.pk}/edit/",
                 obj_facts=lambda w: {"participant": w.inside, "own_agency": False}, setup=with_order),
        WebRoute("order-edit", lambda w: f"/orders/{w.held.pk}/edit/", **held),
        WebRoute("order-edit", lambda w: f"/orders/{w.held.pk}/edit/", method="post", data=details_form, **held),
        WebRoute("order-status", lambda w: f"/orders/{w.held.pk}/status/", **held),
        WebRoute("order-status", lambda w: f"/orders/{w.held.pk}/status/", method="post", data=status_form, **held),
        WebRoute("prohibition-add", lambda w: f"/orders/{w.held.pk}/prohibitions/new/", **held),
        WebRoute("prohibition-add", lambda w: f"/orders/{w.held.pk}/prohibitions/new/", method="post",
                 data=lambda w: {"text": "Not to enter Northshire Road", "locality": "",
                                 **date_input("ends_on", None)}, **held),
        WebRoute("prohibition-remove", lambda w: f"/orders/{w.held.pk}/prohibitions/0/remove/", **held),
        WebRoute("prohibition-remove", lambda w: f"/orders/{w.held.pk}/prohibitions/0/remove/", method="post",
                 **held),
        WebRoute("requirement-create", lambda w: f"/orders/{w.order.pk}/requirements/new/", **on_order),
        WebRoute("requirement-create", lambda w: f"/orders/{w.order.pk}/requirements/new/", method="post",
                 data=requirement_form, **on_order),
        WebRoute("notifiable-change-create", lambda w: f"/orders/{w.order.pk}/notifiable-changes/new/",
                 **on_order),
        WebRoute("notifiable-change-create", lambda w: f"/orders/{w.order.pk}/notifiable-changes/new/",
                 method="post", data=change_form, **on_order),
        WebRoute("notifiable-change-edit", lambda w: f"/notifiable-changes/{w.change.pk}/", obj_facts=case_facts,
                 setup=with_notifiable_change),
        WebRoute("notifiable-change-edit", lambda w: f"/notifiable-changes/{w.change.pk}/", method="post",
                 data=lambda w: {"details": "", **date_input("notified_on", GRANTED_ON + timedelta(days=31))},
                 obj_facts=case_facts, setup=with_notifiable_change),
        WebRoute("breach-create", lambda w: f"/orders/{w.order.pk}/breaches/new/", **on_order),
        WebRoute("breach-create", lambda w: f"/orders/{w.order.pk}/breaches/new/", method="post",
                 data=breach_form, **on_order),
    ]


def requirement_routes():
    own = dict(obj_facts=requirement_facts, setup=with_requirement)
    return [
        WebRoute("requirement-list", lambda w: "/requirements/", setup=with_requirement),
        WebRoute("requirement-detail", lambda w: f"/requirements/{w.requirement.pk}/", **own),
        WebRoute("requirement-update", lambda w: f"/requirements/{w.requirement.pk}/update/", method="post",
                 data=lambda w: {"status": "scheduled", "notes": "Booked."}, **own),
        WebRoute("compliance-event-add", lambda w: f"/requirements/{w.requirement.pk}/events/new/", method="post",
                 data=lambda w: {"kind": "attended", "details": "",
                                 **date_input("occurred_on", timezone.localdate())}, **own),
        WebRoute("breach-detail", lambda w: f"/breaches/{w.breach.pk}/", obj_facts=case_facts, setup=with_breach),
        WebRoute("breach-respond", lambda w: f"/breaches/{w.breach.pk}/respond/", method="post",
                 data=lambda w: {"status": "investigating", "police_response": "Attended."},
                 obj_facts=case_facts, setup=with_breach),
    ]


def support_plan_routes():
    plan = dict(obj_facts=case_facts, setup=with_plan)
    return [
        WebRoute("support-plan-list", lambda w: "/support-plans/", setup=with_plan),
        # The case's entry point sends on to the plan or its form: the case's view slice decides 404.
        WebRoute("case-support-plan", lambda w: f"/cases/{w.case.pk}/support-plan/", parent_facts=case_facts,
                 success=302),
        WebRoute("support-plan-create", lambda w: f"/cases/{w.case.pk}/support-plan/new/", parent_facts=case_facts),
        WebRoute("support-plan-create", lambda w: f"/cases/{w.case.pk}/support-plan/new/", method="post",
                 data=plan_form, parent_facts=case_facts),
        WebRoute("support-plan-detail", lambda w: f"/support-plans/{w.plan.pk}/", **plan),
        WebRoute("support-plan-edit", lambda w: f"/support-plans/{w.plan.pk}/edit/", **plan),
        WebRoute("support-plan-edit", lambda w: f"/support-plans/{w.plan.pk}/edit/", method="post", data=plan_form,
                 **plan),
    ]


ROUTES = [*order_routes(), *requirement_routes(), *support_plan_routes()]
