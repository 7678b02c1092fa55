"""The daily sweep flags overdue actions to their owning agency, once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from marac.agencies.models import AgencyKind, Role
from marac.meetings.services import flag_overdue_actions
from marac.notifications.models import Notification
from marac.notifications.sweep import run_daily_sweep, sweep_steps
from tests.factories import CaseFactory, make_agency, make_user
from tests.meetings.helpers import ActionFactory, make_meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_overdue_actions_notify_the_owning_agency_once(api):
    housing, police = make_agency(AgencyKind.HOUSING), make_agency(AgencyKind.POLICE)
    case = CaseFactory(participants=[housing, police])
    meeting = make_meeting(on=TODAY - timedelta(days=20), cases=[case])
    late = ActionFactory(case=case, meeting=meeting, owner_agency=housing, due_date=TODAY - timedelta(days=1))
    ActionFactory(case=case, meeting=meeting, owner_agency=housing, due_date=TODAY)  # due today: not yet overdue
    ActionFactory(case=case, meeting=meeting, owner_agency=police, due_date=TODAY - timedelta(days=5), status="done")
    ActionFactory(case=case, meeting=meeting, owner_agency=police, due_date=TODAY - timedelta(days=5),
                  status="cancelled")

    assert "overdue_actions" in sweep_steps()
    assert run_daily_sweep(TODAY)["overdue_actions"] == 1
    assert run_daily_sweep(TODAY)["overdue_actions"] == 0  # idempotent
    (notification,) = Notification.objects.all()
    assert (notification.agency, notification.kind, notification.object_id, notification.case) == (
        housing, "action_overdue", str(late.pk), case)

    listed = api(make_user(housing)).get("/api/v1/notifications/").json()["results"]
    assert [n["object_id"] for n in listed] == [str(late.pk)]
    assert api(make_user(police)).get("/api/v1/notifications/").json()["results"] == []


def test_a_moved_deadline_that_lapses_again_is_flagged_again():
    action = ActionFactory(due_date=TODAY - timedelta(days=3))
    flag_overdue_actions(TODAY)
    action.due_date = TODAY - timedelta(days=1)
    action.save()
    assert flag_overdue_actions(TODAY) == 1
    assert Notification.objects.count() == 2


def test_the_sweep_is_set_based(django_assert_max_num_queries):
    housing = make_agency(AgencyKind.HOUSING)
    case = CaseFactory(participants=[housing])
    meeting = make_meeting(on=TODAY - timedelta(days=20), cases=[case])
    for _ in range(30):
        ActionFactory(case=case, meeting=meeting, owner_agency=housing, due_date=TODAY - timedelta(days=1))
    with django_assert_max_num_queries(3):
        assert flag_overdue_actions(TODAY) == 30


def test_the_management_command_runs_the_step():
    ActionFactory(due_date=TODAY - timedelta(days=1))
    call_command("run_daily_sweep")
    assert Notification.objects.filter(kind="action_overdue").count() == 1


def test_notifications_for_a_role_reach_only_that_role_and_are_marked_read(api):
    from marac.notifications.services import notify

    agency = make_agency(AgencyKind.MARAC_COORDINATION)
    for_all = notify(agency=agency, kind="x", message="Everyone.", dedupe_key="all")
    for_coordinators = notify(agency=agency, kind="x", message="Coordinators.", dedupe_key="coord", role="coordinator")
    coordinator, practitioner = make_user(agency, Role.COORDINATOR), make_user(agency, Role.PRACTITIONER)

    assert {n["id"] for n in api(coordinator).get("/api/v1/notifications/").json()["results"]} == {
        for_all.pk, for_coordinators.pk}
    client = api(practitioner)
    assert [n["id"] for n in client.get("/api/v1/notifications/").json()["results"]] == [for_all.pk]
    assert client.post(f"/api/v1/notifications/{for_coordinators.pk}/read/").status_code == 404

    read = client.post(f"/api/v1/notifications/{for_all.pk}/read/")
    assert read.status_code == 200 and read.json()["read_at"]
    assert client.get("/api/v1/notifications/?unread=true").json()["results"] == []
    other = api(make_user(make_agency(AgencyKind.HOUSING)))
    assert other.post(f"/api/v1/notifications/{for_all.pk}/read/").status_code == 404


@pytest.mark.parametrize("rows", [2, 50])
def test_notification_list_query_count_does_not_grow_with_rows(api, django_assert_num_queries, rows):
    from marac.notifications.services import notify

    agency = make_agency(AgencyKind.HOUSING)
    for n in range(rows):
        notify(agency=agency, kind="x", message="m", dedupe_key=f"k{n}")
    client = api(make_user(agency))
    with django_assert_num_queries(4):  # token, count, page, audit INSERT
        assert len(client.get("/api/v1/notifications/").json()["results"]) == rows
