from types import SimpleNamespace

import pytest

from marac.agencies.models import AgencyKind, Role
from tests.factories import CaseFactory, make_agency, make_user


@pytest.fixture
def spo(db):
    """A stalking case with police, advocacy and housing on it, a chair, and agencies
    outside it (police of another force, an intervention provider)."""
    police = make_agency(AgencyKind.POLICE)
    advocacy = make_agency(AgencyKind.ADVOCACY)
    housing = make_agency(AgencyKind.HOUSING)
    other_police = make_agency(AgencyKind.POLICE)
    provider = make_agency(AgencyKind.INTERVENTION_PROVIDER)
    health = make_agency(AgencyKind.HEALTH)
    case = CaseFactory(participants=[police, advocacy, housing, health])
    return SimpleNamespace(
        case=case, police=police, advocacy=advocacy, housing=housing, other_police=other_police, provider=provider,
        health=health,
        officer=make_user(police), advocate=make_user(advocacy), housing_officer=make_user(housing),
        other_officer=make_user(other_police), provider_worker=make_user(provider), health_worker=make_user(health),
        chair=make_user(make_agency(AgencyKind.POLICE), Role.CHAIR),
        coordinator=make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR),
    )
