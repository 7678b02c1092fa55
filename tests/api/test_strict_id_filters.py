"""Id filters are integers in the schema, and the filter backend holds them to it: a
decimal or non-numeric id is a 400 naming the parameter, never "filter by id 0"."""

import pytest

from marac.agencies.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.meetings.helpers import ActionFactory, make_coordinator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["8.117534067483006e-258", "1.5", "abc", "٣", "+ 1"])
def test_a_non_whole_number_id_filter_is_400_naming_the_parameter(api, value):
    response = api(make_coordinator()).get("/api/v1/actions/", {"meeting": value})
    assert response.status_code == 400
    assert response.json() == {"meeting": ["Send a whole number."]}


def test_whole_number_id_filters_still_filter(api):
    action = ActionFactory(created_by=make_coordinator())
    ActionFactory(created_by=action.created_by)
    coordinator = make_coordinator()
    response = api(coordinator).get("/api/v1/actions/", {"meeting": action.meeting_id})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [action.pk]
    assert api(coordinator).get("/api/v1/actions/", {"meeting": ""}).json()["count"] == 2


def test_the_audit_log_agency_filter_is_held_to_whole_numbers_too(api):
    manager = make_user(make_agency(AgencyKind.POLICE), Role.MANAGER)
    assert api(manager).get("/api/v1/audit-events/", {"agency": "2.0"}).status_code == 400


def test_a_list_asked_only_for_a_page_is_not_filtered(api):
    coordinator = make_coordinator()
    ActionFactory(created_by=coordinator)
    ActionFactory(created_by=coordinator)
    response = api(coordinator).get("/api/v1/actions/", {"page": 1, "page_size": 1})
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert len(response.json()["results"]) == 1


def test_a_filter_sent_beside_page_parameters_still_filters(api):
    # The backend skips the filterset only when every parameter is a page parameter.
    action = ActionFactory(created_by=make_coordinator())
    ActionFactory(created_by=action.created_by)
    response = api(make_coordinator()).get("/api/v1/actions/",
                                           {"page": 1, "page_size": 5, "meeting": action.meeting_id})
    assert [row["id"] for row in response.json()["results"]] == [action.pk]


def test_a_bad_filter_value_beside_page_parameters_is_still_400(api):
    response = api(make_coordinator()).get("/api/v1/actions/", {"page": 1, "meeting": "1.5"})
    assert response.status_code == 400
    assert response.json() == {"meeting": ["Send a whole number."]}
