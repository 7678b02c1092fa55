"""Issue 12: after a transfer "Participants stay; the receiving coordinator can change
them": through the API, the receiving MARAC's coordinator adds and removes agencies on
the case it accepted, and the sending MARAC's coordinator no longer can."""

import pytest

from marac.agencies.models import AgencyKind
from tests.factories import make_agency
from tests.transfers.conftest import on_case, transferred

pytestmark = pytest.mark.django_db


def test_the_receiving_coordinator_changes_the_participants_through_the_api(api, world):
    case = transferred(world)
    assert on_case(case) == {world.police.pk, world.advocacy.pk, world.housing.pk}  # they stayed
    health = make_agency(AgencyKind.HEALTH)
    south = api(world.south_coordinator)
    added = south.post(f"/api/v1/cases/{case.pk}/participants/", {"agency": health.pk}, format="json")
    assert added.status_code == 201, added.content
    removed = south.delete(f"/api/v1/cases/{case.pk}/participants/{world.housing.pk}/")
    assert removed.status_code in (200, 204), removed.content
    assert on_case(case) == {world.police.pk, world.advocacy.pk, health.pk}
    # The housing officer lost the case with the grant; the health agency's staff reach it.
    assert api(world.housing_officer).get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_the_sending_coordinator_can_no_longer_change_them(api, world):
    case = transferred(world)
    north = api(world.north_coordinator)
    response = north.post(f"/api/v1/cases/{case.pk}/participants/",
                          {"agency": make_agency(AgencyKind.HEALTH).pk}, format="json")
    assert response.status_code == 404
    assert north.delete(f"/api/v1/cases/{case.pk}/participants/{world.housing.pk}/").status_code == 404
    assert on_case(case) == {world.police.pk, world.advocacy.pk, world.housing.pk}
