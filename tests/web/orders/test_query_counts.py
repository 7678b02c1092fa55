"""Every page of the orders area renders in a pinned number of queries, whatever the
number of requirements, compliance events, breaches, orders or plans it lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marac.orders.services import record_notifiable_change
from tests.factories import CaseFactory
from tests.orders.factories import (
    make_breach,
    make_event,
    make_order,
    make_plan,
    make_requirement,
)

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(spo, order, plan_cases):
    requirement = make_requirement(order, spo.provider, notes="n")
    make_event(requirement)
    make_breach(order)
    record_notifiable_change(order, by=spo.officer, kind="address_change", changed_on=timezone.localdate())
    make_order(spo.case, spo.police, spo.officer)
    plan_case = CaseFactory(participants=[spo.advocacy])
    plan_cases.append(make_plan(plan_case, spo.advocacy, spo.advocate))


# Pinned: session and user, membership, the slice (one subquery per read), the page's own
# rows (one query per related list), the per-row choices (one query each), the audit INSERT.
# order_detail: +4 for the notifiable changes (may view them, the rows, may record the
# notification per row, may record a change).
PINNED = {"order_detail": 21, "order_list": 10, "order_history": 10, "requirement_detail": 14,
          "requirement_list": 10, "breach_detail": 10, "plan_list": 10, "plan_detail": 10}


def test_pages_cost_the_same_for_one_row_or_many(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    plans = []
    grow(spo, order, plans)
    requirement = order.requirements.first()
    breach = order.breaches.first()
    police, provider, advocate = web(spo.officer), web(spo.provider_worker), web(spo.advocate)
    pages = {
        "order_detail": (police, f"/orders/{order.pk}/"),
        "order_list": (police, "/orders/"),
        "order_history": (police, f"/orders/{order.pk}/history/"),
        "requirement_detail": (provider, f"/requirements/{requirement.pk}/"),
        "requirement_list": (provider, "/requirements/"),
        "breach_detail": (police, f"/breaches/{breach.pk}/"),
        "plan_list": (advocate, "/support-plans/"),
        "plan_detail": (advocate, f"/support-plans/{plans[0].pk}/"),
    }
    before = {name: queries(client, url) for name, (client, url) in pages.items()}
    for _ in range(4):
        grow(spo, order, plans)
    for _ in range(3):
        make_event(requirement)
    after = {name: queries(client, url) for name, (client, url) in pages.items()}
    assert after == before
    assert {name: count for name, count in after.items() if count > PINNED[name]} == {}, after
