import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from marac.orders.models import Order, Requirement
from marac.support.models import SupportPlan

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_an_order_a_requirement_and_a_support_plan(api):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    order = Order.objects.get(status="granted")
    assert order.status == "granted" and len(order.prohibitions) == 3
    requirement = Requirement.objects.get()
    plan = SupportPlan.objects.get()
    users = {u.username: u for u in get_user_model().objects.all()}
    provider = api(users["intervention"])
    assert [r["id"] for r in provider.get("/api/v1/requirements/").json()["results"]] == [requirement.pk]
    assert provider.get(f"/api/v1/cases/{order.case_id}/").status_code == 404
    assert api(users["advocate"]).get(f"/api/v1/support-plans/{plan.pk}/").status_code == 200
    assert api(users["police"]).get(f"/api/v1/support-plans/{plan.pk}/").status_code == 404
    assert api(users["housing"]).get(f"/api/v1/orders/{order.pk}/").json()["prohibitions"][0]["text"]
