"""Meetings and agendas through the API: who schedules, who sees what, the minutes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.agencies.models import AgencyKind, Role
from marac.meetings.models import ActionCarryOver, AgendaItem, Meeting, MeetingStatus
from tests.contract import document
from tests.factories import CaseFactory, make_agency, make_user
from tests.meetings.helpers import ActionFactory, make_chair, make_coordinator, make_meeting

pytestmark = pytest.mark.django_db

FUTURE = (timezone.localdate() + timedelta(days=21)).isoformat()


def test_coordinator_schedules_a_meeting_with_a_chair(api, settings):
    coordinator, chair = make_coordinator(), make_chair()
    response = api(coordinator).post("/api/v1/meetings/", {"date": FUTURE, "chair": chair.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["chair"] == chair.pk and body["status"] == "scheduled" and body["date"] == FUTURE
    assert body["confidentiality_statement"] == settings.MARAC_CONFIDENTIALITY_STATEMENT
    assert Meeting.objects.get(pk=body["id"]).created_by == coordinator


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.MANAGER, Role.CHAIR])
def test_only_coordinators_schedule_meetings(api, role):
    user = make_user(make_agency(AgencyKind.POLICE), role)
    response = api(user).post("/api/v1/meetings/", {"date": FUTURE, "chair": make_chair().pk})
    assert response.status_code == 403
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("body,field", [
    ({"date": "next tuesday"}, "date"),
    ({"date": "2031-02-30"}, "date"),
    ({"chair": "x"}, "chair"),
    ({"chair": 999999}, "chair"),
    ({"venue": "Town hall"}, "venue"),
])
def test_bad_meeting_input_is_400_and_writes_nothing(api, body, field):
    payload = {"date": FUTURE, "chair": make_chair().pk, **body}
    response = api(make_coordinator()).post("/api/v1/meetings/", payload)
    assert response.status_code == 400
    assert field in response.json()
    assert not Meeting.objects.exists()


def test_the_chair_must_hold_the_chair_role(api):
    practitioner = make_user(make_agency(AgencyKind.POLICE), Role.PRACTITIONER)
    response = api(make_coordinator()).post("/api/v1/meetings/", {"date": FUTURE, "chair": practitioner.pk})
    assert response.status_code == 400 and "chair" in response.json()
    assert not Meeting.objects.exists()


def test_an_agency_sees_a_meeting_only_when_it_is_on_one_of_its_cases(api):
    housing, police = make_agency(AgencyKind.HOUSING), make_agency(AgencyKind.POLICE)
    ours, theirs = CaseFactory(participants=[housing, police]), CaseFactory(participants=[police])
    shared_meeting = make_meeting(cases=[ours, theirs])
    other_meeting = make_meeting(cases=[theirs])
    make_meeting()  # nothing on it
    client = api(make_user(housing))

    listed = client.get("/api/v1/meetings/").json()["results"]
    assert [m["id"] for m in listed] == [shared_meeting.pk]
    assert set(listed[0]) == {"id", "marac", "date", "chair", "status"}  # no minutes or attendance
    assert client.get(f"/api/v1/meetings/{other_meeting.pk}/").status_code == 404

    agenda = client.get(f"/api/v1/meetings/{shared_meeting.pk}/agenda/").json()["results"]
    assert [item["case"] for item in agenda] == [ours.pk]
    assert client.get(f"/api/v1/meetings/{other_meeting.pk}/agenda/").status_code == 404


def test_a_meeting_reached_through_several_cases_is_listed_once(api):
    housing = make_agency(AgencyKind.HOUSING)
    cases = [CaseFactory(participants=[housing]) for _ in range(3)]
    meeting = make_meeting(cases=cases)
    listed = api(make_user(housing)).get("/api/v1/meetings/").json()
    assert listed["count"] == 1 and [m["id"] for m in listed["results"]] == [meeting.pk]


def test_coordinators_and_chairs_see_every_meeting_with_its_minutes(api):
    meetings = [make_meeting(cases=[CaseFactory()]), make_meeting()]
    for user in (make_coordinator(), make_chair()):
        listed = api(user).get("/api/v1/meetings/").json()["results"]
        assert {m["id"] for m in listed} == {m.pk for m in meetings}
        assert all("minutes" in m and "agencies_present" in m for m in listed)


def test_coordinator_adds_a_case_to_the_agenda(api):
    meeting, case = make_meeting(), CaseFactory()
    client = api(make_coordinator())
    response = client.post(f"/api/v1/meetings/{meeting.pk}/agenda/", {"case": case.pk})
    assert response.status_code == 201, response.content
    assert response.json()["case"] == case.pk and response.json()["reference"] == case.reference
    again = client.post(f"/api/v1/meetings/{meeting.pk}/agenda/", {"case": case.pk})
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_no_case_is_added_to_a_closed_meeting(api):
    meeting, case = make_meeting(status=MeetingStatus.CLOSED), CaseFactory()
    response = api(make_coordinator()).post(f"/api/v1/meetings/{meeting.pk}/agenda/", {"case": case.pk})
    assert response.status_code == 400 and "meeting" in response.json()
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("case_id", ["nope", 999999, None])
def test_bad_agenda_case_is_400_and_writes_nothing(api, case_id):
    meeting = make_meeting()
    response = api(make_coordinator()).post(f"/api/v1/meetings/{meeting.pk}/agenda/", {"case": case_id})
    assert response.status_code == 400 and "case" in response.json()
    assert not AgendaItem.objects.exists()


def test_incomplete_actions_carry_over_when_the_case_comes_back(api):
    owner = make_agency(AgencyKind.HOUSING)
    case = CaseFactory(participants=[owner])
    first = make_meeting(on=timezone.localdate() - timedelta(days=30), cases=[case])
    open_action = ActionFactory(case=case, meeting=first, owner_agency=owner)
    ActionFactory(case=case, meeting=first, owner_agency=owner, status="done")
    second = make_meeting(on=timezone.localdate() + timedelta(days=5))
    coordinator = make_coordinator()
    client = api(coordinator)
    assert client.post(f"/api/v1/meetings/{second.pk}/agenda/", {"case": case.pk}).status_code == 201
    assert list(ActionCarryOver.objects.values_list("action", "meeting", "reason")) == [
        (open_action.pk, second.pk, None)]

    response = client.post(f"/api/v1/actions/{open_action.pk}/carry-over/",
                           {"meeting": second.pk, "reason": "agency_did_not_act", "note": "Chased twice."})
    assert response.status_code == 200, response.content
    carried = response.json()["carry_overs"]
    assert [(c["meeting"], c["reason"], c["recorded_by"]) for c in carried] == [
        (second.pk, "agency_did_not_act", coordinator.pk)]


def test_carry_over_reason_outside_the_enum_is_400(api):
    owner = make_agency(AgencyKind.HOUSING)
    case = CaseFactory(participants=[owner])
    action = ActionFactory(case=case, meeting=make_meeting(on=timezone.localdate() - timedelta(days=30), cases=[case]),
                           owner_agency=owner)
    later = make_meeting(cases=[])
    client = api(make_coordinator())
    client.post(f"/api/v1/meetings/{later.pk}/agenda/", {"case": case.pk})
    response = client.post(f"/api/v1/actions/{action.pk}/carry-over/", {"meeting": later.pk, "reason": "forgot"})
    assert response.status_code == 400 and "reason" in response.json()
    assert ActionCarryOver.objects.get().reason is None


def test_a_carry_over_not_yet_explained_answers_null_reason_so_action_lists_parse(api):
    """An automatic carry-over has no reason yet: `reason`, `recorded_by` and
    `recorded_at` are null (documented nullable), never "" outside the enum."""
    owner = make_agency(AgencyKind.HOUSING)
    case = CaseFactory(participants=[owner])
    action = ActionFactory(case=case, meeting=make_meeting(on=timezone.localdate() - timedelta(days=30), cases=[case]),
                           owner_agency=owner)
    later = make_meeting(cases=[])
    client = api(make_coordinator())
    assert client.post(f"/api/v1/meetings/{later.pk}/agenda/", {"case": case.pk}).status_code == 201

    (row,) = [a for a in client.get("/api/v1/actions/").json()["results"] if a["id"] == action.pk]
    (carried,) = row["carry_overs"]
    assert (carried["meeting"], carried["reason"], carried["recorded_by"], carried["recorded_at"]) == (
        later.pk, None, None, None)
    properties = document()["components"]["schemas"]["ActionCarryOver"]["properties"]
    assert all(properties[name].get("nullable") for name in ("reason", "recorded_by", "recorded_at"))


def test_minutes_attendance_and_status_move_forward_only(api):
    meeting = make_meeting()
    present, absent = make_agency(AgencyKind.POLICE), make_agency(AgencyKind.HEALTH)
    client = api(meeting.chair)
    url = f"/api/v1/meetings/{meeting.pk}/"

    assert client.patch(url, {"status": "closed"}).status_code == 400  # not held yet
    held = client.patch(url, {"status": "held", "agencies_present": [present.pk], "apologies": [absent.pk]})
    assert held.status_code == 200, held.content
    assert held.json()["agencies_present"] == [present.pk] and held.json()["apologies"] == [absent.pk]

    no_minutes = client.patch(url, {"status": "closed"})
    assert no_minutes.status_code == 400 and "minutes" in no_minutes.json()
    closed = client.patch(url, {"status": "closed", "minutes": "Information shared; actions agreed."})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["confidentiality_statement"] == "Confidential to the MARAC."

    assert client.patch(url, {"minutes": "Rewritten."}).status_code == 400
    assert Meeting.objects.get().minutes == "Information shared; actions agreed."


@pytest.mark.parametrize("body,field", [
    ({"status": "postponed"}, "status"),
    ({"agencies_present": ["x"]}, "agencies_present"),
    ({"agencies_present": [999999]}, "agencies_present"),
])
def test_bad_meeting_update_is_400_and_changes_nothing(api, body, field):
    meeting = make_meeting()
    response = api(make_coordinator()).patch(f"/api/v1/meetings/{meeting.pk}/", body)
    assert response.status_code == 400 and field in response.json()
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and not meeting.agencies_present.exists()


def test_an_agency_cannot_be_both_present_and_apologise(api):
    meeting, agency = make_meeting(), make_agency()
    response = api(make_coordinator()).patch(f"/api/v1/meetings/{meeting.pk}/",
                                             {"agencies_present": [agency.pk], "apologies": [agency.pk]})
    assert response.status_code == 400 and "apologies" in response.json()
    assert not meeting.agencies_present.exists()


def _meeting_list_world(n):
    housing = make_agency(AgencyKind.HOUSING)
    chair = make_chair()
    for _ in range(n):
        meeting = make_meeting(chair=chair, cases=[CaseFactory(participants=[housing])])
        meeting.agencies_present.add(housing)
    return housing


@pytest.mark.parametrize("rows", [2, 50])
def test_meeting_list_query_count_does_not_grow_with_rows(api, django_assert_num_queries, rows):
    housing = _meeting_list_world(rows)
    # A coordinator's page takes one more: which rows show the minutes (`view_minutes`
    # holds in the MARACs they serve), one query for the page whatever its length.
    for user, queries in ((make_user(housing), 6), (make_coordinator(), 7)):
        client = api(user)
        client.get("/api/v1/me/")  # warm the token
        with django_assert_num_queries(queries):  # + audit INSERT
            assert len(client.get("/api/v1/meetings/").json()["results"]) == rows


@pytest.mark.parametrize("rows", [2, 50])
def test_agenda_list_query_count_does_not_grow_with_rows(api, django_assert_num_queries, rows):
    housing = make_agency(AgencyKind.HOUSING)
    meeting = make_meeting(cases=[CaseFactory(participants=[housing]) for _ in range(rows)])
    client = api(make_user(housing))
    with django_assert_num_queries(5):  # + audit INSERT
        assert len(client.get(f"/api/v1/meetings/{meeting.pk}/agenda/").json()["results"]) == rows
