"""A deployment can run several MARACs: the meeting page names the one that meets."""

import pytest

from marac.agencies.models import AgencyKind, Role
from tests.factories import make_agency, make_marac, make_user
from tests.meetings.helpers import make_meeting

pytestmark = pytest.mark.django_db


def marac_row(html: str) -> str:
    start = html.index('data-testid="meeting-marac"')
    return html[html.index(">", start) + 1:html.index("</dd>", start)]


def test_the_meeting_page_names_its_marac_for_a_coordinator_serving_several(web):
    north, south = make_marac("Northshire MARAC"), make_marac("Southshire MARAC")
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[north, south])
    client = web(coordinator)
    for marac in (north, south):
        meeting = make_meeting(marac=marac, coordinator=coordinator,
                               chair=make_user(make_agency(AgencyKind.POLICE), Role.CHAIR, maracs=[marac]))
        html = client.get(f"/meetings/{meeting.pk}/").content.decode()
        assert '<dt class="govuk-summary-list__key">MARAC</dt>' in html
        assert marac_row(html) == marac.name
