"""Two MARACs and a case to move between them: North (the default MARAC) holds the
case, with participants, research, an incident, an order, a support plan and open
actions agreed at its meeting; South has a meeting coming up. Each MARAC has a
coordinator and a chair."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from marac.agencies.models import AgencyKind, Role
from marac.cases.participants import participant_agencies
from marac.maracs.services import default_marac
from marac.meetings.models import AgendaItem, Meeting
from marac.transfers.services import accept_transfer, request_transfer
from tests.factories import CaseFactory, IncidentFactory, ResearchFactory, make_agency, make_marac, make_user
from tests.meetings.helpers import ActionFactory
from tests.orders.factories import make_order, make_plan

TODAY = timezone.localdate()


def meeting_of(marac, on, chair, coordinator, cases=()) -> Meeting:
    meeting = Meeting.objects.create(marac=marac, date=on, chair=chair, created_by=coordinator,
                                     confidentiality_statement="Confidential to the MARAC.")
    for position, case in enumerate(cases, 1):
        AgendaItem.objects.create(meeting=meeting, case=case, position=position)
    return meeting


@pytest.fixture
def world():
    north, south = default_marac(), make_marac("Northshire South MARAC")
    coordination = make_agency(AgencyKind.MARAC_COORDINATION)
    north_coordinator = make_user(coordination, Role.COORDINATOR, maracs=[north])
    south_coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[south])
    north_chair = make_user(make_agency(AgencyKind.POLICE), Role.CHAIR, maracs=[north])
    south_chair = make_user(make_agency(AgencyKind.POLICE), Role.CHAIR, maracs=[south])
    police, advocacy, housing = (make_agency(kind) for kind in (AgencyKind.POLICE, AgencyKind.ADVOCACY,
                                                                  AgencyKind.HOUSING))
    officer, advocate, housing_officer = make_user(police), make_user(advocacy), make_user(housing)
    case = CaseFactory(marac=north, participants=[police, advocacy, housing])
    north_meeting = meeting_of(north, TODAY - timedelta(days=14), north_chair, north_coordinator, [case])
    open_action = ActionFactory(case=case, meeting=north_meeting, owner_agency=housing,
                                description="Fit a door alarm.", due_date=TODAY - timedelta(days=1),
                                created_by=north_coordinator)
    done_action = ActionFactory(case=case, meeting=north_meeting, owner_agency=police, status="done",
                                description="Flag the address.", created_by=north_coordinator)
    south_meeting = meeting_of(south, TODAY + timedelta(days=10), south_chair, south_coordinator)
    return SimpleNamespace(
        north=north, south=south, north_coordinator=north_coordinator, south_coordinator=south_coordinator,
        north_chair=north_chair, south_chair=south_chair, coordination=coordination, police=police,
        advocacy=advocacy, housing=housing, officer=officer, advocate=advocate, housing_officer=housing_officer,
        case=case, north_meeting=north_meeting, south_meeting=south_meeting, open_action=open_action,
        done_action=done_action,
        research=ResearchFactory(case=case, agency=police, author=officer, shared_with_marac=True),
        incident=IncidentFactory(case=case, agency=advocacy, recorded_by=advocate),
        order=make_order(case, police, officer), plan=make_plan(case, advocacy, advocate),
    )


def transferred(world):
    """The world's North case, transferred to South and accepted onto its meeting."""
    transfer = request_transfer(world.case, to_marac=world.south, reason="moved_permanently",
                                by=world.north_coordinator)
    accept_transfer(transfer, by=world.south_coordinator, meeting=world.south_meeting)
    return world.case


def on_case(case) -> set[int]:
    """The ids of the agencies on CASE."""
    return set(participant_agencies(case).values_list("pk", flat=True))
