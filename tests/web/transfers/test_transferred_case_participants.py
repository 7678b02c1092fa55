"""Issue 12: after a transfer "Participants stay; the receiving coordinator can change
them", in the web app: the receiving MARAC's coordinator adds an agency from the case
page and removes one through its confirmation page; the sending one gets Page not found."""

import pytest

from marac.agencies.models import AgencyKind
from marac.audit.models import AuditEvent
from tests.factories import make_agency
from tests.transfers.conftest import on_case, transferred

pytestmark = pytest.mark.django_db


def test_the_receiving_coordinator_adds_and_removes_participants_in_the_web(web, world):
    case = transferred(world)
    health = make_agency(AgencyKind.HEALTH, "Northshire Health")
    south = web(world.south_coordinator)
    page = south.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/participants/"' in page  # the add form is offered
    assert f'href="/cases/{case.pk}/participants/{world.housing.pk}/remove/"' in page
    added = south.post(f"/cases/{case.pk}/participants/", {"agency": health.pk})
    assert added.status_code == 302 and added["Location"] == f"/cases/{case.pk}/#participants"
    assert south.get(f"/cases/{case.pk}/participants/{world.housing.pk}/remove/").status_code == 200
    removed = south.post(f"/cases/{case.pk}/participants/{world.housing.pk}/remove/")
    assert removed.status_code == 302
    assert on_case(case) == {world.police.pk, world.advocacy.pk, health.pk}
    assert AuditEvent.objects.filter(user_id=world.south_coordinator.pk, object_type="case",
                                     object_id=str(case.pk), action="update").count() == 2


def test_the_sending_coordinator_gets_page_not_found(web, world):
    case = transferred(world)
    north = web(world.north_coordinator)
    response = north.post(f"/cases/{case.pk}/participants/", {"agency": make_agency(AgencyKind.HEALTH).pk})
    assert response.status_code == 404 and "Page not found" in response.content.decode()
    assert north.post(f"/cases/{case.pk}/participants/{world.housing.pk}/remove/").status_code == 404
    assert on_case(case) == {world.police.pk, world.advocacy.pk, world.housing.pk}
