"""List query counts are pinned: the same for 2 visible rows as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marac.orders.models import Order
from tests.orders.factories import make_breach, make_event, make_order, make_plan, make_requirement

pytestmark = pytest.mark.django_db


def seed(spo, n):
    """N orders, N requirements (half the provider's, half health's, with events), N
    breaches and N support plans on the case."""
    for i in range(n):
        order = make_order(spo.case, spo.police, spo.officer)
        requirement = make_requirement(order, spo.provider if i % 2 else spo.health, notes="private")
        make_event(requirement)
        make_breach(order, spo.advocacy, spo.advocate)
        make_plan(spo.case, spo.advocacy, spo.advocate)
    return Order.objects.order_by("id").first()


def lists(spo, order):
    return [
        ("orders", spo.officer, "/api/v1/orders/"),
        ("orders/housing", spo.housing_officer, "/api/v1/orders/"),
        ("orders/chair", spo.chair, "/api/v1/orders/"),
        ("requirements/police", spo.officer, "/api/v1/requirements/"),
        ("requirements/health", spo.health_worker, "/api/v1/requirements/"),
        ("requirements/provider", spo.provider_worker, "/api/v1/requirements/"),
        ("requirements/chair", spo.chair, "/api/v1/requirements/"),
        ("requirements/case", spo.housing_officer, f"/api/v1/requirements/?case={spo.case.pk}"),
        ("breaches", spo.housing_officer, "/api/v1/breaches/"),
        ("support-plans", spo.advocate, "/api/v1/support-plans/"),
    ]


def counts(api, spo, n):
    order = seed(spo, n)
    result = {}
    for name, user, url in lists(spo, order):
        client = api(user)
        client.get("/api/v1/me/")  # warm the token
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (name, response.content)
        assert len(response.json()["results"]) >= (n // 2 if "provider" in name or "health" in name else n), name
        result[name] = len(ctx.captured_queries)
    return result


# Token with user and membership (1), COUNT (1), page (1), the page's audit events (1,
# one bulk INSERT); for requirements also the
# events prefetch (1) and the per-row serializer choice (1: `allowed_ids` for
# view_notes, run whenever a view_notes grant applies to the caller's role and kind;
# the chair here is a police chair).
PINNED = {
    "orders": 4, "orders/housing": 4, "orders/chair": 4,
    "requirements/police": 6, "requirements/health": 6, "requirements/provider": 6, "requirements/chair": 6,
    "requirements/case": 6, "breaches": 4, "support-plans": 4,
}


def test_list_query_counts_are_pinned_for_2_rows(api, spo):
    assert counts(api, spo, 2) == PINNED


def test_list_query_counts_are_pinned_for_50_rows(api, spo):
    assert counts(api, spo, 50) == PINNED


@pytest.mark.parametrize("nested", ["requirements", "breaches"])
def test_nested_list_query_counts_are_the_same_for_2_and_50_rows(api, spo, nested):
    order = make_order(spo.case, spo.police, spo.officer)

    def add(n):
        for i in range(n):
            if nested == "requirements":
                make_event(make_requirement(order, spo.provider if i % 2 else spo.health, notes="private"))
            else:
                make_breach(order, spo.advocacy, spo.advocate)

    def measure(user, rows):
        client = api(user)
        client.get("/api/v1/me/")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/orders/{order.pk}/{nested}/")
        assert len(response.json()["results"]) == rows
        return len(ctx.captured_queries)

    add(2)
    few = [measure(user, 2) for user in (spo.officer, spo.health_worker, spo.housing_officer)]
    add(48)
    many = [measure(user, 50) for user in (spo.officer, spo.health_worker, spo.housing_officer)]
    assert few == many
