"""The transfer request form reads a pinned number of queries, whatever the number of
MARACs it offers."""

import pytest

from tests.factories import make_marac
from tests.web.query_pins import assert_pinned

pytestmark = pytest.mark.django_db

# Session and user, membership, the case in the slice and the transfer row against it,
# the "transferred from" line, the MARACs to choose from (one query).
PINS = {"case-transfer-create": 5}


def test_the_transfer_request_form_reads_a_pinned_number_of_queries(web, world):
    pages = {"case-transfer-create": (web(world.north_coordinator), f"/cases/{world.case.pk}/transfers/new/")}

    def grow():
        for _ in range(4):
            make_marac()

    assert_pinned(pages, PINS, grow)
