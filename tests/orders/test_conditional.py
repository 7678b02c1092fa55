"""ETag on single objects and If-Match on PATCH (API.md conventions)."""

import pytest

from tests.orders.factories import make_breach, make_order, make_plan, make_requirement

pytestmark = pytest.mark.django_db


def objects(spo):
    order = make_order(spo.case, spo.police, spo.officer)
    requirement = make_requirement(order, spo.provider)
    return [
        (spo.officer, f"/api/v1/orders/{order.pk}/", {"court": "Annexe"}),
        (spo.provider_worker, f"/api/v1/requirements/{requirement.pk}/", {"status": "scheduled"}),
        (spo.officer, f"/api/v1/breaches/{make_breach(order).pk}/", {"status": "investigating"}),
        (spo.advocate, f"/api/v1/support-plans/{make_plan(spo.case, spo.advocacy, spo.advocate).pk}/",
         {"goals": "Move house."}),
    ]


def test_a_change_gives_a_new_etag_and_a_stale_if_match_is_412(api, spo):
    for user, url, change in objects(spo):
        client = api(user)
        first = client.get(url)
        etag = first["ETag"]
        assert etag
        changed = client.patch(url, change, format="json", HTTP_IF_MATCH=etag)
        assert changed.status_code == 200, (url, changed.content)
        assert changed["ETag"] != etag
        assert client.get(url)["ETag"] == changed["ETag"]
        stale = client.patch(url, change, format="json", HTTP_IF_MATCH=etag)
        assert stale.status_code == 412, url
        assert client.get(url).json() == changed.json()  # nothing written


def test_the_etag_is_the_same_for_every_caller(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    requirement = make_requirement(order, spo.provider, notes="private")
    url = f"/api/v1/requirements/{requirement.pk}/"
    assert api(spo.provider_worker).get(url)["ETag"] == api(spo.housing_officer).get(url)["ETag"]
