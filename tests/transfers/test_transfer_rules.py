"""The transfer rules (issue 12, "Transfers"), each tested through the domain services."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marac.cases.models import Case
from marac.cases.participants import participant_grants
from marac.errors import DomainError
from marac.meetings.models import ActionCarryOver, AgendaItem
from marac.meetings.packs import pack_document
from marac.notifications.models import Notification
from marac.transfers.models import CaseTransfer, TransferStatus
from marac.transfers.services import (
    accept_transfer,
    decline_transfer,
    request_transfer,
    transferred_from,
    with_transferred_from,
)
from tests.factories import CaseFactory, make_marac

from .conftest import TODAY, meeting_of

pytestmark = pytest.mark.django_db


def _request(w, **overrides):
    fields = dict(to_marac=w.south, reason="moved_permanently", by=w.north_coordinator, note="Moved to a refuge.")
    return request_transfer(w.case, **{**fields, **overrides})


def _messages(exc) -> dict:
    return exc.value.messages


def test_only_an_open_case_can_be_transferred(world):
    Case.objects.filter(pk=world.case.pk).update(status="closed")
    with pytest.raises(DomainError) as exc:
        _request(world)
    assert _messages(exc) == {"case": ["Only an open case can be transferred."]}
    assert not CaseTransfer.objects.exists()


def test_one_pending_transfer_per_case(world):
    _request(world)
    with pytest.raises(DomainError) as exc:
        _request(world, to_marac=make_marac("Northshire East MARAC"))
    assert list(_messages(exc)) == ["case"]
    assert CaseTransfer.objects.count() == 1


def test_one_pending_transfer_per_case_is_a_database_constraint(world):
    first = _request(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseTransfer.objects.create(case=world.case, from_marac=world.north, to_marac=world.south,
                                    reason="moved_permanently", requested_by=world.north_coordinator)
    decline_transfer(first, by=world.south_coordinator, reason="Not in our area.")
    assert _request(world).status == TransferStatus.PENDING  # a declined transfer does not count


def test_cannot_transfer_to_the_same_marac(world):
    with pytest.raises(DomainError) as exc:
        _request(world, to_marac=world.north)
    assert list(_messages(exc)) == ["to_marac"]


def test_cannot_transfer_to_an_inactive_marac(world):
    closed = make_marac("Northshire West MARAC", is_active=False)
    with pytest.raises(DomainError) as exc:
        _request(world, to_marac=closed)
    assert _messages(exc) == {"to_marac": ["This MARAC is not active; a case cannot be transferred to it."]}


def test_a_transfer_for_another_reason_says_why_in_the_note(world):
    with pytest.raises(DomainError) as exc:
        _request(world, reason="other", note=" ")
    assert list(_messages(exc)) == ["note"]


def test_accepting_moves_the_case_to_the_receiving_marac(world):
    transfer = accept_transfer(_request(world), by=world.south_coordinator, meeting=world.south_meeting)
    world.case.refresh_from_db()
    assert world.case.marac == world.south
    assert (transfer.status, transfer.decided_by, transfer.meeting) == (
        TransferStatus.ACCEPTED, world.south_coordinator, world.south_meeting)
    assert AgendaItem.objects.filter(meeting=world.south_meeting, case=world.case).exists()


def test_accepting_carries_the_open_actions_over_to_the_receiving_meeting(world):
    accept_transfer(_request(world), by=world.south_coordinator, meeting=world.south_meeting)
    carried = ActionCarryOver.objects.filter(meeting=world.south_meeting)
    assert [c.action_id for c in carried] == [world.open_action.pk]  # not the done one
    assert carried.get().reason is None  # the receiving coordinator records why


def test_accepting_without_a_meeting_lists_the_case_on_the_receiving_maracs_next_meeting(world):
    later = meeting_of(world.south, TODAY + timedelta(days=40), world.south_chair, world.south_coordinator)
    past = meeting_of(world.south, TODAY - timedelta(days=3), world.south_chair, world.south_coordinator)
    transfer = accept_transfer(_request(world), by=world.south_coordinator)
    assert transfer.meeting == world.south_meeting
    assert not AgendaItem.objects.filter(meeting__in=[later, past]).exists()
    assert ActionCarryOver.objects.filter(meeting=world.south_meeting, action=world.open_action).exists()


def test_accepting_with_no_meeting_ahead_moves_the_case_unlisted(world):
    world.south_meeting.delete()
    transfer = accept_transfer(_request(world), by=world.south_coordinator)
    world.case.refresh_from_db()
    assert (world.case.marac, transfer.meeting) == (world.south, None)


def test_the_receiving_meeting_is_one_of_the_receiving_maracs(world):
    with pytest.raises(DomainError) as exc:
        accept_transfer(_request(world), by=world.south_coordinator, meeting=world.north_meeting)
    assert list(_messages(exc)) == ["meeting"]
    world.case.refresh_from_db()
    assert world.case.marac == world.north


def test_accepting_keeps_research_incidents_orders_support_plan_and_participants(world):
    before = set(participant_grants().filter(content_object=world.case).values_list("group_id", flat=True))
    accept_transfer(_request(world), by=world.south_coordinator, meeting=world.south_meeting)
    case = Case.objects.get(pk=world.case.pk)
    assert list(case.research.all()) == [world.research]
    assert list(case.incidents.all()) == [world.incident]
    assert list(case.orders.all()) == [world.order]
    assert list(case.support_plans.all()) == [world.plan]
    assert set(participant_grants().filter(content_object=case).values_list("group_id", flat=True)) == before


def test_a_decided_transfer_is_not_decided_again(world):
    transfer = accept_transfer(_request(world), by=world.south_coordinator)
    with pytest.raises(DomainError) as exc:
        accept_transfer(transfer, by=world.south_coordinator)
    assert list(_messages(exc)) == ["status"]
    with pytest.raises(DomainError):
        decline_transfer(transfer, by=world.south_coordinator, reason="Changed our mind.")


def test_declining_needs_a_reason_and_leaves_the_case_where_it_is(world):
    transfer = _request(world)
    with pytest.raises(DomainError) as exc:
        decline_transfer(transfer, by=world.south_coordinator, reason="  ")
    assert list(_messages(exc)) == ["reason"]
    transfer = decline_transfer(transfer, by=world.south_coordinator, reason="The victim moved back.")
    world.case.refresh_from_db()
    assert (transfer.status, transfer.decline_reason, world.case.marac) == (
        TransferStatus.DECLINED, "The victim moved back.", world.north)


def test_the_cases_marac_history_is_kept(world):
    assert transferred_from(world.case) is None
    accept_transfer(_request(world), by=world.south_coordinator)
    case = Case.objects.get(pk=world.case.pk)
    assert transferred_from(case) == {"marac": world.north.pk, "name": world.north.name,
                                      "transferred_on": timezone.localdate()}
    # Read with the case (the case page's one row): the same answer, no second query.
    for each in with_transferred_from(Case.objects.filter(pk__in=[world.case.pk, CaseFactory().pk])):
        plain = transferred_from(Case.objects.get(pk=each.pk))
        with CaptureQueriesContext(connection) as queries:
            assert transferred_from(each) == plain
        assert len(queries) == 0


def test_every_step_notifies_both_maracs_coordinators_and_the_cases_participants(world):
    transfer = _request(world)
    accept_transfer(transfer, by=world.south_coordinator)
    for kind in ("transfer_requested", "transfer_accepted"):
        rows = set(Notification.objects.filter(kind=kind).values_list("agency_id", "role"))
        assert rows == {(world.coordination.pk, "coordinator"),
                        (world.south_coordinator.membership.agency_id, "coordinator"),
                        (world.police.pk, ""), (world.advocacy.pk, ""), (world.housing.pk, "")}, kind
    message = Notification.objects.filter(kind="transfer_accepted").first().message
    assert world.case.reference in message and world.case.victim.last_name not in message


def test_declining_is_notified_too(world):
    decline_transfer(_request(world), by=world.south_coordinator, reason="Not our area.")
    assert Notification.objects.filter(kind="transfer_declined").count() == 5


def test_the_receiving_pack_shows_where_the_case_came_from_and_the_previous_minutes(world):
    world.north_meeting.agencies_present.set([world.police, world.housing])
    accept_transfer(_request(world), by=world.south_coordinator, meeting=world.south_meeting)
    case = pack_document(world.south_meeting)["cases"][0]
    section = case["sections"]["transferred_from"]
    assert section["lines"][0] == (f"Transferred from {world.north.name} on "
                                   f"{timezone.localdate().day} {timezone.localdate():%B %Y}.")
    [minutes] = section["previous_minutes"]
    assert minutes["meeting_date"] == world.north_meeting.date
    assert sorted(minutes["agencies_present"]) == sorted([world.police.name, world.housing.name])
    assert [a["description"] for a in minutes["actions"]] == ["Fit a door alarm.", "Flag the address."]
    assert [a["id"] for a in case["carried_over_actions"]] == [world.open_action.pk]


def test_the_extract_carries_the_cases_own_minutes_and_never_the_meeting_wide_ones(world):
    from marac.meetings.models import AgendaItem
    from marac.meetings.services import record_case_minutes

    item = AgendaItem.objects.get(meeting=world.north_meeting, case=world.case)
    record_case_minutes(item, minutes="Housing to move the family to a safe address.")
    world.north_meeting.minutes = "Another victim's case was discussed at length."
    world.north_meeting.save(update_fields=["minutes"])
    accept_transfer(_request(world), by=world.south_coordinator, meeting=world.south_meeting)
    section = pack_document(world.south_meeting)["cases"][0]["sections"]["transferred_from"]
    [minutes] = section["previous_minutes"]
    assert minutes["case_minutes"] == "Housing to move the family to a safe address."
    assert "Minutes for this case: Housing to move the family to a safe address." in section["lines"]
    assert not any("Another victim" in line for line in section["lines"])


def test_a_pack_of_a_case_never_transferred_has_no_transfer_section(world):
    case = pack_document(world.north_meeting)["cases"][0]
    assert "transferred_from" not in case["sections"]


def test_the_printed_pack_says_where_the_case_came_from(world):
    from marac.meetings.packs import render_pdf
    from tests.meetings.test_pack_contents import pages_of

    accept_transfer(_request(world), by=world.south_coordinator, meeting=world.south_meeting)
    text = " ".join(" ".join(pages_of(render_pdf(pack_document(world.south_meeting)))).split())
    assert f"Transferred from {world.north.name} on" in text
    assert "Action agreed: Fit a door alarm." in text
