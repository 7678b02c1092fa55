"""The per-row choice of serializer reads the policy for a whole page in one query
(permissions.scopes.allowed_ids_by_action), and answers what `allowed_ids` answers for
each action alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marac.agencies.models import AgencyKind, Role
from marac.cases.models import Case
from marac.referrals.services import accept_referral
from permissions import scopes
from permissions.actor import Actor
from permissions.policy import grant
from tests.factories import CaseFactory, make_agency, make_referral, make_user

pytestmark = pytest.mark.django_db

ACTIONS = ["view", "view_safe_contact", "view_children_in_full", "change"]


@pytest.mark.parametrize("kind,role", [(AgencyKind.ADVOCACY, Role.PRACTITIONER),
                                       (AgencyKind.CHILDRENS_SERVICES, Role.MANAGER),
                                       (AgencyKind.HOUSING, Role.PRACTITIONER),
                                       (AgencyKind.POLICE, Role.CHAIR)])
def test_one_query_answers_every_policy_row_of_a_page_as_each_row_alone_would(kind, role):
    agency = make_agency(kind)
    user = make_user(agency, role)
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    referred = accept_referral(make_referral(user=make_user(agency)), by=coordinator).case  # on it, referred it
    on_it = CaseFactory(participants=[agency])
    not_on_it = CaseFactory()
    ids = [referred.pk, on_it.pk, not_on_it.pk]
    actor = Actor.of(user)

    with CaptureQueriesContext(connection) as queries:
        together = scopes.allowed_ids_by_action(actor, "case", ACTIONS, Case.objects.all(), ids)
    assert len(queries) <= 1
    for action in ACTIONS:
        assert together[action] == scopes.allowed_ids(actor, "case", action, Case.objects.all(), ids), action
    assert together["view"] >= {referred.pk, on_it.pk}


def test_grants_whose_conditions_nothing_can_meet_answer_nothing():
    case = CaseFactory()
    nothing = (("view", grant("participant")),)  # no group: no participant reach
    nobody = Actor(None, None, None, None, None)
    assert scopes._page_rows(Case, "case", nothing, nobody, [case.pk]) == []
    assert scopes._page_rows(Case, "case", nothing + (("view", grant("all")),), nobody, [case.pk]) == [(case.pk, 1)]

