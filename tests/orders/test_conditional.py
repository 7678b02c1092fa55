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


def test_hidden_notes_never_feed_a_status_only_viewers_etag(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    requirement = make_requirement(order, spo.provider, notes="private")
    url = f"/api/v1/requirements/{requirement.pk}/"
    viewer, provider = api(spo.housing_officer), api(spo.provider_worker)
    before = {"viewer": viewer.get(url)["ETag"], "provider": provider.get(url)["ETag"]}
    # Only the hidden field differs (an UPDATE that leaves every visible field alone).
    type(requirement).objects.filter(pk=requirement.pk).update(notes="missed the second session")
    assert viewer.get(url)["ETag"] == before["viewer"]
    assert provider.get(url)["ETag"] != before["provider"]
