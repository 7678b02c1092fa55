"""The SPO request form reads a pinned number of queries, whatever the case already holds."""

import pytest

from tests.orders.factories import make_spo_request
from tests.web.query_pins import assert_pinned

pytestmark = pytest.mark.django_db

# Session and user, membership, the case in the view slice, the create row against it.
PINS = {"spo-request-create": 4}


def test_the_request_form_reads_a_pinned_number_of_queries(web, spo):
    pages = {"spo-request-create": (web(spo.advocate), f"/cases/{spo.case.pk}/spo-requests/new/")}

    def grow():
        for _ in range(4):
            make_spo_request(spo.case, spo.advocacy, spo.advocate)

    assert_pinned(pages, PINS, grow)
