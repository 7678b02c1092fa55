"""permissions/counting.py: each shortcut gives the count the plain COUNT(*) gives."""

import pytest
from django.db.models import Q

from marac.agencies.models import AgencyKind, Role
from marac.cases.models import Case
from marac.cases.participants import case_ids_for_group
from marac.maracs.services import default_marac, served_marac_ids
from permissions.counting import alternatives_count
from tests.factories import CaseFactory, make_agency, make_marac, make_user

pytestmark = pytest.mark.django_db


def _coordinator_world():
    """Cases of the coordinator's MARAC, of another MARAC with the coordinator's agency
    on some, and one case in both alternatives."""
    coordination = make_agency(AgencyKind.MARAC_COORDINATION)
    coordinator = make_user(coordination, Role.COORDINATOR)
    other = make_marac("Southshire MARAC")
    for _ in range(3):
        CaseFactory()
    for _ in range(2):
        CaseFactory(marac=other)
    CaseFactory(marac=other, participants=[coordination])
    CaseFactory(participants=[coordination])  # in both alternatives
    return coordinator, coordination


def test_the_union_of_the_alternatives_counts_what_count_counts():
    coordinator, coordination = _coordinator_world()
    served = served_marac_ids(coordinator.membership.pk)
    on_case = case_ids_for_group(coordination.group_id)
    for slice_ in (Q(pk__in=on_case) | Q(marac__in=served),
                   Q(marac__in=served) | Q(pk__in=on_case) | Q(risk_score__gte=30),
                   Q(pk__in=on_case) | Q(marac=default_marac())):
        cases = Case.objects.filter(slice_)
        assert alternatives_count(cases) == cases.count() == len(set(cases.values_list("pk", flat=True)))
    assert Case.objects.filter(Q(pk__in=on_case) | Q(marac__in=served)).count() == 5


def test_a_single_condition_or_a_join_is_left_to_count():
    coordinator, coordination = _coordinator_world()
    assert alternatives_count(Case.objects.filter(marac__in=served_marac_ids(coordinator.membership.pk))) is None
    joined = Case.objects.filter(Q(victim__first_name="Jane") | Q(marac=default_marac()))
    assert alternatives_count(joined) is None


def test_the_coordinators_case_list_counts_by_the_union(api):
    coordinator, _ = _coordinator_world()
    body = api(coordinator).get("/api/v1/cases/").json()
    assert body["count"] == 5 == len(body["results"])
