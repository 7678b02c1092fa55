"""Orders a court makes on conviction or acquittal (Crime and Policing Act 2026) are
recorded as made: granted, full, with the conviction or acquittal date and the court."""

import pytest

from marac.orders.models import Order

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/orders/"


def court_body(spo, **fields):
    data = {"case": spo.case.pk, "kind": "full", "source": "court_on_conviction", "status": "granted",
            "conviction_or_acquittal_on": "2025-03-03", "granted_on": "2025-03-10",
            "court": "Northshire Crown Court", "prohibitions": ["No contact with the victim by any means."]}
    data.update(fields)
    return data


@pytest.mark.parametrize("source", ["court_on_conviction", "court_on_acquittal"])
def test_a_court_made_order_is_recorded_as_made_with_the_date_and_the_court(api, spo, source):
    response = api(spo.officer).post(ORDERS, court_body(spo, source=source), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["source"], data["status"], data["kind"]) == (source, "granted", "full")
    assert (data["conviction_or_acquittal_on"], data["court"]) == ("2025-03-03", "Northshire Crown Court")


@pytest.mark.parametrize("status", ["considering", "applied", "declined"])
def test_a_court_made_order_starts_granted(api, spo, status):
    response = api(spo.officer).post(ORDERS, court_body(spo, status=status, granted_on=None, decision_reason="x"),
                                     format="json")
    assert response.status_code == 400
    assert "starts granted" in response.json()["status"][0]
    assert not Order.objects.exists()


def test_a_court_made_order_is_a_full_order(api, spo):
    response = api(spo.officer).post(ORDERS, court_body(spo, kind="interim", expires_on="2025-06-10"), format="json")
    assert response.status_code == 400
    assert "full order" in response.json()["kind"][0]


def test_a_court_made_order_needs_the_conviction_or_acquittal_date_and_the_court(api, spo):
    response = api(spo.officer).post(ORDERS, court_body(spo, conviction_or_acquittal_on=None, court=""),
                                     format="json")
    assert response.status_code == 400
    assert "conviction or acquittal" in response.json()["conviction_or_acquittal_on"][0]
    assert "court" in response.json()["court"][0]
    before = api(spo.officer).post(ORDERS, court_body(spo, conviction_or_acquittal_on="2025-03-11"), format="json")
    assert before.status_code == 400 and "Dates out of order" in before.json()["granted_on"][0]
    applied = api(spo.officer).post(ORDERS, court_body(spo, applied_on="2025-03-01"), format="json")
    assert applied.status_code == 400 and "no police application" in applied.json()["applied_on"][0]
    assert not Order.objects.exists()


def test_a_police_application_records_no_conviction_or_acquittal_date(api, spo):
    response = api(spo.officer).post(ORDERS, court_body(spo, source="police_application", applied_on="2025-02-18"),
                                     format="json")
    assert response.status_code == 400
    assert "Only an order made by a court" in response.json()["conviction_or_acquittal_on"][0]
