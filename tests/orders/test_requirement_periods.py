"""Positive requirements have their own period, within the order's, as prohibitions do."""

from datetime import date

import pytest

from marac.orders.models import Requirement
from tests.orders.factories import make_order

pytestmark = pytest.mark.django_db


def add(api, spo, order, **fields):
    body = {"kind": "intervention_programme", "responsible_agency": spo.provider.pk}
    body.update(fields)
    return api(spo.officer).post(f"/api/v1/orders/{order.pk}/requirements/", body, format="json")


def test_a_requirement_has_its_own_period_within_the_orders(api, spo):
    order = make_order(spo.case, spo.police, spo.officer, expires_on=date(2027, 3, 9))  # granted 2025-03-10
    response = add(api, spo, order, starts_on="2025-04-01", ends_on="2025-10-01")
    assert response.status_code == 201, response.content
    assert (response.json()["starts_on"], response.json()["ends_on"]) == ("2025-04-01", "2025-10-01")
    seen = api(spo.housing_officer).get(f"/api/v1/requirements/{response.json()['id']}/").json()
    assert (seen["starts_on"], seen["ends_on"]) == ("2025-04-01", "2025-10-01")
    whole = add(api, spo, order)
    assert whole.status_code == 201 and (whole.json()["starts_on"], whole.json()["ends_on"]) == (None, None)


def test_a_requirement_period_outside_the_orders_is_400(api, spo):
    order = make_order(spo.case, spo.police, spo.officer, expires_on=date(2027, 3, 9))
    early = add(api, spo, order, starts_on="2025-03-09")
    assert early.status_code == 400 and "before the order was made" in early.json()["starts_on"][0]
    late = add(api, spo, order, ends_on="2027-03-10")
    assert late.status_code == 400 and "outlast the order" in late.json()["ends_on"][0]
    backwards = add(api, spo, order, starts_on="2025-06-01", ends_on="2025-05-01")
    assert backwards.status_code == 400 and "Dates out of order" in backwards.json()["ends_on"][0]
    assert not Requirement.objects.exists()


def test_a_requirement_of_an_order_until_further_order_may_run_on(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)  # until further order
    assert add(api, spo, order, starts_on="2025-03-10", ends_on="2035-01-01").status_code == 201
