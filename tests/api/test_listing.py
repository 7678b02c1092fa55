"""api.listing.plain_rows: the same objects as the queryset, as plain rows."""

import pytest

from api.listing import plain_rows
from marac.agencies.models import AgencyKind
from marac.cases.models import Case
from tests.factories import CaseFactory, make_agency

pytestmark = pytest.mark.django_db

FIELDS = ("id", "reference", "is_repeat", "created_at", "victim__first_name", "victim__date_of_birth",
          "perpetrator__date_of_birth")


def test_rows_carry_the_values_model_instances_carry():
    police = make_agency(AgencyKind.POLICE)
    CaseFactory(participants=[police], is_repeat=True)
    CaseFactory(participants=[police], perpetrator__date_of_birth=None)
    cases = list(Case.objects.select_related("victim", "perpetrator"))
    rows = list(plain_rows(Case.objects.all(), *FIELDS))
    assert [row.pk for row in rows] == [case.pk for case in cases]  # same order
    for row, case in zip(rows, cases):
        assert (row.id, row.reference, row.is_repeat, row.created_at) == (
            case.id, case.reference, case.is_repeat, case.created_at)
        assert type(row.is_repeat) is bool and row.created_at.tzinfo is not None  # converted as the ORM does
        assert (row.victim.first_name, row.victim.date_of_birth) == (case.victim.first_name,
                                                                       case.victim.date_of_birth)
        assert row.perpetrator.date_of_birth == case.perpetrator.date_of_birth


def test_filters_slices_and_counts_apply_to_rows_as_to_the_queryset():
    CaseFactory(status="closed")
    CaseFactory()
    CaseFactory()
    rows = plain_rows(Case.objects.all(), *FIELDS)
    assert rows.filter(status="closed").count() == 1
    assert [row.pk for row in rows.filter(status="open")[:1]] == [Case.objects.filter(status="open").first().pk]
    assert rows.count() == 3


@pytest.mark.parametrize("fields", [(), ("id", "victim__cases__reference")])
def test_fields_must_be_named_and_at_most_one_relation_deep(fields):
    with pytest.raises(ValueError):
        plain_rows(Case.objects.all(), *fields)


def test_counting_rows_never_joins_the_tables_the_rows_read():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    CaseFactory(status="closed")
    rows = plain_rows(Case.objects.all(), *FIELDS).filter(status="closed")
    with CaptureQueriesContext(connection) as queries:
        assert rows.count() == 1
    assert "JOIN" not in queries[0]["sql"].upper()
