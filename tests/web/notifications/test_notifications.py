"""Notifications: the agency's, for every role or the caller's; marking one read (the
API's service and audit); another agency's is "Page not found"; bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from marac.notifications.models import Notification
from marac.notifications.services import notify
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


def _note(agency, key, role=""):
    return notify(agency=agency, kind="test", message=f"Message {key}", dedupe_key=key, role=role)


def test_the_list_shows_the_agencys_notifications_for_every_role_or_mine(web):
    agency = make_agency(AgencyKind.HOUSING)
    _note(agency, "everyone")
    _note(agency, "managers", role=Role.MANAGER)
    _note(make_agency(), "elsewhere")
    page = web(make_user(agency)).get("/notifications/").content.decode()
    assert "Message everyone" in page and "Message managers" not in page and "Message elsewhere" not in page
    assert "Message managers" in web(make_user(agency, Role.MANAGER)).get("/notifications/").content.decode()


def test_marking_read_uses_the_domain_service_and_is_audited_as_an_update(web):
    agency = make_agency(AgencyKind.HOUSING)
    notification = _note(agency, "one")
    client = web(make_user(agency))
    response = client.post(f"/notifications/{notification.pk}/read/", {"next": "/notifications/?show=unread"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?show=unread"
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None
    assert ("update", "notification", str(notification.pk)) in AuditEvent.objects.values_list(
        "action", "object_type", "object_id")
    client.post(f"/notifications/{notification.pk}/read/")
    notification.refresh_from_db()
    assert notification.read_at == first_read  # idempotent: the first read time is kept
    assert "Message one" not in client.get("/notifications/?show=unread").content.decode()


def test_another_agencys_notification_is_not_found_and_stays_unread(web):
    notification = _note(make_agency(), "theirs")
    response = web(make_user(make_agency(AgencyKind.HEALTH))).post(f"/notifications/{notification.pk}/read/")
    assert response.status_code == 404 and b"Page not found" in response.content
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_an_outside_next_address_is_ignored(web):
    agency = make_agency()
    notification = _note(agency, "next")
    response = web(make_user(agency)).post(f"/notifications/{notification.pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"


def test_the_list_reads_a_fixed_number_of_queries_whatever_its_length(web):
    agency = make_agency()
    client = web(make_user(agency))
    _note(agency, "first")
    client.get("/notifications/")
    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/")
    for n in range(30):
        _note(agency, f"more-{n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/notifications/")
    assert len(many) == len(few) == 5


def test_with_htmx_marking_read_answers_the_rows_new_state_in_place(web):
    agency = make_agency()
    notification = _note(agency, "htmx")
    response = web(make_user(agency)).post(f"/notifications/{notification.pk}/read/", HTTP_HX_REQUEST="true")
    row = response.content.decode()
    assert response.status_code == 200 and row.lstrip().startswith("{#") is False
    assert f'id="notification-{notification.pk}"' in row and "Read" in row and "<html" not in row
    assert Notification.objects.get(pk=notification.pk).read_at is not None
