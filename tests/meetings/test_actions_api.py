"""Actions: created by coordinators and chairs, changed by the owner agency or a
coordinator, every update kept with who and when."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.agencies.models import AgencyKind, Role
from marac.meetings.models import Action, ActionUpdate, MeetingStatus
from tests.factories import CaseFactory, make_agency, make_user
from tests.meetings.helpers import ActionFactory, make_chair, make_coordinator, make_meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def plan():
    housing, police = make_agency(AgencyKind.HOUSING), make_agency(AgencyKind.POLICE)
    case = CaseFactory(participants=[housing, police])
    meeting = make_meeting(on=TODAY, cases=[case])
    return housing, police, case, meeting


def payload(case_, meeting_, owner_, **overrides):
    body = {"case": case_.pk, "meeting": meeting_.pk, "description": "Fit a door alarm.", "owner_agency": owner_.pk,
            "due_date": (TODAY + timedelta(days=14)).isoformat()}
    body.update(overrides)
    return body


@pytest.mark.parametrize("creator", ["coordinator", "chair"])
def test_coordinators_and_chairs_create_actions(api, plan, creator):
    housing, _, case, meeting = plan
    user = make_coordinator() if creator == "coordinator" else make_chair()
    response = api(user).post("/api/v1/actions/", payload(case, meeting, housing))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["owner_agency"], body["status"], body["overdue"], body["updates"]) == (housing.pk, "open", False, [])
    assert Action.objects.get().created_by == user


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.MANAGER])
def test_participants_do_not_create_actions(api, plan, role):
    housing, _, case, meeting = plan
    response = api(make_user(housing, role)).post("/api/v1/actions/", payload(case, meeting, housing))
    assert response.status_code == 403
    assert not Action.objects.exists()


@pytest.mark.parametrize("overrides,field", [
    ({"due_date": "soon"}, "due_date"),
    ({"due_date": "2030-13-01"}, "due_date"),
    ({"owner_agency": "housing"}, "owner_agency"),
    ({"owner_agency": 999999}, "owner_agency"),
    ({"case": 999999}, "case"),
    ({"meeting": 999999}, "meeting"),
    ({"description": ""}, "description"),
    ({"status": "done"}, "status"),
])
def test_bad_action_input_is_400_and_writes_nothing(api, plan, overrides, field):
    housing, _, case, meeting = plan
    response = api(make_coordinator()).post("/api/v1/actions/", payload(case, meeting, housing, **overrides))
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Action.objects.exists()


def test_the_owner_agency_must_be_on_the_case(api, plan):
    _, _, case, meeting = plan
    outsider = make_agency(AgencyKind.HEALTH)
    response = api(make_coordinator()).post("/api/v1/actions/", payload(case, meeting, outsider))
    assert response.status_code == 400 and "owner_agency" in response.json()
    assert not Action.objects.exists()


def test_the_case_must_be_on_the_meetings_agenda(api, plan):
    housing, _, case, _ = plan
    elsewhere = make_meeting(on=TODAY)
    response = api(make_coordinator()).post("/api/v1/actions/", payload(case, elsewhere, housing))
    assert response.status_code == 400 and "meeting" in response.json()


def test_a_closed_meetings_action_plan_is_final(api, plan):
    housing, _, case, meeting = plan
    meeting.status = MeetingStatus.CLOSED
    meeting.save()
    response = api(make_coordinator()).post("/api/v1/actions/", payload(case, meeting, housing))
    assert response.status_code == 400 and "meeting" in response.json()


def test_owner_agency_updates_its_action_and_the_history_keeps_who_and_when(api, plan):
    housing, _, case, meeting = plan
    action = ActionFactory(case=case, meeting=meeting, owner_agency=housing)
    officer = make_user(housing)
    client = api(officer)
    first = client.patch(f"/api/v1/actions/{action.pk}/", {"status": "in_progress", "update": "Visit booked."})
    assert first.status_code == 200, first.content
    second = client.patch(f"/api/v1/actions/{action.pk}/", {"update": "Visit done; alarm ordered."})
    assert second.json()["status"] == "in_progress"
    history = second.json()["updates"]
    assert [(u["by"], u["agency"], u["status_from"], u["status_to"], u["note"]) for u in history] == [
        (officer.pk, housing.pk, "open", "in_progress", "Visit booked."),
        (officer.pk, housing.pk, "in_progress", "in_progress", "Visit done; alarm ordered."),
    ]
    assert all(u["at"] for u in history)


def test_coordinator_updates_any_action(api, plan):
    housing, _, case, meeting = plan
    action = ActionFactory(case=case, meeting=meeting, owner_agency=housing)
    response = api(make_coordinator()).patch(f"/api/v1/actions/{action.pk}/", {"status": "cancelled"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_other_participants_see_but_may_not_change_an_action(api, plan):
    housing, police, case, meeting = plan
    action = ActionFactory(case=case, meeting=meeting, owner_agency=housing)
    client = api(make_user(police))
    assert client.get(f"/api/v1/actions/{action.pk}/").status_code == 200
    assert client.patch(f"/api/v1/actions/{action.pk}/", {"status": "done"}).status_code == 403
    assert api(make_chair()).patch(f"/api/v1/actions/{action.pk}/", {"status": "done"}).status_code == 403
    action.refresh_from_db()
    assert action.status == "open" and not ActionUpdate.objects.exists()


def test_outsiders_get_404_for_an_action(api, plan):
    housing, _, case, meeting = plan
    action = ActionFactory(case=case, meeting=meeting, owner_agency=housing)
    client = api(make_user(make_agency(AgencyKind.HEALTH)))
    assert client.get(f"/api/v1/actions/{action.pk}/").status_code == 404
    assert client.patch(f"/api/v1/actions/{action.pk}/", {"status": "done"}).status_code == 404
    assert client.get("/api/v1/actions/").json()["results"] == []


def test_an_owner_removed_from_the_case_loses_its_action(api, plan):
    from marac.cases.participants import remove_participant

    housing, _, case, meeting = plan
    action = ActionFactory(case=case, meeting=meeting, owner_agency=housing)
    remove_participant(case, housing)
    assert api(make_user(housing)).patch(f"/api/v1/actions/{action.pk}/", {"status": "done"}).status_code == 404


@pytest.mark.parametrize("body,field", [
    ({"status": "finished"}, "status"),
    ({}, "update"),
    ({"update": "   "}, "update"),
    ({"due_date": "2030-01-01"}, "due_date"),
])
def test_bad_action_update_is_400_and_changes_nothing(api, plan, body, field):
    housing, _, case, meeting = plan
    action = ActionFactory(case=case, meeting=meeting, owner_agency=housing)
    response = api(make_user(housing)).patch(f"/api/v1/actions/{action.pk}/", body)
    assert response.status_code == 400 and field in response.json()
    action.refresh_from_db()
    assert action.status == "open" and not ActionUpdate.objects.exists()


def test_action_filters(api, plan):
    housing, police, case, meeting = plan
    overdue = ActionFactory(case=case, meeting=meeting, owner_agency=housing, due_date=TODAY - timedelta(days=1))
    done_late = ActionFactory(case=case, meeting=meeting, owner_agency=housing, due_date=TODAY - timedelta(days=1),
                              status="done")
    police_action = ActionFactory(case=case, meeting=meeting, owner_agency=police)
    other_case = CaseFactory(participants=[housing])
    elsewhere = ActionFactory(case=other_case, meeting=make_meeting(cases=[other_case]), owner_agency=housing)
    client = api(make_user(housing))

    def ids(query):
        response = client.get(f"/api/v1/actions/?{query}")
        assert response.status_code == 200, response.content
        return {a["id"] for a in response.json()["results"]}

    assert ids("overdue=true") == {overdue.pk}
    assert ids("overdue=false") == {done_late.pk, police_action.pk, elsewhere.pk}
    assert ids("status=done") == {done_late.pk}
    assert ids(f"owner_agency={police.pk}") == {police_action.pk}
    assert ids(f"case={other_case.pk}") == {elsewhere.pk}
    assert ids(f"meeting={meeting.pk}") == {overdue.pk, done_late.pk, police_action.pk}
    assert client.get("/api/v1/actions/?status=finished").status_code == 400


@pytest.mark.parametrize("rows", [2, 50])
def test_action_list_query_count_does_not_grow_with_rows(api, django_assert_num_queries, rows):
    housing = make_agency(AgencyKind.HOUSING)
    case = CaseFactory(participants=[housing])
    meeting = make_meeting(on=TODAY, cases=[case])
    officer = make_user(housing)
    for _ in range(rows):
        action = ActionFactory(case=case, meeting=meeting, owner_agency=housing)
        ActionUpdate.objects.create(action=action, by=officer, agency=housing, status_from="open",
                                    status_to="in_progress", note="Started.")
    client = api(officer)
    with django_assert_num_queries(6):  # ... + the page's audit events (1 INSERT)
        results = client.get("/api/v1/actions/").json()["results"]
    assert len(results) == rows and all(len(a["updates"]) == 1 for a in results)
