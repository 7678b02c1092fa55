"""Breaches: any participant reports, police respond, the response time is measured."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.orders.models import Breach
from tests.orders.factories import make_breach, make_order

pytestmark = pytest.mark.django_db


def test_any_participant_reports_a_breach(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    occurred = (timezone.now() - timedelta(hours=3)).isoformat()
    for user in (spo.advocate, spo.housing_officer, spo.officer):
        response = api(user).post(f"/api/v1/orders/{order.pk}/breaches/",
                                  {"occurred_at": occurred, "description": "Parked outside her flat."}, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "reported"
        assert response.json()["reporting_agency"] == user.membership.agency_id
    assert api(spo.other_officer).post(f"/api/v1/orders/{order.pk}/breaches/",
                                       {"occurred_at": occurred, "description": "x"}, format="json").status_code == 404
    seen = api(spo.housing_officer).get(f"/api/v1/orders/{order.pk}/breaches/").json()["results"]
    assert len(seen) == 3


def test_a_breach_cannot_be_before_the_order_was_made_or_in_the_future(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    url = f"/api/v1/orders/{order.pk}/breaches/"
    client = api(spo.advocate)
    before = client.post(url, {"occurred_at": "2025-03-09T12:00:00+00:00", "description": "x"}, format="json")
    assert before.status_code == 400 and "before the order was granted" in before.json()["occurred_at"][0]
    future = client.post(url, {"occurred_at": (timezone.now() + timedelta(days=1)).isoformat(), "description": "x"},
                         format="json")
    assert future.status_code == 400 and "future" in future.json()["occurred_at"][0]
    not_made = make_order(spo.case, spo.police, spo.officer, status="applied", granted_on=None)
    response = client.post(f"/api/v1/orders/{not_made.pk}/breaches/",
                           {"occurred_at": timezone.now().isoformat(), "description": "x"}, format="json")
    assert response.status_code == 400 and "not been made" in response.json()["occurred_at"][0]
    assert not Breach.objects.exists()


def test_police_respond_and_the_first_response_time_is_recorded(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    breach = make_breach(order, spo.advocacy, spo.advocate)
    Breach.objects.filter(pk=breach.pk).update(reported_at=timezone.now() - timedelta(hours=5))
    client = api(spo.officer)
    response = client.patch(f"/api/v1/breaches/{breach.pk}/",
                            {"status": "investigating", "police_response": "Officer attended; suspect arrested."},
                            format="json")
    assert response.status_code == 200, response.content
    first = response.json()
    assert first["first_response_at"] is not None
    assert 5 * 3600 - 60 <= first["response_seconds"] <= 5 * 3600 + 60
    later = client.patch(f"/api/v1/breaches/{breach.pk}/", {"status": "charged"}, format="json").json()
    assert later["first_response_at"] == first["first_response_at"]  # only the first response is timed
    # Everyone on the case sees the police respond.
    seen = api(spo.advocate).get(f"/api/v1/breaches/{breach.pk}/").json()
    assert (seen["status"], seen["police_response"]) == ("charged", "Officer attended; suspect arrested.")


def test_only_police_on_the_case_respond_to_a_breach(api, spo):
    breach = make_breach(make_order(spo.case, spo.police, spo.officer))
    url = f"/api/v1/breaches/{breach.pk}/"
    assert api(spo.advocate).patch(url, {"status": "charged"}, format="json").status_code == 403
    assert api(spo.chair).patch(url, {"status": "charged"}, format="json").status_code == 403
    assert api(spo.other_officer).patch(url, {"status": "charged"}, format="json").status_code == 404


def test_unknown_breach_status_is_400(api, spo):
    breach = make_breach(make_order(spo.case, spo.police, spo.officer))
    response = api(spo.officer).patch(f"/api/v1/breaches/{breach.pk}/", {"status": "closed"}, format="json")
    assert response.status_code == 400
    breach.refresh_from_db()
    assert breach.status == "reported" and breach.first_response_at is None
