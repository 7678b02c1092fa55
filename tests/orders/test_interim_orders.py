"""Interim orders (SPA s.5): a fixed period, linked to the main application, ending on
the day that application is decided (granted, refused or withdrawn)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from marac.orders.models import Order, OrderStatus
from tests.orders.factories import make_order

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/orders/"
TODAY = timezone.localdate()


def applied(spo, **fields):
    values = dict(status="applied", granted_on=None, applied_on=date(2025, 2, 18))
    values.update(fields)
    return make_order(spo.case, spo.police, spo.officer, **values)


def interim_for(spo, main, **fields):
    values = dict(kind="interim", main_order=main, applied_on=date(2025, 2, 18), granted_on=date(2025, 2, 20),
                  expires_on=TODAY + timedelta(days=60))
    values.update(fields)
    return make_order(spo.case, spo.police, spo.officer, **values)


def interim_body(spo, **fields):
    data = {"case": spo.case.pk, "kind": "interim", "status": "granted", "applied_on": "2025-02-18",
            "granted_on": "2025-02-20", "expires_on": "2025-05-20", "court": "Northshire Magistrates' Court"}
    data.update(fields)
    return data


def test_an_interim_order_states_a_fixed_period(api, spo):
    main = applied(spo)
    response = api(spo.officer).post(ORDERS, interim_body(spo, main_order=main.pk, expires_on=None), format="json")
    assert response.status_code == 400
    assert "fixed period" in response.json()["expires_on"][0]
    assert api(spo.officer).post(ORDERS, interim_body(spo, main_order=main.pk), format="json").status_code == 201


def test_a_police_interim_order_is_linked_to_its_main_application(api, spo):
    response = api(spo.officer).post(ORDERS, interim_body(spo), format="json")
    assert response.status_code == 400
    assert "main application" in response.json()["main_order"][0]
    assert Order.objects.count() == 0


def test_an_interim_order_ends_on_the_day_the_main_application_is_decided(api, spo):
    main = applied(spo)
    interim = interim_for(spo, main)
    decided = TODAY - timedelta(days=5)  # recorded today, decided five days ago
    response = api(spo.officer).patch(f"{ORDERS}{main.pk}/", {"status": "refused", "decided_on": decided.isoformat(),
                                                             "decision_reason": "Not satisfied of the risk."},
                                      format="json")
    assert response.status_code == 200, response.content
    assert response.json()["decided_on"] == decided.isoformat()
    interim.refresh_from_db()
    assert (interim.status, interim.ended_on) == (OrderStatus.EXPIRED, decided)


def test_a_granted_application_is_decided_on_the_day_the_order_is_made(api, spo):
    main = applied(spo)
    interim = interim_for(spo, main)
    response = api(spo.officer).patch(f"{ORDERS}{main.pk}/", {"status": "granted", "granted_on": "2025-03-10"},
                                      format="json")
    assert response.status_code == 200, response.content
    assert response.json()["decided_on"] == "2025-03-10"
    interim.refresh_from_db()
    assert interim.ended_on == date(2025, 3, 10)
    other = applied(spo)
    mismatch = api(spo.officer).patch(f"{ORDERS}{other.pk}/", {"status": "granted", "granted_on": "2025-03-10",
                                                              "decided_on": "2025-03-09"}, format="json")
    assert mismatch.status_code == 400 and "granted_on" in mismatch.json()["decided_on"][0]


def test_correcting_the_grant_date_moves_the_decision_with_it(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)  # granted 2025-03-10
    response = api(spo.officer).patch(f"{ORDERS}{order.pk}/", {"granted_on": "2025-03-11"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["granted_on"], response.json()["decided_on"]) == ("2025-03-11", "2025-03-11")


def test_an_interim_order_that_expired_first_ends_on_its_own_period(api, spo):
    main = applied(spo)
    interim = interim_for(spo, main, expires_on=date(2025, 3, 1))
    decided = date(2025, 3, 20)
    assert api(spo.officer).patch(f"{ORDERS}{main.pk}/", {"status": "withdrawn", "decided_on": decided.isoformat()},
                                  format="json").status_code == 200
    interim.refresh_from_db()
    assert interim.ended_on == date(2025, 3, 2)  # the day after its last day: whichever is first


def test_a_main_application_may_be_withdrawn_which_ends_its_interim(api, spo):
    main = applied(spo)
    interim = interim_for(spo, main)
    response = api(spo.officer).patch(f"{ORDERS}{main.pk}/", {"status": "withdrawn"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["decided_on"]) == ("withdrawn", TODAY.isoformat())
    interim.refresh_from_db()
    assert (interim.status, interim.ended_on) == (OrderStatus.EXPIRED, TODAY)
    assert "withdrawn" in interim.end_reason
    # Withdrawn is final, and only an application is withdrawn.
    again = api(spo.officer).patch(f"{ORDERS}{main.pk}/", {"status": "applied"}, format="json")
    assert again.status_code == 400 and "final status" in again.json()["status"][0]
    granted = make_order(spo.case, spo.police, spo.officer)
    refused = api(spo.officer).patch(f"{ORDERS}{granted.pk}/", {"status": "withdrawn"}, format="json")
    assert refused.status_code == 400 and "Forbidden transition granted -> withdrawn" in refused.json()["status"][0]


def test_decided_on_is_for_a_decided_application_and_not_before_it_was_made(api, spo):
    main = applied(spo)
    client = api(spo.officer)
    undecided = client.patch(f"{ORDERS}{main.pk}/", {"decided_on": "2025-03-01"}, format="json")
    assert undecided.status_code == 400 and "decided application" in undecided.json()["decided_on"][0]
    early = client.patch(f"{ORDERS}{main.pk}/", {"status": "withdrawn", "decided_on": "2025-02-01"}, format="json")
    assert early.status_code == 400 and "Dates out of order" in early.json()["decided_on"][0]
    main.refresh_from_db()
    assert (main.status, main.decided_on) == (OrderStatus.APPLIED, None)
