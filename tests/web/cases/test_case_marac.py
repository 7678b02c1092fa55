"""A deployment can run several MARACs: the case page names the one the case belongs to."""

import pytest

from marac.agencies.models import AgencyKind, Role
from tests.factories import CaseFactory, make_agency, make_marac, make_user

pytestmark = pytest.mark.django_db


def marac_row(html: str) -> str:
    start = html.index('data-testid="case-marac"')
    return html[html.index(">", start) + 1:html.index("</dd>", start)]


def test_the_case_page_names_the_cases_marac(web):
    eastshire = make_marac("Eastshire MARAC")
    police = make_agency(AgencyKind.POLICE)
    case = CaseFactory(participants=[police], marac=eastshire)
    html = web(make_user(police)).get(f"/cases/{case.pk}/").content.decode()
    assert '<dt class="govuk-summary-list__key">MARAC</dt>' in html
    assert marac_row(html) == "Eastshire MARAC"


def test_a_coordinator_serving_two_maracs_sees_which_one_a_case_belongs_to(web):
    north, south = make_marac("Northshire MARAC"), make_marac("Southshire MARAC")
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[north, south])
    client = web(coordinator)
    for marac in (north, south):
        case = CaseFactory(marac=marac)
        assert marac_row(client.get(f"/cases/{case.pk}/").content.decode()) == marac.name
