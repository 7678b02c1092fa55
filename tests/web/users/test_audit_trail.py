"""The audit trail on the web: managers read the events of their own agency's users,
platform administrators all of them, anyone else nothing (policy row audit_event.view,
as GET /api/v1/audit-events/); filterable; reading it is not itself logged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from marac.audit.services import AuditContext, record_events
from tests.factories import make_agency, make_platform_admin, make_user

pytestmark = pytest.mark.django_db


def event(user, action="view", object_type="case", object_id="7"):
    context = AuditContext(user_id=user.pk, username=user.username, agency_id=user.membership.agency_id,
                           request_id="", client_address="127.0.0.1")
    record_events(context, [(action, object_type, [object_id])], operation="test")


def test_a_manager_reads_their_own_agencys_events_only_and_it_is_not_logged(web):
    agency = make_agency(AgencyKind.HOUSING)
    manager = make_user(agency, Role.MANAGER)
    colleague, stranger = make_user(agency), make_user(make_agency())
    event(colleague, object_id="11")
    event(stranger, object_id="22")
    client = web(manager)
    assert 'href="/audit/"' in client.get("/users/").content.decode()
    before = AuditEvent.objects.count()
    page = client.get("/audit/").content.decode()
    assert "<title>Audit trail" in page and colleague.username in page and "case 11" in page
    assert stranger.username not in page and "case 22" not in page
    assert AuditEvent.objects.count() == before


def test_platform_admins_read_every_event_and_filter_them(web):
    one, other = make_user(make_agency()), make_user(make_agency())
    event(one, action="view", object_id="11")
    event(other, action="update", object_type="referral", object_id="22")
    client = web(make_platform_admin())
    page = client.get("/audit/").content.decode()
    assert "case 11" in page and "referral 22" in page
    filtered = client.get("/audit/", {"action": "update"}).content.decode()
    assert "referral 22" in filtered and "case 11" not in filtered
    by_user = client.get("/audit/", {"username": one.username.upper()}).content.decode()
    assert "case 11" in by_user and "referral 22" not in by_user


def test_anyone_else_reads_no_event_and_is_not_offered_the_page(web):
    practitioner = make_user(make_agency())
    event(practitioner)
    client = web(practitioner)
    assert 'href="/audit/"' not in client.get("/users/").content.decode()
    page = client.get("/audit/").content.decode()
    assert "No events." in page and practitioner.username not in page.split("Audit events")[1]


def test_the_audit_trail_reads_a_fixed_number_of_queries_whatever_its_length(web):
    agency = make_agency()
    manager = make_user(agency, Role.MANAGER)
    users = [make_user(make_agency()) for _ in range(3)]
    client = web(make_platform_admin())
    client.get("/audit/")
    counts = []
    for user in (manager, *users):
        for index in range(5):
            event(user, object_id=str(index))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/audit/").status_code == 200
        counts.append(len(queries))
    assert counts == [5] * len(counts), counts
