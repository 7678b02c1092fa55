"""The transfer pages: the list both MARACs see (the sending MARAC its record, the
receiving MARAC the summary: policy rows transfer.view_record / view_summary), a
transfer's page, requesting from the case page, accepting and declining through
marac/transfers/services.py; nothing written on error; audited as the API audits;
pinned query counts whatever the number of rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marac.audit.models import AuditEvent
from marac.meetings.models import AgendaItem, MeetingStatus
from marac.transfers.models import CaseTransfer, TransferStatus
from marac.transfers.services import accept_transfer, request_transfer
from tests.factories import CaseFactory
from tests.transfers.conftest import meeting_of

pytestmark = pytest.mark.django_db


def pending(world, case=None, note="Moved to her sister's."):
    return request_transfer(case or world.case, to_marac=world.south, reason="moved_permanently",
                            by=world.north_coordinator, note=note)


def audited(action, object_type, pk):
    return AuditEvent.objects.filter(action=action, object_type=object_type, object_id=str(pk)).exists()


# ---- the list and a transfer's page -------------------------------------------------------


def test_sending_marac_sees_its_record_and_receiving_marac_the_summary_only(web, world):
    transfer = pending(world)
    victim = world.case.victim
    north = web(world.north_coordinator).get("/transfers/").content.decode()
    south = web(world.south_coordinator).get("/transfers/").content.decode()
    assert world.case.reference in north and world.case.reference in south
    assert "Victim has moved permanently" in north and victim.last_name not in north
    assert victim.last_name in south and "open action" in south
    assert audited("view", "transfer", transfer.pk)


def test_transfer_page_shows_the_note_to_the_sender_and_the_victim_to_the_receiver(web, world):
    transfer = pending(world)
    north = web(world.north_coordinator).get(f"/transfers/{transfer.pk}/").content.decode()
    south = web(world.south_coordinator).get(f"/transfers/{transfer.pk}/").content.decode()
    assert "Moved to her sister" in north and 'data-testid="transfer-victim"' not in north
    assert "Accept transfer" not in north
    assert 'data-testid="transfer-victim"' in south and "Moved to her sister" not in south
    assert "Accept transfer" in south and "Decline transfer" in south


def test_transfers_of_other_maracs_are_not_found_and_practitioners_see_none(web, world, web_as):
    transfer = pending(world)
    assert web(world.officer).get(f"/transfers/{transfer.pk}/").status_code == 404
    assert world.case.reference not in web(world.officer).get("/transfers/").content.decode()


def test_the_list_filters_by_status(web, world):
    pending(world)
    client = web(world.north_coordinator)
    assert world.case.reference in client.get("/transfers/?status=pending").content.decode()
    assert world.case.reference not in client.get("/transfers/?status=accepted").content.decode()


# ---- request from the case page ---------------------------------------------------------------


def test_case_page_offers_a_transfer_to_the_coordinator_of_its_marac_only(web, world):
    assert "Request a transfer" in web(world.north_coordinator).get(f"/cases/{world.case.pk}/").content.decode()
    assert "Request a transfer" not in web(world.officer).get(f"/cases/{world.case.pk}/").content.decode()
    assert web(world.officer).get(f"/cases/{world.case.pk}/transfers/new/").status_code == 403
    assert web(world.south_coordinator).get(f"/cases/{world.case.pk}/transfers/new/").status_code == 404


def test_coordinator_requests_a_transfer_from_the_case_page(web, world):
    client = web(world.north_coordinator)
    page = client.get(f"/cases/{world.case.pk}/transfers/new/").content.decode()
    assert world.south.name in page and f'value="{world.north.pk}"' not in page
    response = client.post(f"/cases/{world.case.pk}/transfers/new/",
                           {"to_marac": world.south.pk, "reason": "moved_temporarily", "note": ""})
    transfer = CaseTransfer.objects.get(case=world.case)
    assert response.status_code == 302 and response["Location"] == f"/transfers/{transfer.pk}/"
    assert transfer.status == TransferStatus.PENDING and transfer.to_marac == world.south
    assert audited("create", "transfer", transfer.pk)


@pytest.mark.parametrize("body,field,message", [
    ({"reason": "moved_permanently"}, "to_marac", "Choose the MARAC to transfer the case to"),
    ({"to_marac": "SOUTH"}, "reason", "Choose why the case is being transferred"),
    ({"to_marac": "SOUTH", "reason": "other", "note": "  "}, "note", "Explain the reason in the note."),
    ({"to_marac": "NORTH", "reason": "moved_permanently"}, "to_marac", "Choose one of the MARACs listed"),
])
def test_a_transfer_request_with_errors_writes_nothing(web, world, body, field, message):
    body = {key: {"SOUTH": world.south.pk, "NORTH": world.north.pk}.get(value, value) for key, value in body.items()}
    response = web(world.north_coordinator).post(f"/cases/{world.case.pk}/transfers/new/", body)
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page and message in page
    assert f'id="id_{field}' in page
    assert not CaseTransfer.objects.exists() and not AuditEvent.objects.filter(object_type="transfer").exists()


def test_only_one_pending_transfer_per_case_is_shown_as_an_error(web, world):
    pending(world)
    response = web(world.north_coordinator).post(f"/cases/{world.case.pk}/transfers/new/",
                                                 {"to_marac": world.south.pk, "reason": "moved_permanently"})
    assert response.status_code == 400 and "already has a pending transfer" in response.content.decode()
    assert CaseTransfer.objects.count() == 1


# ---- accept and decline -------------------------------------------------------------------------


def test_receiving_coordinator_accepts_onto_a_chosen_meeting(web, world):
    transfer = pending(world)
    later = meeting_of(world.south, timezone.localdate() + timedelta(days=30), world.south_chair,
                       world.south_coordinator)
    response = web(world.south_coordinator).post(f"/transfers/{transfer.pk}/accept/", {"meeting": later.pk})
    assert response.status_code == 302
    transfer.refresh_from_db()
    world.case.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED and transfer.meeting == later
    assert world.case.marac == world.south and AgendaItem.objects.filter(meeting=later, case=world.case).exists()
    assert audited("update", "transfer", transfer.pk) and audited("update", "case", world.case.pk)


def test_accepting_onto_a_closed_meeting_is_refused_and_writes_nothing(web, world):
    transfer = pending(world)
    world.south_meeting.status = MeetingStatus.CLOSED
    world.south_meeting.save(update_fields=["status"])
    response = web(world.south_coordinator).post(f"/transfers/{transfer.pk}/accept/",
                                                 {"meeting": world.south_meeting.pk})
    assert response.status_code == 400 and "Choose one of the meetings listed" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PENDING
    assert not AuditEvent.objects.filter(action="update").exists()


def test_the_sending_coordinator_cannot_decide(web, world):
    transfer = pending(world)
    assert web(world.north_coordinator).post(f"/transfers/{transfer.pk}/accept/", {}).status_code == 403
    assert web(world.south_chair).post(f"/transfers/{transfer.pk}/decline/", {"reason": "No."}).status_code == 403


def test_decline_needs_a_reason_and_then_keeps_the_case_where_it_is(web, world):
    transfer = pending(world)
    client = web(world.south_coordinator)
    response = client.post(f"/transfers/{transfer.pk}/decline/", {"reason": ""})
    assert response.status_code == 400 and "Enter why the transfer is declined" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PENDING
    assert client.post(f"/transfers/{transfer.pk}/decline/", {"reason": "She moved back."}).status_code == 302
    transfer.refresh_from_db()
    world.case.refresh_from_db()
    assert transfer.status == TransferStatus.DECLINED and transfer.decline_reason == "She moved back."
    assert world.case.marac == world.north


def test_a_decided_transfer_cannot_be_decided_again(web, world):
    transfer = pending(world)
    accept_transfer(transfer, by=world.south_coordinator)
    page = web(world.south_coordinator).get(f"/transfers/{transfer.pk}/").content.decode()
    assert "Accept transfer" not in page
    response = web(world.south_coordinator).post(f"/transfers/{transfer.pk}/decline/", {"reason": "Late."})
    assert response.status_code == 400 and "already accepted" in response.content.decode()


# ---- after the move: the case page and the sender's record ---------------------------------------


def test_after_accept_the_case_page_says_where_it_came_from_and_the_sender_keeps_the_record(web, world):
    transfer = pending(world)
    accept_transfer(transfer, by=world.south_coordinator)
    page = web(world.south_coordinator).get(f"/cases/{world.case.pk}/").content.decode()
    on = timezone.localdate().strftime("%-d %B %Y")
    assert f"Transferred from {world.north.name} on {on}" in page
    assert web(world.north_coordinator).get(f"/cases/{world.case.pk}/").status_code == 404
    record = web(world.north_coordinator).get(f"/transfers/{transfer.pk}/")
    assert record.status_code == 200 and "Moved to her sister" in record.content.decode()


# ---- home panel ----------------------------------------------------------------------------------


def test_home_shows_the_receiving_coordinator_the_transfers_waiting_for_them(web, world):
    pending(world)
    south = web(world.south_coordinator).get("/").content.decode()
    north = web(world.north_coordinator).get("/").content.decode()
    assert "Transfers waiting for your decision" in south and f"Case {world.case.reference} from" in south
    assert "Transfers waiting for your decision" in north and f"Case {world.case.reference} from" not in north


# ---- pinned query counts -------------------------------------------------------------------------

# Session, user, the slice, the page and its count, the rows' sides (one query), the
# summary's figures, the audit INSERT. Raise a pin only knowingly.
# -5 each (web-perf): the session's user, membership and agency in one query, the
# session written once a minute rather than on every request.
PINS = {"north-list": 6, "south-list": 8, "north-detail": 6, "south-detail": 8, "home": 11}


def grow(world, n):
    for _ in range(n):
        pending(world, case=CaseFactory(marac=world.north, participants=[world.police]))


@pytest.mark.parametrize("page", sorted(PINS))
def test_transfer_pages_read_a_pinned_number_of_queries_whatever_they_list(web, world, page):
    transfer = pending(world)
    user = world.north_coordinator if page.startswith("north") else world.south_coordinator
    path = {"list": "/transfers/", "detail": f"/transfers/{transfer.pk}/", "home": "/"}[page.split("-")[-1]]
    client = web(user)
    counts = []
    for n in (1, 4):
        grow(world, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    assert counts == [PINS[page], PINS[page]], counts
