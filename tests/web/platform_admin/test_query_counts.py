"""The platform administrator's forms (a new agency, a new MARAC, a MARAC's settings)
read a pinned number of queries, whatever the number of agencies and MARACs."""

import pytest

from marac.agencies.models import AgencyKind
from marac.maracs.services import default_marac
from tests.factories import make_agency, make_marac, make_platform_admin
from tests.web.query_pins import assert_pinned

pytestmark = pytest.mark.django_db

# Session and user, the page's object (a MARAC) and nothing per row.
PINS = {"admin-agency-create": 2, "admin-marac-create": 2, "admin-marac-edit": 3}


def test_platform_forms_read_a_pinned_number_of_queries(web):
    client = web(make_platform_admin())
    pages = {"admin-agency-create": (client, "/platform/agencies/new/"),
             "admin-marac-create": (client, "/platform/maracs/new/"),
             "admin-marac-edit": (client, f"/platform/maracs/{default_marac().pk}/")}

    def grow():
        for _ in range(4):
            make_marac()
            make_agency(AgencyKind.HEALTH)

    assert_pinned(pages, PINS, grow)
