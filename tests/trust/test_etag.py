"""Optimistic concurrency: ETag on single-object reads, 412 on a stale If-Match."""

import pytest

from marac.agencies.models import AgencyKind, Role
from marac.cases.models import Case
from tests.factories import CaseFactory, make_agency, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)


def test_a_single_object_get_returns_an_etag_stable_until_the_object_changes(api, coordinator):
    case = CaseFactory()
    client = api(coordinator)
    first = client.get(f"/api/v1/cases/{case.pk}/")
    assert first.status_code == 200 and first["ETag"].startswith('"')
    assert client.get(f"/api/v1/cases/{case.pk}/")["ETag"] == first["ETag"]
    patched = client.patch(f"/api/v1/cases/{case.pk}/", {"summary": "Moved address."}, HTTP_IF_MATCH=first["ETag"])
    assert patched.status_code == 200, patched.content
    assert patched["ETag"] != first["ETag"]
    assert client.get(f"/api/v1/cases/{case.pk}/")["ETag"] == patched["ETag"]


def test_a_change_to_a_nested_row_changes_the_etag(api, coordinator):
    case = CaseFactory()
    client = api(coordinator)
    before = client.get(f"/api/v1/cases/{case.pk}/")["ETag"]
    case.victim.postcode = "ZZ9 9ZZ"
    case.victim.save()
    assert client.get(f"/api/v1/cases/{case.pk}/")["ETag"] != before


def test_a_stale_if_match_is_412_and_changes_nothing(api, coordinator):
    case = CaseFactory(summary="original")
    client = api(coordinator)
    etag = client.get(f"/api/v1/cases/{case.pk}/")["ETag"]
    assert client.patch(f"/api/v1/cases/{case.pk}/", {"summary": "first"}, HTTP_IF_MATCH=etag).status_code == 200
    stale = client.patch(f"/api/v1/cases/{case.pk}/", {"summary": "second"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Case.objects.get(pk=case.pk).summary == "first"


def test_if_match_accepts_a_list_weak_tags_and_star(api, coordinator):
    case = CaseFactory()
    client = api(coordinator)
    etag = client.get(f"/api/v1/cases/{case.pk}/")["ETag"]
    assert client.patch(f"/api/v1/cases/{case.pk}/", {"stalking": True},
                        HTTP_IF_MATCH=f'"nope", W/{etag}').status_code == 200
    assert client.patch(f"/api/v1/cases/{case.pk}/", {"stalking": False}, HTTP_IF_MATCH="*").status_code == 200


def test_without_if_match_a_patch_still_applies(api, coordinator):
    case = CaseFactory()
    assert api(coordinator).patch(f"/api/v1/cases/{case.pk}/", {"status": "closed"}).status_code == 200
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_if_match_is_checked_only_after_the_slice_so_outsiders_still_get_404(api):
    police = make_agency(AgencyKind.POLICE)
    case = CaseFactory()
    response = api(make_user(police)).patch(f"/api/v1/cases/{case.pk}/", {"status": "closed"}, HTTP_IF_MATCH='"x"')
    assert response.status_code == 404


def test_only_coordinators_change_a_case(api):
    police = make_agency(AgencyKind.POLICE)
    case = CaseFactory(participants=[police])
    assert api(make_user(police, Role.MANAGER)).patch(f"/api/v1/cases/{case.pk}/", {"status": "closed"}).status_code == 403
    chair = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.CHAIR)
    assert api(chair).patch(f"/api/v1/cases/{case.pk}/", {"status": "closed"}).status_code == 403
    assert Case.objects.get(pk=case.pk).status == "open"


def test_a_bad_patch_is_400_and_writes_nothing(api, coordinator):
    case = CaseFactory()
    client = api(coordinator)
    assert client.patch(f"/api/v1/cases/{case.pk}/", {"status": "archived"}).status_code == 400
    assert client.patch(f"/api/v1/cases/{case.pk}/", {"reference": "X"}).status_code == 400
    assert Case.objects.get(pk=case.pk).status == "open"
