"""Never 500 for bad input: every writable field of every write endpoint, fed junk."""

import pytest

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
