"""The account pages and the sign-in page read a pinned number of queries."""

import pytest

from tests.factories import make_agency, make_user
from tests.web.query_pins import assert_pinned

pytestmark = pytest.mark.django_db

# Session and user, membership (and its agency) for the header; the page reads no more.
# Signed out, the sign-in page reads nothing.
PINS = {"account": 2, "account-password": 2, "sign-in": 0}


def test_account_pages_read_a_pinned_number_of_queries(web):
    agency = make_agency()
    client = web(make_user(agency))
    pages = {"account": (client, "/account/"), "account-password": (client, "/account/password/"),
             "sign-in": (web(), "/sign-in/")}

    def grow():
        for _ in range(4):
            make_user(agency)

    assert_pinned(pages, PINS, grow)
