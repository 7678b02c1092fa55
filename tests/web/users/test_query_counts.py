"""A manager's user pages (add a person, one person's account) and the platform
administrator's directory forms read a pinned number of queries, whatever the agency's
size or the number of MARACs and agencies."""

import pytest

from marac.agencies.models import AgencyKind, Role
from tests.factories import make_agency, make_marac, make_platform_admin, make_user
from tests.web.query_pins import assert_pinned

pytestmark = pytest.mark.django_db

# Session and user, membership, the slice (the account, the role limit), the form's
# choices (agencies, MARACs: one query each).
PINS = {"user-create": 2, "user-detail": 4, "admin-user-detail": 3}


def test_user_pages_read_a_pinned_number_of_queries(web):
    agency = make_agency()
    manager = make_user(agency, Role.MANAGER)
    person = make_user(agency)
    client, admin = web(manager), web(make_platform_admin())
    pages = {"user-create": (client, "/users/new/"), "user-detail": (client, f"/users/{person.pk}/"),
             "admin-user-detail": (admin, f"/users/{person.pk}/")}

    def grow():
        for _ in range(4):
            make_user(agency)
            make_marac()
            make_agency(AgencyKind.HOUSING)

    assert_pinned(pages, PINS, grow)
