"""The home page per role: the agency's open actions (overdue first), requirements it
delivers, unread notifications, upcoming meetings with its cases; coordinators the
referrals awaiting triage; chairs their next meeting and its pack status; platform
admins no case data. In a fixed number of queries whatever the volume, and audited."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from marac.meetings.models import MeetingPack
from marac.meetings.services import add_to_agenda, create_action
from marac.notifications.services import notify
from tests.factories import CaseFactory, MeetingFactory, make_agency, make_referral, make_user
from tests.orders.factories import make_order, make_requirement

pytestmark = pytest.mark.django_db


def _world(actions=2):
    housing = make_agency(AgencyKind.HOUSING)
    police = make_agency(AgencyKind.POLICE)
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    past = MeetingFactory(date=timezone.localdate() - timedelta(days=14), created_by=coordinator)
    upcoming = MeetingFactory(date=timezone.localdate() + timedelta(days=14), created_by=coordinator)
    cases = []
    for n in range(actions):
        case = CaseFactory(participants=[housing, police])
        add_to_agenda(past, case)
        add_to_agenda(upcoming, case)
        create_action(case=case, meeting=past, description=f"Action {n}", owner_agency=housing,
                      due_date=past.date + timedelta(days=3 if n == 0 else 30), by=coordinator)
        cases.append(case)
    other = CaseFactory(participants=[police])
    add_to_agenda(past, other)
    create_action(case=other, meeting=past, description="Police's own action", owner_agency=police,
                  due_date=past.date + timedelta(days=30), by=coordinator)
    return housing, police, coordinator, past, upcoming, cases


def test_members_see_their_agencys_actions_overdue_first_and_upcoming_meetings(web):
    housing, _, _, _, upcoming, _ = _world()
    user = make_user(housing)
    page = web(user).get("/").content.decode()
    assert page.index("Action 0") < page.index("Action 1") and "Overdue" in page
    assert "Police&#x27;s own action" not in page and "Police's own action" not in page
    assert upcoming.date.strftime("%-d %B %Y") in page


def test_requirements_assigned_to_my_agency_are_on_home(web):
    provider = make_agency(AgencyKind.INTERVENTION_PROVIDER)
    requirement = make_requirement(make_order(), responsible_agency=provider, description="Programme")
    page = web(make_user(provider)).get("/").content.decode()
    assert "Requirements your agency delivers" in page and requirement.get_kind_display() in page
    assert "Requirements your agency delivers" not in web(make_user()).get("/").content.decode()


def test_unread_notifications_are_counted_on_home(web):
    agency = make_agency(AgencyKind.HEALTH)
    notify(agency=agency, kind="test", message="Something to read", dedupe_key="home-1")
    notify(agency=agency, kind="test", message="For managers only", dedupe_key="home-2", role=Role.MANAGER)
    page = web(make_user(agency)).get("/").content.decode()
    assert "Something to read" in page and "For managers only" not in page and "1 unread" in page


def test_coordinators_see_referrals_awaiting_triage(web):
    referral = make_referral()
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    page = web(coordinator).get("/").content.decode()
    assert "Referrals awaiting triage" in page and referral.victim.first_name in page
    practitioner_page = web(make_user()).get("/").content.decode()
    assert "Referrals awaiting triage" not in practitioner_page


def test_chairs_see_their_next_meeting_and_its_pack_status(web):
    chair = make_user(make_agency(AgencyKind.POLICE), Role.CHAIR)
    meeting = MeetingFactory(date=timezone.localdate() + timedelta(days=7), chair=chair)
    page = web(chair).get("/").content.decode()
    assert "Your next meeting" in page and "Not generated" in page
    MeetingPack.objects.create(meeting=meeting, status="ready", fingerprint="x", requested_by=chair)
    assert "Ready to sign off" in web(chair).get("/").content.decode()


def test_platform_admins_home_shows_no_case_data(web_as):
    _world()
    client, _ = web_as("platform_admin")
    page = client.get("/").content.decode()
    assert "platform administrator" in page and "Action 0" not in page
    assert not AuditEvent.objects.exists()


def test_home_reads_are_audited_as_views_of_what_it_shows(web):
    housing, *_ = _world()
    user = make_user(housing)
    web(user).get("/")
    assert set(AuditEvent.objects.filter(user_id=user.pk).values_list("action", "object_type")) >= {
        ("view", "action"), ("view", "meeting")}


@pytest.mark.parametrize("role,kind", [
    (Role.PRACTITIONER, AgencyKind.HOUSING), (Role.COORDINATOR, AgencyKind.MARAC_COORDINATION),
    (Role.CHAIR, AgencyKind.POLICE)])
def test_home_renders_in_a_fixed_number_of_queries_whatever_the_volume(web, role, kind):
    housing, *_ = _world(actions=1)
    user = make_user(housing) if kind == AgencyKind.HOUSING else make_user(make_agency(kind), role)
    client = web(user)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    _world(actions=12)
    for _ in range(12):
        make_referral()
    with CaptureQueriesContext(connection) as many:
        assert client.get("/").status_code == 200
    # The chair's home shows the MARAC's figures: on PostgreSQL the report's statement runs
    # in a savepoint with `SET LOCAL jit = off` (marac.reports.figures), three statements more.
    pinned = {Role.PRACTITIONER: 8, Role.COORDINATOR: 11,
              Role.CHAIR: 15 if connection.vendor == "postgresql" else 12}[role]
    assert len(many) == len(few) == pinned, [q["sql"] for q in many]
