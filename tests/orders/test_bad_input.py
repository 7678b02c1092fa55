"""Never 500 for bad input: every writable field of every write endpoint, fed junk."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from marac.dates import anniversary
from marac.orders.models import Order
from marac.orders.services import check_order, minimum_last_day
from tests.orders.factories import make_breach, make_order, make_plan, make_requirement

pytestmark = pytest.mark.django_db

JUNK = [None, "", "x", -1, 10**12, [], {}, [None], ["x"], [{}], True, "2025-13-40", "2025-03-10T25:00"]
ORDER_FIELDS = ["status", "main_order", "applied_on", "granted_on", "served_on", "expires_on", "notified_on",
                "prohibitions", "discharge_consent", "discharged_on"]


def test_junk_in_any_field_is_never_a_server_error(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    req = make_requirement(order, spo.provider)
    breach = make_breach(order)
    plan = make_plan(spo.case, spo.advocacy, spo.advocate)
    plan_fields = ["needs", "safety_measures", "goals", "next_review", "status"]
    targets = [
        (spo.officer, "post", "/api/v1/orders/",
         [*ORDER_FIELDS, "case", "kind", "source", "court", "decision_reason", "sex_offender_register_exempt"]),
        (spo.officer, "patch", f"/api/v1/orders/{order.pk}/", ORDER_FIELDS),
        (spo.officer, "post", f"/api/v1/orders/{order.pk}/requirements/",
         ["kind", "description", "responsible_agency", "due_date"]),
        (spo.provider_worker, "patch", f"/api/v1/requirements/{req.pk}/", ["status", "notes"]),
        (spo.provider_worker, "post", f"/api/v1/requirements/{req.pk}/events/", ["kind", "occurred_on", "details"]),
        (spo.advocate, "post", f"/api/v1/orders/{order.pk}/breaches/", ["occurred_at", "description"]),
        (spo.officer, "patch", f"/api/v1/breaches/{breach.pk}/", ["status", "police_response"]),
        (spo.advocate, "post", "/api/v1/support-plans/", ["case", *plan_fields]),
        (spo.advocate, "patch", f"/api/v1/support-plans/{plan.pk}/", plan_fields),
    ]
    bad = []
    rejected = 0
    for user, method, url, fields in targets:
        client = api(user)
        for field in fields:
            for junk in JUNK:
                payload = {"case": spo.case.pk, "kind": "full"} if url == "/api/v1/orders/" else {}
                payload[field] = junk
                response = getattr(client, method)(url, payload, format="json")
                if response.status_code >= 500:
                    bad.append((url, field, junk, response.status_code))
                rejected += response.status_code == 400
        for raw in ("[]", "null", "5", '"x"'):
            response = getattr(client, method)(url, raw, content_type="application/json")
            if response.status_code >= 500:
                bad.append((url, raw, response.status_code))
    assert bad == []
    assert rejected > 500  # the junk was really refused, not accepted


# ---- Dates near the end of the calendar, and dates that cannot have happened yet ------

FAR_FUTURE = {"status": "granted", "granted_on": "9998-06-01", "expires_on": "9999-12-31", "served_on": "9999-12-31"}


def test_an_order_dated_near_year_9999_is_400_not_an_overflow(api, spo):
    response = api(spo.officer).post("/api/v1/orders/", {"case": spo.case.pk, "kind": "full", **FAR_FUTURE},
                                     format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"granted_on", "expires_on", "served_on"}
    assert response.json()["expires_on"] == ["Enter a date no later than 2100-12-31."]
    assert not Order.objects.exists()


def test_changing_an_order_to_dates_near_year_9999_is_400_and_changes_nothing(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    response = api(spo.officer).patch(f"/api/v1/orders/{order.pk}/", FAR_FUTURE, format="json")
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.expires_on is None and order.served_on is None


@pytest.mark.parametrize("field", ["applied_on", "granted_on", "served_on", "notified_on"])
def test_an_order_cannot_record_what_has_not_happened_yet(api, spo, field):
    tomorrow = timezone.localdate() + timedelta(days=1)
    made = timezone.localdate() - timedelta(days=30)
    dates = {"status": "granted", "applied_on": made, "granted_on": made, "served_on": made, "notified_on": made}
    dates[field] = tomorrow
    if field in ("applied_on", "granted_on"):  # keep the other rules' order of dates
        dates.update({later: tomorrow for later in ["granted_on", "served_on", "notified_on"][
            ["applied_on", "granted_on"].index(field):]})
    payload = {"case": spo.case.pk, "kind": "full", **{k: str(v) for k, v in dates.items()}}
    response = api(spo.officer).post("/api/v1/orders/", payload, format="json")
    assert response.status_code == 400
    assert f"{field} cannot be in the future" in response.json()[field][0]
    assert not Order.objects.exists()


def test_expiry_and_discharge_may_be_in_the_future(api, spo):
    made = timezone.localdate() - timedelta(days=30)
    response = api(spo.officer).post("/api/v1/orders/", {
        "case": spo.case.pk, "kind": "full", "status": "granted", "granted_on": str(made),
        "expires_on": str(minimum_last_day(made))}, format="json")
    assert response.status_code == 201, response.content


def test_order_date_arithmetic_cannot_overflow_near_year_9999(spo):
    """Rows written before the API refused such dates (or by a script) still read and
    check without an OverflowError."""
    assert anniversary(date(9998, 6, 1), 2) == date.max
    assert anniversary(date(9996, 2, 29), 2) == date(9998, 3, 1)
    assert minimum_last_day(date(9998, 6, 1)) == date(9999, 12, 30)
    order = Order.objects.create(case=spo.case, agency=spo.police, created_by=spo.officer, kind="full",
                                 status="granted", granted_on=date(9998, 6, 1), served_on=date.max)
    assert order.notification_due == date.max
    order.expires_on = date.max
    check_order(order, today=date.max)  # no rule broken, nothing raised
