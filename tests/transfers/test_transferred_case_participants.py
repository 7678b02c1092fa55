"""Issue 12: after a transfer "Participants stay; the receiving coordinator can change
them": through the API, the receiving MARAC's coordinator adds and removes agencies on
the case it accepted, and the sending MARAC's coordinator no longer can."""

import pytest

from marac.agencies.models import AgencyKind
from marac.cases.participants import participant_agencies
from marac.transfers.services import accept_transfer, request_transfer
from tests.factories import make_agency

pytestmark = pytest.mark.django_db


def transferred(world):
    transfer = request_transfer(world.case, to_marac=world.south, reason="moved_permanently",
                                by=world.north_coordinator)
    accept_transfer(transfer, by=world.south_coordinator, meeting=world.south_meeting)
    return world.case


def on_case(case) -> set[int]:
    return set(participant_agencies(case).values_list("pk", flat=True))


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
