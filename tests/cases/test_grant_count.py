"""The size of each agency's slice is kept by the database (GroupGrantCount, PostgreSQL
triggers on the grant table) and equals the grants themselves after every kind of
change; the case list's page count reads it only while the slice subquery is intact."""

import pytest
from django.db import connection

from api.pagination import subquery_count
from marac.agencies.models import AgencyKind
from marac.cases.models import Case, CaseGroupObjectPermission
from marac.cases.participants import (
    add_participant,
    case_ids_for_group,
    participant_count,
    participant_grants,
    remove_participant,
)
from tests.factories import CaseFactory, make_agency

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the count is kept by PostgreSQL triggers"),
]


def _grants(agency) -> int:
    return participant_grants().filter(group_id=agency.group_id).count()


def test_the_kept_slice_size_follows_grants_revocations_cascades_and_bulk_inserts():
    police, housing = make_agency(AgencyKind.POLICE), make_agency(AgencyKind.HOUSING)
    assert participant_count(police.group_id) == 0
    cases = [CaseFactory(participants=[police, housing]) for _ in range(4)]
    assert participant_count(police.group_id) == _grants(police) == 4
    remove_participant(cases[0], police)
    assert participant_count(police.group_id) == _grants(police) == 3
    add_participant(cases[0], police)
    add_participant(cases[0], police)  # already on it: nothing changes
    assert participant_count(police.group_id) == 4
    cases[1].delete()  # its grants go by cascade
    assert participant_count(police.group_id) == _grants(police) == 3
    assert participant_count(housing.group_id) == _grants(housing) == 3
    grant = participant_grants().filter(group_id=housing.group_id).first()
    CaseGroupObjectPermission.objects.bulk_create([
        CaseGroupObjectPermission(group_id=police.group_id, permission_id=grant.permission_id, content_object=case)
        for case in [CaseFactory(), CaseFactory()]
    ])
    assert participant_count(police.group_id) == _grants(police) == 5
    moved = participant_grants().filter(group_id=housing.group_id, content_object=cases[2]).update(
        group_id=make_agency(AgencyKind.HEALTH).group_id)
    assert moved == 1
    assert participant_count(housing.group_id) == _grants(housing) == 2


def test_the_case_list_count_reads_the_kept_size_only_for_the_intact_slice_subquery():
    police = make_agency(AgencyKind.POLICE)
    cases = [CaseFactory(participants=[police]) for _ in range(3)]
    ids = case_ids_for_group(police.group_id)
    assert subquery_count(Case.objects.filter(pk__in=ids)) == 3
    # A narrowed subquery is no longer the whole slice: its grants are counted instead.
    narrowed = ids.filter(content_object_id__in=[cases[0].pk])
    assert subquery_count(Case.objects.filter(pk__in=narrowed)) == 1
    assert subquery_count(Case.objects.filter(pk__in=ids.exclude(content_object_id=cases[0].pk))) == 2
