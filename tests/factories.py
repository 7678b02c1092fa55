"""Shared factories. They build through the domain services where a service owns the
invariant (an agency has a group; a user has one membership and joins its group)."""

import itertools
from datetime import date

import factory
from django.utils import timezone
from knox.models import AuthToken

from marac.agencies.models import Agency, AgencyKind, Role
from marac.agencies.services import create_agency, create_user
from marac.cases.models import Case, Incident, Perpetrator, ResearchContribution, Victim
from marac.cases.participants import add_participant
from marac.maracs.models import Marac
from marac.maracs.services import default_marac, serves_maracs
from marac.meetings.models import Meeting
from marac.referrals.services import submit_referral

TEST_PASSWORD = "a-long-test-passphrase-42"
_seq = itertools.count(1)


def make_agency(kind: str = AgencyKind.POLICE, name: str | None = None) -> Agency:
    return create_agency(name=name or f"{kind} agency {next(_seq)}", kind=kind)


def make_marac(name: str | None = None, **fields) -> Marac:
    """Another MARAC (the default one, named by MARAC_NAME, is `default_marac()`)."""
    return Marac.objects.create(name=name or f"MARAC {next(_seq)}", **fields)


def make_user(agency: Agency | None = None, role: str = Role.PRACTITIONER, username: str | None = None,
              maracs=None, **extra):
    """A user; a coordinator or chair serves `maracs` (default: the default MARAC)."""
    agency = agency or make_agency()
    if maracs is None and serves_maracs(role):
        maracs = [default_marac()]
    return create_user(username=username or f"{role}-{next(_seq)}", password=TEST_PASSWORD, agency=agency,
                       role=role, email="", maracs=maracs, **extra)


def make_platform_admin(username: str | None = None):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(username or f"admin-{next(_seq)}", "", TEST_PASSWORD)


def token_for(user) -> str:
    """A new API token for this user (as POST /auth/token/ issues): the raw string,
    which is stored nowhere."""
    return AuthToken.objects.create(user=user)[1]


class VictimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Victim

    first_name = factory.Sequence(lambda n: f"Victim{n}")
    last_name = factory.Sequence(lambda n: f"Surname{n}")
    date_of_birth = date(1990, 1, 1)
    gender = "female"
    postcode = "AB1 2CD"


class PerpetratorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Perpetrator

    first_name = factory.Sequence(lambda n: f"Perp{n}")
    last_name = "Example"
    relationship = "ex_partner"


class CaseFactory(factory.django.DjangoModelFactory):
    """A case; `participants=[agency, ...]` grants those agencies their slice."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"MARAC-TEST-{n:06d}")
    marac = factory.LazyFunction(default_marac)
    victim = factory.SubFactory(VictimFactory)
    perpetrator = factory.SubFactory(PerpetratorFactory)
    risk_score = 15
    stalking = True

    @factory.post_generation
    def participants(case, create, agencies, **kwargs):
        for agency in agencies or ():
            add_participant(case, agency)


class ResearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchContribution

    case = factory.SubFactory(CaseFactory)
    agency = factory.LazyFunction(make_agency)
    author = factory.LazyAttribute(lambda o: make_user(o.agency))
    summary = "What this agency knows."
    shared_with_marac = True


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    case = factory.SubFactory(CaseFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    behaviour = "following"
    description = "Followed from work."
    agency = factory.LazyFunction(make_agency)
    recorded_by = factory.LazyAttribute(lambda o: make_user(o.agency))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    marac = factory.LazyFunction(default_marac)
    date = date(2030, 1, 15)
    chair = factory.LazyAttribute(lambda o: make_user(make_agency(AgencyKind.POLICE), Role.CHAIR, maracs=[o.marac]))
    created_by = factory.LazyAttribute(
        lambda o: make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[o.marac]))


def dash(yes: int) -> dict:
    return {"tool": "dash", "answers": {str(n): "yes" if n <= yes else "no" for n in range(1, 25)}}


def sdash(yes: int) -> dict:
    return {"tool": "sdash", "answers": {str(n): "yes" if n <= yes else "no" for n in range(1, 12)}}


def referral_payload(**overrides) -> dict:
    payload = {
        "victim": {"first_name": "Jane", "last_name": "Doe", "date_of_birth": "1988-03-04", "gender": "female",
                   "postcode": "NS1 1AA"},
        "perpetrator": {"first_name": "John", "last_name": "Roe", "date_of_birth": "1985-07-09",
                        "relationship": "ex_partner"},
        "children_in_household": 2,
        "reason": "visible_high_risk",
        "risk_checklist": dash(15),
        "stalking": True,
        "summary": "Escalating stalking since separation.",
        "victim_consented": True,
    }
    payload.update(overrides)
    return payload


def make_referral(agency=None, user=None, marac=None, **overrides):
    """Submit a referral through the service, from the API-shaped payload, to MARAC
    (default: the default MARAC)."""
    from api.referrals.serializers import ReferralSerializer

    user = user or make_user(agency)
    serializer = ReferralSerializer(data=referral_payload(**overrides))
    serializer.is_valid(raise_exception=True)
    data = {**serializer.validated_data, "marac": marac or serializer.validated_data.get("marac") or default_marac()}
    return submit_referral(agency=user.membership.agency, user=user, **data)
