"""The participant condition's two forms on the case list (permissions.scopes.ParticipantIn):
an agency on few cases hashes its grants first, a big one keeps the plain IN, and both
give the same rows in the same order for the same number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marac.agencies.models import AgencyKind, Role
from marac.cases.models import Case
from permissions import scopes
from permissions.actor import Actor
from permissions.scopes import allowed
from tests.factories import CaseFactory, make_agency, make_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="the form is chosen by the slice size PostgreSQL keeps (GroupGrantCount)"),
]

GRANTS_FIRST = ") IS TRUE"  # the IN kept out of the semi-join pull-up: its grants hashed


@pytest.fixture
def world(monkeypatch):
    """A small agency (3 cases) under a threshold of 4, a big one (7 cases) over it; two
    cases share a creation time, so the order's tie-break (id) is exercised too."""
    monkeypatch.setattr(scopes, "GRANTS_FIRST_UP_TO", 4)
    small, big = make_agency(AgencyKind.HOUSING), make_agency(AgencyKind.POLICE)
    cases = [CaseFactory(participants=[big, small] if i in (0, 1, 4) else [big]) for i in range(7)]
    CaseFactory(participants=[make_agency(AgencyKind.HEALTH)])  # in neither slice
    now = timezone.now()
    for i, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(created_at=now - timedelta(days=i // 2 if i < 4 else i))
    return {"small": make_user(small, Role.PRACTITIONER), "big": make_user(big, Role.PRACTITIONER)}


def _list(client, **params):
    """Every page of the case list: (ids in order, the SQL of each request, query counts)."""
    ids, sql, counts, page = [], [], [], 1
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/cases/", {"page": page, **params})
        assert response.status_code == 200
        ids += [row["id"] for row in response.json()["results"]]
        sql += [query["sql"] for query in queries]
        counts.append(len(queries))
        if response.json()["next"] is None:
            return ids, sql, counts
        page += 1


def _plain(monkeypatch, client, **params):
    monkeypatch.setattr(scopes, "GRANTS_FIRST_UP_TO", -1)  # never hash the grants first
    try:
        return _list(client, **params)
    finally:
        monkeypatch.setattr(scopes, "GRANTS_FIRST_UP_TO", 4)


@pytest.mark.parametrize("page_size", [2, 50])
def test_a_small_agency_hashes_its_grants_first_with_the_plain_forms_rows_order_and_queries(
        api, world, monkeypatch, page_size):
    client = api(world["small"])
    client.get("/api/v1/cases/")  # the first request of the process does one-off work
    ids, sql, counts = _list(client, page_size=page_size)
    plain_ids, plain_sql, plain_counts = _plain(monkeypatch, client, page_size=page_size)
    assert any(GRANTS_FIRST in statement for statement in sql)
    assert not any(GRANTS_FIRST in statement for statement in plain_sql)
    assert len(ids) == 3
    assert ids == plain_ids
    assert counts == plain_counts


@pytest.mark.parametrize("page_size", [2, 50])
def test_a_big_agency_keeps_the_plain_in(api, world, monkeypatch, page_size):
    client = api(world["big"])
    ids, sql, counts = _list(client, page_size=page_size)
    assert not any(GRANTS_FIRST in statement for statement in sql)
    assert any('"cases_case"."id" IN (SELECT' in statement for statement in sql)
    assert len(ids) == 7
    assert (ids, counts) == _plain(monkeypatch, client, page_size=page_size)[::2]
    assert ids == list(Case.objects.filter(pk__in=ids).order_by("-created_at", "-id").values_list("pk", flat=True))


def test_without_the_kept_count_the_small_agency_keeps_the_plain_in(api, world):
    """A filtered list counts with the database, and one object's check counts nothing:
    neither knows the slice's size, so both keep the plain IN."""
    client = api(world["small"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/cases/", {"status": "open"})
    assert response.status_code == 200 and response.json()["count"] == 3
    case = Case.objects.get(pk=response.json()["results"][0]["id"])
    with CaptureQueriesContext(connection) as check:
        assert allowed(Actor.of(world["small"]), "case", "view", case)
    assert not any(GRANTS_FIRST in query["sql"] for query in [*queries, *check])
