"""Per-case minutes (final once the meeting closes) and the worklist's order: overdue first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.errors import DomainError
from marac.meetings.models import Action, MeetingStatus
from marac.meetings.services import overdue_first, record_case_minutes
from tests.factories import CaseFactory
from tests.meetings.helpers import ActionFactory, make_meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_case_minutes_are_recorded_on_the_agenda_item():
    meeting = make_meeting(cases=[CaseFactory()])
    item = meeting.agenda_items.get()
    record_case_minutes(item, minutes="Police to flag the address.")
    item.refresh_from_db()
    assert item.minutes == "Police to flag the address."


def test_case_minutes_of_a_closed_meeting_are_final():
    meeting = make_meeting(cases=[CaseFactory()], status=MeetingStatus.CLOSED)
    item = meeting.agenda_items.get()
    with pytest.raises(DomainError) as error:
        record_case_minutes(item, minutes="Changed afterwards.")
    assert "minutes" in error.value.messages
    item.refresh_from_db()
    assert item.minutes == ""


def test_worklist_lists_overdue_actions_first_then_by_due_date():
    later = ActionFactory(due_date=TODAY + timedelta(days=3))
    sooner = ActionFactory(due_date=TODAY + timedelta(days=1))
    done_late = ActionFactory(due_date=TODAY - timedelta(days=9), status="done")
    overdue = ActionFactory(due_date=TODAY - timedelta(days=2))
    for action in (later, sooner, done_late, overdue):
        Action.objects.filter(pk=action.pk).update(due_date=action.due_date)  # past meeting dates aside
    ordered = list(overdue_first(Action.objects.all(), TODAY).values_list("pk", flat=True))
    assert ordered == [overdue.pk, done_late.pk, sooner.pk, later.pk]
    assert overdue.is_overdue(TODAY) and not done_late.is_overdue(TODAY) and not sooner.is_overdue(TODAY)


def test_the_api_serves_each_agenda_items_minutes_to_those_who_see_the_item(api):
    from marac.agencies.models import AgencyKind
    from tests.factories import make_agency, make_user

    housing = make_agency(AgencyKind.HOUSING)
    meeting = make_meeting(cases=[CaseFactory(participants=[housing])])
    record_case_minutes(meeting.agenda_items.get(), minutes="Housing to fit a door alarm.")
    body = api(make_user(housing)).get(f"/api/v1/meetings/{meeting.pk}/agenda/").json()
    assert [item["minutes"] for item in body["results"]] == ["Housing to fit a door alarm."]
