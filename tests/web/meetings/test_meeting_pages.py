"""The meetings pages: list and meeting page through the slice, the agenda, attendance
and minutes (meeting-wide for coordinators and chairs, per case for everyone on it),
actions agreed, carry-over reasons and closing, with the API's rules and audit."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from marac.maracs.services import default_marac
from marac.meetings.models import Action, ActionCarryOver, AgendaItem, Meeting, MeetingStatus
from tests.factories import CaseFactory, make_agency, make_marac, make_user
from tests.meetings.helpers import ActionFactory, make_chair, make_coordinator, make_meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def due_fields(day, name="due_date"):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@pytest.fixture
def housing():
    return make_agency(AgencyKind.HOUSING, "Northtown Housing")


@pytest.fixture
def case(housing):
    return CaseFactory(participants=[housing])


def events(action, object_type):
    return set(AuditEvent.objects.filter(action=action, object_type=object_type).values_list("object_id", flat=True))


def test_meeting_list_shows_upcoming_and_past_meetings_in_the_callers_slice(web, housing, case):
    upcoming = make_meeting(on=TODAY + timedelta(days=7), cases=[case])
    past = make_meeting(on=TODAY - timedelta(days=7), cases=[case])
    unrelated = make_meeting(on=TODAY + timedelta(days=3), cases=[CaseFactory()])
    client = web(make_user(housing))

    page = client.get("/meetings/")
    assert page.status_code == 200
    assert f"/meetings/{upcoming.pk}/" in page.content.decode()
    assert f"/meetings/{unrelated.pk}/" not in page.content.decode()
    assert f"/meetings/{past.pk}/" not in page.content.decode()
    assert f"/meetings/{past.pk}/" in client.get("/meetings/?when=past").content.decode()
    assert events("view", "meeting") == {str(upcoming.pk), str(past.pk)}


def test_coordinators_see_every_meeting_and_may_schedule_one(web):
    meetings = [make_meeting(on=TODAY + timedelta(days=n), cases=[CaseFactory()]) for n in (1, 2)]
    coordinator = make_coordinator()
    page = web(coordinator).get("/meetings/").content.decode()
    assert all(f"/meetings/{m.pk}/" in page for m in meetings)
    assert "Schedule a meeting" in page

    chair = make_chair()
    day = TODAY + timedelta(days=30)
    response = web(coordinator).post("/meetings/new/", {**due_fields(day, "date"), "chair": chair.pk})
    meeting = Meeting.objects.get(date=day)
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    assert (meeting.chair, meeting.created_by) == (chair, coordinator)
    assert events("create", "meeting") == {str(meeting.pk)}


def test_scheduling_with_a_bad_date_or_no_chair_writes_nothing(web):
    response = web(make_coordinator()).post("/meetings/new/", {"date_0": "31", "date_1": "2", "date_2": "2027"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and "Enter a real date" in body and "Choose the chair" in body
    assert not Meeting.objects.exists()


def test_with_several_maracs_the_coordinator_names_the_meetings_marac(web):
    other = make_marac("Southshire MARAC")
    chair = make_user(make_agency(AgencyKind.POLICE), Role.CHAIR, maracs=[other])
    client = web(make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR,
                           maracs=[default_marac(), other]))
    day = TODAY + timedelta(days=30)
    response = client.post("/meetings/new/", {**due_fields(day, "date"), "chair": chair.pk})
    assert response.status_code == 200 and "More than one MARAC is active: name the MARAC." in response.content.decode()
    assert not Meeting.objects.exists()
    response = client.post("/meetings/new/", {**due_fields(day, "date"), "chair": chair.pk, "marac": other.pk})
    assert response.status_code == 302
    assert Meeting.objects.get().marac == other


def test_a_coordinator_schedules_meetings_only_for_the_maracs_they_serve(web):
    other = make_marac("Southshire MARAC")
    chair = make_user(make_agency(AgencyKind.POLICE), Role.CHAIR, maracs=[other])
    response = web(make_coordinator()).post(
        "/meetings/new/", {**due_fields(TODAY + timedelta(days=30), "date"), "chair": chair.pk, "marac": other.pk})
    assert response.status_code == 200  # the form again, the message beside the MARAC
    assert "You schedule meetings only for the MARACs you serve." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_outside_the_slice_is_page_not_found(web, case):
    meeting = make_meeting(cases=[CaseFactory()])
    response = web(make_user(make_agency(AgencyKind.HEALTH))).get(f"/meetings/{meeting.pk}/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_agencies_see_their_cases_minutes_but_not_the_meeting_wide_minutes(web, housing, case):
    other_case = CaseFactory()
    meeting = make_meeting(cases=[case, other_case], minutes="Meeting-wide: everything discussed.")
    AgendaItem.objects.filter(case=case).update(minutes="Housing to fit a door alarm.")
    AgendaItem.objects.filter(case=other_case).update(minutes="Another victim's discussion.")
    page = web(make_user(housing)).get(f"/meetings/{meeting.pk}/").content.decode()
    assert case.reference in page and "Housing to fit a door alarm." in page
    assert other_case.reference not in page and "Another victim" not in page
    assert "Meeting-wide" not in page and "Attendance and minutes" not in page
    assert events("view", "meeting") == {str(meeting.pk)}
    assert events("view", "agenda_item") == {str(AgendaItem.objects.get(case=case).pk)}

    coordinator_page = web(make_coordinator()).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Meeting-wide: everything discussed." in coordinator_page and other_case.reference in coordinator_page


def test_meeting_page_shows_actions_agreed_and_carried_over_with_reasons(web, housing, case):
    earlier = make_meeting(on=TODAY - timedelta(days=14), cases=[case])
    meeting = make_meeting(on=TODAY + timedelta(days=7), cases=[case])
    late = ActionFactory(case=case, meeting=earlier, owner_agency=housing, description="Fit a door alarm.",
                         due_date=TODAY - timedelta(days=1))
    ActionCarryOver.objects.create(action=late, meeting=meeting)
    agreed = ActionFactory(case=case, meeting=meeting, owner_agency=housing, description="Review the tenancy.",
                           due_date=TODAY + timedelta(days=10))
    page = web(make_user(housing)).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Review the tenancy." in page and "Fit a door alarm." in page and "Overdue" in page
    assert "Not recorded yet" in page and "Record reason" not in page  # agencies do not record reasons
    assert events("view", "action") == {str(late.pk), str(agreed.pk)}

    coordinator = make_coordinator()
    assert "Record reason" in web(coordinator).get(f"/meetings/{meeting.pk}/").content.decode()
    response = web(coordinator).post(f"/actions/{late.pk}/carry-over/", {
        "meeting": meeting.pk, "reason": "agency_did_not_act", "note": "No contact made.",
        "next": f"/meetings/{meeting.pk}/#case-{case.pk}"})
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/#case-{case.pk}"
    carry = ActionCarryOver.objects.get()
    assert (carry.reason, carry.note, carry.recorded_by) == ("agency_did_not_act", "No contact made.", coordinator)
    assert "Agency did not act" in web(coordinator).get(f"/meetings/{meeting.pk}/").content.decode()


def test_a_carry_over_reason_must_be_chosen(web, housing, case):
    meeting = make_meeting(on=TODAY + timedelta(days=7), cases=[case])
    action = ActionFactory(case=case, owner_agency=housing)
    ActionCarryOver.objects.create(action=action, meeting=meeting)
    response = web(make_coordinator()).post(f"/actions/{action.pk}/carry-over/", {"meeting": meeting.pk})
    assert response.status_code == 200 and "Choose why the action was not completed" in response.content.decode()
    assert ActionCarryOver.objects.get().reason is None


def test_coordinators_add_a_case_to_the_agenda_and_its_incomplete_actions_carry_over(web, housing, case):
    earlier = make_meeting(on=TODAY - timedelta(days=14), cases=[case])
    action = ActionFactory(case=case, meeting=earlier, owner_agency=housing)
    meeting = make_meeting(on=TODAY + timedelta(days=7))
    response = web(make_coordinator()).post(f"/meetings/{meeting.pk}/agenda/add/",
                                            {"reference": case.reference.lower()})
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.case == case
    assert ActionCarryOver.objects.filter(action=action, meeting=meeting).exists()
    assert events("create", "agenda_item") == {str(item.pk)}


def test_adding_an_unknown_case_or_to_a_closed_meeting_writes_nothing(web, case):
    meeting = make_meeting(on=TODAY + timedelta(days=7))
    client = web(make_coordinator())
    response = client.post(f"/meetings/{meeting.pk}/agenda/add/", {"reference": "MARAC-NOPE"})
    assert response.status_code == 200
    assert "There is no case with this reference that you can see" in response.content.decode()
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CLOSED)
    response = client.post(f"/meetings/{meeting.pk}/agenda/add/", {"reference": case.reference})
    assert "This meeting is closed; cases cannot be added to it." in response.content.decode()
    assert not AgendaItem.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_agencies_cannot_add_to_the_agenda(web, housing, case):
    meeting = make_meeting(cases=[case])
    response = web(make_user(housing)).post(f"/meetings/{meeting.pk}/agenda/add/", {"reference": case.reference})
    assert response.status_code == 403 and "You cannot do this" in response.content.decode()


def test_attendance_and_minutes_are_recorded_and_an_agency_cannot_be_present_and_absent(web, housing, case):
    meeting = make_meeting(cases=[case])
    police = make_agency(AgencyKind.POLICE, "Northtown Police")
    client = web(make_chair())
    response = client.post(f"/meetings/{meeting.pk}/minutes/", {
        "agencies_present": [housing.pk, police.pk], "apologies": [housing.pk], "minutes": "Shared."})
    assert response.status_code == 200
    assert "An agency cannot be both present and give apologies: Northtown Housing." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "" and not meeting.agencies_present.exists()

    response = client.post(f"/meetings/{meeting.pk}/minutes/", {
        "agencies_present": [housing.pk], "apologies": [police.pk], "minutes": "Information shared."})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Information shared."
    assert list(meeting.apologies.all()) == [police]
    assert events("update", "meeting") == {str(meeting.pk)}


def test_closing_a_meeting_needs_minutes_and_attendance_like_the_api(web, housing, case):
    meeting = make_meeting(cases=[case], status=MeetingStatus.HELD)
    client = web(make_coordinator())
    response = client.post(f"/meetings/{meeting.pk}/status/", {"status": "closed"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Record the minutes before closing the meeting." in body
    assert "Record the agencies present before closing the meeting." in body
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD

    Meeting.objects.filter(pk=meeting.pk).update(minutes="Shared.")
    meeting.agencies_present.add(housing)
    assert client.post(f"/meetings/{meeting.pk}/status/", {"status": "closed"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Close meeting" not in page and "Add case" not in page  # a closed meeting is the record


def test_case_minutes_are_kept_by_chairs_and_coordinators(web, housing, case):
    meeting = make_meeting(cases=[case])
    item = meeting.agenda_items.get()
    url = f"/meetings/{meeting.pk}/agenda/{item.pk}/minutes/"
    assert web(make_user(housing)).post(url, {"minutes": "Mine."}).status_code == 403
    response = web(make_chair()).post(url, {"minutes": "Police to flag the address."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.minutes == "Police to flag the address."
    assert events("update", "agenda_item") == {str(item.pk)}


def test_actions_are_agreed_for_an_agency_on_the_case(web, housing, case):
    meeting = make_meeting(on=TODAY, cases=[case])
    stranger = make_agency(AgencyKind.HEALTH)
    client = web(make_chair())
    form = client.get(f"/meetings/{meeting.pk}/actions/new/?case={case.pk}").content.decode()
    assert "Northtown Housing" in form and stranger.name not in form  # owners: the case's participants

    day = TODAY + timedelta(days=14)
    response = client.post(f"/meetings/{meeting.pk}/actions/new/", {
        "case": case.pk, "description": "Fit a door alarm.", "owner_agency": housing.pk, **due_fields(day)})
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.owner_agency, action.due_date, action.meeting) == (housing, day, meeting)
    assert events("create", "action") == {str(action.pk)}


def test_an_action_with_a_due_date_before_the_meeting_writes_nothing(web, housing, case):
    meeting = make_meeting(on=TODAY, cases=[case])
    response = web(make_coordinator()).post(f"/meetings/{meeting.pk}/actions/new/", {
        "case": case.pk, "description": "", "owner_agency": housing.pk, **due_fields(TODAY - timedelta(days=1))})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Describe the action" in body
    response = web(make_coordinator()).post(f"/meetings/{meeting.pk}/actions/new/", {
        "case": case.pk, "description": "Visit.", "owner_agency": housing.pk,
        **due_fields(TODAY - timedelta(days=1))})
    assert "The due date cannot be before the meeting that agreed the action." in response.content.decode()
    assert not Action.objects.exists() and not AuditEvent.objects.filter(action="create").exists()


def meeting_page_queries(client, meeting):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/meetings/{meeting.pk}/").status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PRACTITIONER])
def test_the_meeting_page_reads_a_fixed_number_of_queries_whatever_the_agenda(web, housing, role):
    user = make_coordinator() if role == Role.COORDINATOR else make_user(housing)
    client = web(user)

    def meeting_with(n):
        cases = [CaseFactory(participants=[housing]) for _ in range(n)]
        earlier = make_meeting(on=TODAY - timedelta(days=14), cases=cases)
        meeting = make_meeting(on=TODAY + timedelta(days=7), cases=cases, minutes="Shared.")
        meeting.agencies_present.add(housing)
        for case in cases:
            ActionFactory(case=case, meeting=meeting, owner_agency=housing)
            carried = ActionFactory(case=case, meeting=earlier, owner_agency=housing)
            ActionCarryOver.objects.create(action=carried, meeting=meeting)
        return meeting

    small, large = meeting_with(2), meeting_with(12)
    meeting_page_queries(client, small)  # warm the session
    # The coordinator is offered the meeting's forms and pack: each a check on the meeting.
    pinned = {Role.COORDINATOR: 16, Role.PRACTITIONER: 7}[role]
    assert meeting_page_queries(client, large) == meeting_page_queries(client, small) == pinned


def test_the_meeting_list_reads_a_fixed_number_of_queries_whatever_its_length(web):
    client = web(make_coordinator())
    make_meeting(on=TODAY + timedelta(days=1))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/meetings/").status_code == 200
        return len(queries)

    count()
    few = count()
    for days in range(2, 30):
        make_meeting(on=TODAY + timedelta(days=days))
    assert count() == few == 5
