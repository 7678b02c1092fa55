"""Failing to notify (SPA s.9/s.11) is recorded as a breach kind alongside breaching a
prohibition or a positive requirement."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.orders.models import Breach
from tests.orders.factories import make_order, make_requirement

pytestmark = pytest.mark.django_db


def report(api, user, order, **fields):
    body = {"occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(), "description": "What happened."}
    body.update(fields)
    return api(user).post(f"/api/v1/orders/{order.pk}/breaches/", body, format="json")


def test_failing_to_notify_can_be_recorded_as_a_breach(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    response = report(api, spo.officer, order, kind="notification",
                      description="Moved address on 3 May and did not notify police.")
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "notification"
    assert api(spo.housing_officer).get(f"/api/v1/orders/{order.pk}/breaches/").json()["results"][0]["kind"] == (
        "notification")


def test_a_breach_is_of_a_prohibition_unless_told_otherwise(api, spo):
    response = report(api, spo.advocate, make_order(spo.case, spo.police, spo.officer))
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["requirement"]) == ("prohibition", None)


def test_a_requirement_breach_may_name_the_requirement(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    requirement = make_requirement(order, spo.provider)
    response = report(api, spo.officer, order, kind="requirement", requirement=requirement.pk,
                      description="Did not attend the programme.")
    assert response.status_code == 201, response.content
    assert (response.json()["kind"], response.json()["requirement"]) == ("requirement", requirement.pk)


def test_a_breach_names_only_a_requirement_of_its_own_order_and_only_as_a_requirement_breach(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    other_order = make_order(spo.case, spo.police, spo.officer)
    elsewhere = make_requirement(other_order, spo.provider)
    own = make_requirement(order, spo.provider)
    wrong_order = report(api, spo.officer, order, kind="requirement", requirement=elsewhere.pk)
    assert wrong_order.status_code == 400 and "this order" in wrong_order.json()["requirement"][0]
    missing = report(api, spo.officer, order, kind="requirement", requirement=999999)
    assert missing.json()["requirement"] == wrong_order.json()["requirement"]  # the same answer: nothing leaks
    wrong_kind = report(api, spo.officer, order, kind="prohibition", requirement=own.pk)
    assert wrong_kind.status_code == 400 and "kind requirement" in wrong_kind.json()["requirement"][0]
    unknown = report(api, spo.officer, order, kind="curfew")
    assert unknown.status_code == 400 and "kind" in unknown.json()
    assert not Breach.objects.exists()
