"""Orders, requirements, breaches and support plans, built through the domain services."""

from datetime import date, timedelta

from django.utils import timezone

from marac.agencies.models import AgencyKind, Role
from marac.orders.models import Breach, ComplianceEvent, Order, OrderStatus, Requirement
from marac.orders.services import add_requirement, create_order, record_spo_request, report_breach
from marac.support.services import create_plan
from tests.factories import CaseFactory, make_agency, make_user

GRANTED_ON = date(2025, 3, 10)


def make_police(case=None):
    police = make_agency(AgencyKind.POLICE)
    if case is not None:
        from marac.cases.participants import add_participant

        add_participant(case, police)
    return police, make_user(police, Role.PRACTITIONER)


def make_order(case=None, police=None, user=None, **fields) -> Order:
    """A granted full order until further order, unless told otherwise."""
    if police is None:
        police = make_agency(AgencyKind.POLICE)
    case = case or CaseFactory(participants=[police])
    user = user or make_user(police)
    values = dict(kind="full", status=OrderStatus.GRANTED, applied_on=GRANTED_ON - timedelta(days=20),
                  granted_on=GRANTED_ON, expires_on=None, court="Northshire Magistrates' Court",
                  prohibitions=["No contact with the victim by any means, including through third parties."])
    values.update(fields)
    return create_order(case=case, agency=police, by=user, **values)


def make_requirement(order: Order, responsible_agency=None, notes: str = "", **fields) -> Requirement:
    responsible_agency = responsible_agency or make_agency(AgencyKind.INTERVENTION_PROVIDER)
    values = dict(kind="intervention_programme", description="Attend the stalking intervention programme.",
                  due_date=None)
    values.update(fields)
    requirement = add_requirement(order, by=order.created_by, responsible_agency=responsible_agency, **values)
    if notes:
        Requirement.objects.filter(pk=requirement.pk).update(notes=notes)
        requirement.refresh_from_db()
    return requirement


def make_event(requirement: Requirement, details: str = "Missed the second session; said he was unwell.",
               kind: str = "missed") -> ComplianceEvent:
    return ComplianceEvent.objects.create(requirement=requirement, kind=kind, occurred_on=GRANTED_ON + timedelta(30),
                                          details=details, recorded_by=requirement.created_by)


def make_breach(order: Order, agency=None, user=None, **fields) -> Breach:
    agency = agency or order.agency
    user = user or order.created_by
    values = dict(occurred_at=timezone.now() - timedelta(hours=2), description="Sent messages via a friend.")
    values.update(fields)
    return report_breach(order, agency=agency, by=user, **values)


def make_plan(case, agency=None, user=None, **fields):
    agency = agency or make_agency(AgencyKind.ADVOCACY)
    user = user or make_user(agency)
    values = dict(needs=["Safe housing"], safety_measures=["Panic alarm"], goals="Feel safe at home.",
                  next_review=timezone.localdate() + timedelta(days=30))
    values.update(fields)
    return create_plan(case=case, agency=agency, by=user, **values)


def make_spo_request(case, agency=None, user=None, **fields):
    """A request that police consider an SPO, recorded by AGENCY (an advocacy agency by default)."""
    agency = agency or make_agency(AgencyKind.ADVOCACY)
    user = user or make_user(agency)
    values = dict(requested_on=timezone.localdate(), requested_by_victim=True, note="She asked at the last visit.")
    values.update(fields)
    return record_spo_request(case, agency=agency, by=user, **values)
