"""The orders area's form pages read a pinned number of queries, whatever the case and the
order hold (orders to choose a main application from, requests for an SPO, perpetrators,
requirements, breaches, prohibitions, support plans, notifiable changes)."""

import pytest
from django.utils import timezone

from marac.orders.services import record_notifiable_change

from tests.factories import CaseFactory, make_agency
from tests.orders.factories import make_breach, make_order, make_plan, make_requirement, make_spo_request
from tests.web.query_pins import assert_pinned

pytestmark = pytest.mark.django_db

# Session and user, membership, the slice (the order or case, the row's grant), the
# form's choices (one query per select), the audit INSERT of the object shown.
PINS = {"order-create": 7, "order-edit": 6, "order-status": 5, "prohibition-add": 5, "prohibition-remove": 5,
        "requirement-create": 5, "breach-create": 5, "support-plan-create": 4, "support-plan-edit": 5,
        "notifiable-change-create": 4, "notifiable-change-edit": 5}


def test_order_form_pages_read_a_pinned_number_of_queries(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    change = record_notifiable_change(order, by=spo.officer, kind="name_change", changed_on=timezone.localdate())
    plan_case = CaseFactory(participants=[spo.police, spo.advocacy])
    plan = make_plan(spo.case, spo.advocacy, spo.advocate)
    police, advocate = web(spo.officer), web(spo.advocate)
    pages = {
        "order-create": (police, f"/cases/{spo.case.pk}/orders/new/"),
        "order-edit": (police, f"/orders/{order.pk}/edit/"),
        "order-status": (police, f"/orders/{order.pk}/status/"),
        "prohibition-add": (police, f"/orders/{order.pk}/prohibitions/new/"),
        "prohibition-remove": (police, f"/orders/{order.pk}/prohibitions/0/remove/"),
        "requirement-create": (police, f"/orders/{order.pk}/requirements/new/"),
        "breach-create": (advocate, f"/orders/{order.pk}/breaches/new/"),
        "support-plan-create": (advocate, f"/cases/{plan_case.pk}/support-plan/new/"),
        "support-plan-edit": (advocate, f"/support-plans/{plan.pk}/edit/"),
        "notifiable-change-create": (police, f"/orders/{order.pk}/notifiable-changes/new/"),
        "notifiable-change-edit": (police, f"/notifiable-changes/{change.pk}/"),
    }

    def grow():
        for _ in range(3):
            make_order(spo.case, spo.police, spo.officer)
            make_requirement(order, make_agency())
            make_breach(order)
            make_spo_request(spo.case, spo.advocacy, spo.advocate)
            record_notifiable_change(order, by=spo.officer, kind="address_change", changed_on=timezone.localdate())

    assert_pinned(pages, PINS, grow)
