"""Every page of the cases area renders in a pinned number of queries, whatever the
number of rows it shows (session, user, the slice, the page, its field-level rows,
the audit INSERT). Raise a pin only knowingly."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marac.agencies.models import AgencyKind, Role
from marac.meetings.services import create_action
from marac.referrals.services import accept_referral
from tests.factories import (
    CaseFactory,
    IncidentFactory,
    MeetingFactory,
    ResearchFactory,
    make_agency,
    make_referral,
    make_user,
)

pytestmark = pytest.mark.django_db

PINS = {
    # -5 on every page (web-perf): the session's user, membership and agency in one
    # query (MemberBackend), the session written once a minute rather than on every
    # request (no BEGIN, UPDATE, COMMIT).
    ("practitioner", "case-list"): 6,
    # -2 more: the case page's create buttons in one query (may_on_parent_rows);
    # +1: the requests for an SPO (web-gaps).
    # -1 (web-perf2): the case's field-level rows and those buttons in one query
    # (allowed_on_and_under); -1: the MARAC it came from read with the case row
    # (with_transferred_from).
    ("practitioner", "case-detail"): 17,
    ("coordinator", "case-detail"): 19,
    ("coordinator", "case-list-filtered"): 3,
    ("coordinator", "referral-triage"): 10,
    ("coordinator", "referral-detail"): 12,  # the row choice reads the MARACs the coordinator serves
    ("practitioner", "referral-list"): 5,
    ("practitioner", "referral-create"): 3,
}
# On PostgreSQL the case page reads its row, and then every list it shows in one
# statement, each compiled once per caller (permissions.case_reads): the session, the
# user, the case, its field-level rows and buttons, `SET LOCAL plan_cache_mode`, the
# lists, the audit INSERT, and the SAVEPOINT and RELEASE of the lists' transaction
# (inside the test's own). Elsewhere each list is a query of its own (the pins above).
POSTGRESQL_PINS = {**PINS, ("practitioner", "case-detail"): 9, ("coordinator", "case-detail"): 10}


def grow(police, officer, coordinator, case, meeting, n):
    """N more of everything the pages list."""
    for index in range(n):
        CaseFactory(participants=[police])
        ResearchFactory(case=case, agency=police)
        IncidentFactory(case=case, agency=police)
        create_action(case=case, meeting=meeting, description=f"Action {index}.", owner_agency=police,
                      due_date=meeting.date, by=coordinator)
        make_referral(user=officer, victim={"first_name": f"V{n}{index}", "last_name": "Doe",
                                            "date_of_birth": "1980-01-01", "gender": "female"})


def test_cases_pages_read_a_pinned_number_of_queries_whatever_they_list(web):
    police = make_agency(AgencyKind.POLICE)
    officer = make_user(police)
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    meeting = MeetingFactory()
    referral = make_referral(user=officer)
    case = accept_referral(referral, by=coordinator, meeting=meeting).case
    pending = make_referral(user=officer, victim={"first_name": "Ann", "last_name": "Lee",
                                                  "date_of_birth": "1979-01-01", "gender": "female"})
    pages = {
        ("practitioner", "case-list"): (officer, "/cases/"),
        ("practitioner", "case-detail"): (officer, f"/cases/{case.pk}/"),
        ("coordinator", "case-detail"): (coordinator, f"/cases/{case.pk}/"),
        ("coordinator", "case-list-filtered"): (coordinator, "/cases/?risk_level=high&flagged=on"),
        ("coordinator", "referral-triage"): (coordinator, "/referrals/triage/"),
        ("coordinator", "referral-detail"): (coordinator, f"/referrals/{pending.pk}/"),
        ("practitioner", "referral-list"): (officer, "/referrals/"),
        ("practitioner", "referral-create"): (officer, "/referrals/new/"),
    }
    clients = {user: web(user) for user in (officer, coordinator)}
    pins = POSTGRESQL_PINS if connection.vendor == "postgresql" else PINS
    for n in (1, 4):
        grow(police, officer, coordinator, case, meeting, n)
        for key, (user, url) in pages.items():
            clients[user].get(url)  # the session's first read is not the page's
            with CaptureQueriesContext(connection) as queries:
                assert clients[user].get(url).status_code == 200
            assert len(queries) == pins[key], (key, n, len(queries))
