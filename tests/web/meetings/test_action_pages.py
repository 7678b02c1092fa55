"""The actions worklist and action page: my agency's actions (coordinators: all of their
reach), overdue first, filtered; updated by the owning agency or a coordinator with a
status and a note (inline with htmx, a plain form without), every update kept."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marac.agencies.models import AgencyKind
from marac.audit.models import AuditEvent
from marac.meetings.models import Action, ActionUpdate
from tests.factories import CaseFactory, make_agency, make_user
from tests.meetings.helpers import ActionFactory, make_coordinator, make_meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def housing():
    return make_agency(AgencyKind.HOUSING)


@pytest.fixture
def police():
    return make_agency(AgencyKind.POLICE)


@pytest.fixture
def case(housing, police):
    return CaseFactory(participants=[housing, police])


def action_for(case, owner, days, **extra):
    meeting = make_meeting(on=TODAY - timedelta(days=30), cases=[case])
    return ActionFactory(case=case, meeting=meeting, owner_agency=owner, due_date=TODAY + timedelta(days=days),
                         **extra)


def listed(client, query=""):
    body = client.get(f"/actions/{query}").content.decode()
    return body


def row_order(body, actions):
    positions = {action.pk: body.find(f'id="action-{action.pk}"') for action in actions}
    return [pk for pk, at in sorted(positions.items(), key=lambda item: item[1]) if at >= 0]


def test_the_worklist_shows_my_agencys_actions_overdue_first(web, housing, police, case):
    later = action_for(case, housing, 5, description="Review tenancy.")
    overdue = action_for(case, housing, -3, description="Fit a door alarm.")
    done_late = action_for(case, housing, -9, status="done")
    polices = action_for(case, police, -1)
    body = listed(web(make_user(housing)))
    assert row_order(body, [later, overdue, done_late, polices]) == [overdue.pk, done_late.pk, later.pk]
    assert "Overdue" in body
    assert set(AuditEvent.objects.filter(action="view", object_type="action").values_list("object_id", flat=True)) \
        == {str(later.pk), str(overdue.pk), str(done_late.pk)}

    everything = listed(web(make_user(housing)), "?owner=all")
    assert f'id="action-{polices.pk}"' in everything  # the case's actions: housing is a participant


def test_coordinators_see_all_of_their_reach_and_filter(web, housing, police, case):
    mine = action_for(case, housing, -3)
    theirs = action_for(case, police, 4, status="in_progress")
    other = action_for(CaseFactory(participants=[police]), police, 2)
    client = web(make_coordinator())
    assert row_order(listed(client), [mine, theirs, other]) == [mine.pk, other.pk, theirs.pk]
    assert row_order(listed(client, "?status=in_progress"), [mine, theirs, other]) == [theirs.pk]
    assert row_order(listed(client, "?overdue=yes"), [mine, theirs, other]) == [mine.pk]
    assert row_order(listed(client, "?overdue=no"), [mine, theirs, other]) == [other.pk, theirs.pk]
    assert row_order(listed(client, f"?case={case.reference}"), [mine, theirs, other]) == [mine.pk, theirs.pk]
    assert client.get("/actions/?status=nonsense&overdue=maybe&page=x").status_code == 200


def test_an_agency_off_the_case_sees_none_of_its_actions(web, housing, case):
    action_for(case, housing, 3)
    stranger = make_user(make_agency(AgencyKind.HEALTH))
    assert "There are no actions that match." in listed(web(stranger), "?owner=all")
    assert web(stranger).get(f"/actions/{Action.objects.get().pk}/").status_code == 404


def test_the_owning_agency_updates_inline_with_htmx(web, housing, case):
    action = action_for(case, housing, -2)
    user = make_user(housing)
    response = web(user).post(f"/actions/{action.pk}/update/", {"status": "done", "update": "Alarm fitted."}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith("<tr") and "Done" in body
    update = ActionUpdate.objects.get()
    assert (update.by, update.agency, update.status_from, update.status_to, update.note) == (
        user, housing, "open", "done", "Alarm fitted.")
    assert AuditEvent.objects.filter(action="update", object_type="action", object_id=str(action.pk)).exists()


def test_without_javascript_an_update_returns_to_the_worklist(web, housing, case):
    action = action_for(case, housing, 2)
    response = web(make_user(housing)).post(f"/actions/{action.pk}/update/", {
        "status": "in_progress", "update": "", "next": "/actions/?status=open"})
    assert response.status_code == 302 and response["Location"] == "/actions/?status=open"
    action.refresh_from_db()
    assert action.status == "in_progress"
    unsafe = web(make_user(housing)).post(f"/actions/{action.pk}/update/", {
        "status": "done", "next": "https://elsewhere.example/"})
    assert unsafe["Location"] == f"/actions/{action.pk}/"


def test_an_update_with_no_change_and_no_note_writes_nothing(web, housing, case):
    action = action_for(case, housing, 2)
    response = web(make_user(housing)).post(f"/actions/{action.pk}/update/", {"status": "open", "update": " "})
    assert response.status_code == 200
    assert "Give a new status, an update, or both." in response.content.decode()
    assert not ActionUpdate.objects.exists()
    assert not AuditEvent.objects.filter(action="update").exists()
    bad = web(make_user(housing)).post(f"/actions/{action.pk}/update/", {"status": "finished"}, **HTMX)
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    assert not ActionUpdate.objects.exists()


def test_another_agency_on_the_case_cannot_update(web, housing, police, case):
    action = action_for(case, housing, 2)
    client = web(make_user(police))
    page = client.get(f"/actions/{action.pk}/").content.decode()
    assert "Update the action" not in page
    response = client.post(f"/actions/{action.pk}/update/", {"status": "done"})
    assert response.status_code == 403 and "You cannot do this" in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_the_action_page_shows_its_history(web, housing, case):
    action = action_for(case, housing, 2)
    client = web(make_user(housing))
    client.post(f"/actions/{action.pk}/update/", {"status": "in_progress", "update": "Booked the fitter."})
    page = client.get(f"/actions/{action.pk}/").content.decode()
    assert "Open to In progress" in page and "Booked the fitter." in page and "Update the action" in page
    assert "<title>Action on case" in page


def worklist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/actions/").status_code == 200
    return len(queries)


def test_the_worklist_reads_a_fixed_number_of_queries_whatever_its_length(web, housing, case):
    client = web(make_user(housing))
    action_for(case, housing, 1)
    worklist_queries(client)
    few = worklist_queries(client)
    for days in range(-10, 20):
        action_for(CaseFactory(participants=[housing]), housing, days)
    assert worklist_queries(client) == few == 6


def test_the_action_page_reads_a_fixed_number_of_queries_whatever_its_history(web, housing, case):
    action = action_for(case, housing, 2)
    client = web(make_user(housing))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/actions/{action.pk}/").status_code == 200
        return len(queries)

    client.post(f"/actions/{action.pk}/update/", {"status": "in_progress", "update": "Started."})
    count()
    few = count()
    for n in range(15):
        client.post(f"/actions/{action.pk}/update/", {"status": "open" if n % 2 else "in_progress",
                                                     "update": f"Note {n}."})
    assert count() == few == 7
