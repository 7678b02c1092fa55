"""The case list's cost is pinned: the same number of queries for 2 and for 50 rows,
and the page COUNT read from the grants is the true count of the caller's slice."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.pagination import subquery_count
from marac.agencies.models import AgencyKind, Role
from marac.cases.models import Case, Victim
from marac.cases.participants import attach_participant_ids, case_ids_for_group
from marac.cases.services import attach_children
from tests.factories import CaseFactory, make_agency, make_user

pytestmark = pytest.mark.django_db

# token + membership, COUNT, the page (with victim and perpetrator), which rows' safe contact
# and children in full the caller may see (one query for both policy rows), the page's
# participants, the page's children, the page's audit events (one bulk INSERT)
CASE_LIST_QUERIES = 7


def _world(rows: int):
    police, housing = make_agency(AgencyKind.POLICE), make_agency(AgencyKind.HOUSING)
    for _ in range(rows):
        CaseFactory(participants=[police, housing])
    CaseFactory(participants=[housing])  # outside the police slice
    return police, housing, make_user(police, Role.PRACTITIONER)


@pytest.mark.parametrize("rows", [2, 50])
def test_case_list_costs_the_same_queries_for_2_and_50_rows(api, rows):
    police, housing, user = _world(rows)
    client = api(user)
    client.get("/api/v1/cases/")  # first request of the process does one-off work
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/cases/")
    assert response.status_code == 200
    assert response.json()["count"] == rows
    assert len(response.json()["results"]) == rows
    assert len(queries) == CASE_LIST_QUERIES, [q["sql"] for q in queries]
    assert all(row["participants"] == sorted([police.pk, housing.pk]) for row in response.json()["results"])


def test_count_of_a_participant_slice_is_read_from_its_grants():
    police, housing, _ = _world(3)
    cases = Case.objects.filter(pk__in=case_ids_for_group(police.group_id))
    with CaptureQueriesContext(connection) as queries:
        assert subquery_count(cases) == 3
    assert "\"cases_case\"" not in queries[0]["sql"]  # counted from the grant table alone


def test_count_with_another_filter_is_left_to_the_database():
    police, _, _ = _world(3)
    cases = Case.objects.filter(pk__in=case_ids_for_group(police.group_id), status="closed")
    assert subquery_count(cases) is None
    unmarked = Case.objects.filter(pk__in=Case.objects.values("pk"))
    assert subquery_count(unmarked) is None


def test_filtered_case_list_counts_only_matching_cases(api):
    police, _, user = _world(3)
    Case.objects.filter(pk=Case.objects.filter(pk__in=case_ids_for_group(police.group_id)).first().pk).update(
        status="closed")
    response = api(user).get("/api/v1/cases/", {"status": "closed"})
    assert response.json()["count"] == 1


def _with_people(case):
    """Safe contact details and two children (one known by date of birth, one by age)."""
    from marac.cases.services import add_children

    Victim.objects.filter(pk=case.victim_id).update(
        safe_contact="Mobile, weekdays after 6pm.", do_not_contact_via=["post", "home_visit"],
        do_not_contact_note="He reads her letters.")
    add_children([{"first_name": "Ava", "date_of_birth": date(2019, 5, 6), "school": "Northshire Primary"},
                  {"first_name": "Leo", "age": 3}], case=case)
    return case


@pytest.mark.parametrize("kind,role,serializer", [
    (AgencyKind.POLICE, Role.PRACTITIONER, "CaseForOtherParticipantsSerializer"),
    (AgencyKind.ADVOCACY, Role.PRACTITIONER, "CaseWithChildrenByNameAndAgeSerializer"),
    (AgencyKind.CHILDRENS_SERVICES, Role.PRACTITIONER, "CaseWithoutSafeContactSerializer"),
    (AgencyKind.MARAC_COORDINATION, Role.COORDINATOR, "CaseSerializer"),
])
def test_the_case_list_read_as_rows_writes_what_the_generic_walk_writes_for_each_case(api, kind, role, serializer):
    from api.cases import serializers

    agency = make_agency(kind)
    for _ in range(2):
        CaseFactory(participants=[agency])
    _with_people(CaseFactory(participants=[agency], perpetrator__date_of_birth=None, summary="x", status="closed",
                             is_repeat=True, stalking=True))
    results = api(make_user(agency, role)).get("/api/v1/cases/").json()["results"]
    expected = []
    for case in Case.objects.filter(pk__in=case_ids_for_group(agency.group_id)).select_related("victim",
                                                                                              "perpetrator"):
        attach_participant_ids([case])
        attach_children([case])
        expected.append(getattr(serializers, serializer)().generic_representation(case))
    assert results == expected
    assert [list(row) for row in results] == [list(row) for row in expected]  # same key order
    assert [list(row["victim"]) for row in results] == [list(row["victim"]) for row in expected]
    assert [list(child) for row in results for child in row["children"]] == [
        list(child) for row in expected for child in row["children"]]


def test_participants_of_a_page_are_read_in_one_query():
    police, housing, _ = _world(3)
    cases = list(Case.objects.all())
    with CaptureQueriesContext(connection) as queries:
        attach_participant_ids(cases)
    assert len(queries) == 1
    assert sorted(len(case.participant_ids) for case in cases) == [1, 2, 2, 2]


@pytest.mark.parametrize("serializer", ["CaseSerializer", "CaseWithoutSafeContactSerializer",
                                        "CaseWithChildrenByNameAndAgeSerializer",
                                        "CaseForOtherParticipantsSerializer"])
def test_fast_case_representation_equals_the_generic_one(serializer):
    from api.cases import serializers

    police = make_agency(AgencyKind.POLICE)
    CaseFactory(participants=[police])
    _with_people(CaseFactory(participants=[police], perpetrator__date_of_birth=None, summary="x", status="closed"))
    for case in Case.objects.select_related("victim", "perpetrator"):
        attach_children([case])
        writer = getattr(serializers, serializer)()
        fast, generic = writer.to_representation(case), writer.generic_representation(case)
        assert fast == generic
        assert list(fast) == list(generic)  # same key order
        assert list(fast["victim"]) == list(generic["victim"])


@pytest.mark.parametrize("zone", [None, "America/New_York"])
def test_a_page_written_out_equals_the_generic_walk_in_the_current_time_zone(zone):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from api.cases.serializers import CaseSerializer

    police = make_agency(AgencyKind.POLICE)
    summer = CaseFactory(participants=[police])
    Case.objects.filter(pk=summer.pk).update(created_at=datetime(2026, 7, 1, 11, 30, 5, 123, tzinfo=ZoneInfo("UTC")))
    CaseFactory(participants=[police])
    cases = list(Case.objects.select_related("victim", "perpetrator"))
    with timezone.override(zone) if zone else timezone.override(timezone.get_default_timezone()):
        page = CaseSerializer(cases, many=True).data
        generic = [CaseSerializer().generic_representation(case) for case in cases]
    assert page == generic
    assert any(row["created_at"].endswith("+01:00") or row["created_at"].endswith("-04:00") for row in page)
