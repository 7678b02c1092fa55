"""Never 500 for bad input: every writable field of every write endpoint, fed junk."""

import pytest
from tests.orders.factories import make_order, make_requirement, make_breach, make_plan
pytestmark = pytest.mark.django_db
JUNK = [None, "", "x", -1, 10**12, [], {}, [None], ["x"], [{}], True, "2025-13-40", "2025-03-10T25:00"]
def test_junk_in_any_field_is_never_a_server_error(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    req = make_requirement(order, spo.provider)
    breach = make_breach(order)
    plan = make_plan(spo.case, spo.advocacy, spo.advocate)
    targets = [
        (spo.officer, "post", "/api/v1/orders/", ["case","kind","status","main_order","applied_on","granted_on","served_on","expires_on","notified_on","sex_offender_register_exempt","court","prohibitions","decision_reason","discharge_consent","discharged_on","source"]),
        (spo.officer, "patch", f"/api/v1/orders/{order.pk}/", ["status","main_order","applied_on","granted_on","served_on","expires_on","notified_on","prohibitions","discharge_consent","discharged_on"]),
        (spo.officer, "post", f"/api/v1/orders/{order.pk}/requirements/", ["kind","description","responsible_agency","due_date"]),
        (spo.provider_worker, "patch", f"/api/v1/requirements/{req.pk}/", ["status","notes"]),
        (spo.provider_worker, "post", f"/api/v1/requirements/{req.pk}/events/", ["kind","occurred_on","details"]),
        (spo.advocate, "post", f"/api/v1/orders/{order.pk}/breaches/", ["occurred_at","description"]),
        (spo.officer, "patch", f"/api/v1/breaches/{breach.pk}/", ["status","police_response"]),
        (spo.advocate, "post", "/api/v1/support-plans/", ["case","needs","safety_measures","goals","next_review","status"]),
        (spo.advocate, "patch", f"/api/v1/support-plans/{plan.pk}/", ["needs","safety_measures","goals","next_review","status"]),
    ]
    bad = []
    rejected = 0
    for user, method, url, fields in targets:
        c = api(user)
        for f in fields:
            for j in JUNK:
                base = {"case": spo.case.pk, "kind": "full"} if url == "/api/v1/orders/" else {}
                base[f] = j
                r = getattr(c, method)(url, base, format="json")
                if r.status_code >= 500:
                    bad.append((url, f, j, r.status_code))
                rejected += r.status_code == 400
        for raw in ("[]", "null", "5", '"x"'):
            r = getattr(c, method)(url, raw, content_type="application/json")
            if r.status_code >= 500:
                bad.append((url, raw, r.status_code))
    assert bad == []
    assert rejected > 500  # the junk was really refused, not accepted
