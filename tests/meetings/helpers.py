"""Builders for the meetings tests (kept here so tests/factories.py stays the platform's)."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from marac.agencies.models import AgencyKind, Role
from marac.meetings.models import Action, AgendaItem, Meeting
from marac.maracs.services import default_marac
from tests.factories import CaseFactory, make_agency, make_user


def make_coordinator():
    return make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)


def make_chair(agency=None):
    return make_user(agency or make_agency(AgencyKind.POLICE), Role.CHAIR)


def make_meeting(*, on: date | None = None, chair=None, coordinator=None, cases=(), marac=None, **extra) -> Meeting:
    """A meeting of MARAC (default: the default MARAC) listing CASES."""
    meeting = Meeting.objects.create(marac=marac or default_marac(), date=on or timezone.localdate() + timedelta(days=14), chair=chair or make_chair(),
                                     created_by=coordinator or make_coordinator(),
                                     confidentiality_statement="Confidential to the MARAC.", **extra)
    for position, case in enumerate(cases, 1):
        AgendaItem.objects.create(meeting=meeting, case=case, position=position)
    return meeting


class ActionFactory(factory.django.DjangoModelFactory):
    """An action on a case listed on a meeting, owned by an agency on the case."""

    class Meta:
        model = Action

    owner_agency = factory.LazyFunction(make_agency)
    case = factory.LazyAttribute(lambda o: CaseFactory(participants=[o.owner_agency]))
    meeting = factory.LazyAttribute(lambda o: make_meeting(cases=[o.case]))
    description = "Safety visit to the victim."
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    created_by = factory.LazyFunction(make_coordinator)
