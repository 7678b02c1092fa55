"""The transfer endpoints: who may ask, who sees what, who decides (issue 12, "Transfers")."""

import pytest
from django.db import connection

from marac.audit.models import AuditEvent
from marac.cases.models import Case
from marac.transfers.models import CaseTransfer
from marac.transfers.services import request_transfer

pytestmark = pytest.mark.django_db

BASE = {"id", "reference", "status", "reason", "from_marac", "from_marac_name", "to_marac", "to_marac_name",
        "requested_at", "decided_at", "decline_reason", "meeting"}
RECORD = BASE | {"case", "note", "requested_by", "decided_by"}
SUMMARY = BASE | {"victim", "risk_level", "open_action_count"}


def _pending(w):
    return request_transfer(w.case, to_marac=w.south, reason="moved_permanently", by=w.north_coordinator,
                            note="Moved in with her sister.")


def test_a_coordinator_of_the_cases_marac_requests_a_transfer(api, world):
    response = api(world.north_coordinator).post(
        f"/api/v1/cases/{world.case.pk}/transfers/",
        {"to_marac": world.south.pk, "reason": "moved_temporarily", "note": "In a refuge."}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == RECORD
    assert (body["case"], body["from_marac"], body["to_marac"], body["status"], body["note"]) == (
        world.case.pk, world.north.pk, world.south.pk, "pending", "In a refuge.")
    assert AuditEvent.objects.filter(action="create", object_type="transfer", object_id=str(body["id"])).exists()


def test_a_transfer_request_outside_the_cases_marac_is_404(api, world):
    response = api(world.south_coordinator).post(
        f"/api/v1/cases/{world.case.pk}/transfers/", {"to_marac": world.south.pk, "reason": "moved_permanently"},
        format="json")
    assert response.status_code == 404
    assert not CaseTransfer.objects.exists()


@pytest.mark.parametrize("caller", ["north_chair", "officer", "advocate"])
def test_a_transfer_request_inside_the_case_by_anyone_but_its_coordinator_is_403(api, world, caller):
    response = api(getattr(world, caller)).post(
        f"/api/v1/cases/{world.case.pk}/transfers/", {"to_marac": world.south.pk, "reason": "moved_permanently"},
        format="json")
    assert response.status_code == 403
    assert not CaseTransfer.objects.exists()


def test_a_bad_transfer_request_is_400_per_field_and_writes_nothing(api, world):
    client = api(world.north_coordinator)
    url = f"/api/v1/cases/{world.case.pk}/transfers/"
    assert client.post(url, {"to_marac": world.north.pk, "reason": "moved_permanently"},
                       format="json").json().keys() == {"to_marac"}
    assert client.post(url, {"to_marac": 99999, "reason": "bored"}, format="json").json().keys() == {
        "to_marac", "reason"}
    assert client.post(url, {"to_marac": world.south.pk, "reason": "other"}, format="json").json().keys() == {"note"}
    assert client.post(url, {}, format="json").status_code == 400
    assert not CaseTransfer.objects.exists()


def test_a_second_pending_transfer_request_is_400(api, world):
    _pending(world)
    response = api(world.north_coordinator).post(
        f"/api/v1/cases/{world.case.pk}/transfers/", {"to_marac": world.south.pk, "reason": "moved_permanently"},
        format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["case"]


def test_the_receiving_marac_sees_a_summary_enough_to_decide_and_nothing_more(api, world):
    transfer = _pending(world)
    for caller in (world.south_coordinator, world.south_chair):
        [row] = api(caller).get("/api/v1/transfers/").json()["results"]
        assert set(row) == SUMMARY
        assert row["victim"] == {"first_name": world.case.victim.first_name, "last_name": world.case.victim.last_name,
                                 "date_of_birth": world.case.victim.date_of_birth.isoformat()}
        assert (row["reference"], row["from_marac_name"], row["reason"], row["risk_level"],
                row["open_action_count"]) == (world.case.reference, world.north.name, "moved_permanently",
                                        "not_graded", 1)  # a case recorded without a checklist; one action open
        assert api(caller).get(f"/api/v1/transfers/{transfer.pk}/").json() == row
    # The case itself stays out of the receiving MARAC's reach until it accepts.
    assert api(world.south_coordinator).get(f"/api/v1/cases/{world.case.pk}/").status_code == 404


def test_the_sending_marac_sees_its_transfer_record(api, world):
    transfer = _pending(world)
    for caller in (world.north_coordinator, world.north_chair):
        row = api(caller).get(f"/api/v1/transfers/{transfer.pk}/").json()
        assert set(row) == RECORD
        assert (row["note"], row["requested_by"]) == ("Moved in with her sister.", world.north_coordinator.pk)


@pytest.mark.parametrize("caller", ["officer", "advocate", "housing_officer"])
def test_agencies_on_the_case_see_no_transfer(api, world, caller):
    transfer = _pending(world)
    client = api(getattr(world, caller))
    assert client.get("/api/v1/transfers/").json()["results"] == []
    assert client.get(f"/api/v1/transfers/{transfer.pk}/").status_code == 404
    assert client.post(f"/api/v1/transfers/{transfer.pk}/accept/", {}, format="json").status_code == 404


def test_the_receiving_coordinator_accepts_and_the_sending_marac_loses_the_case_but_keeps_the_record(api, world):
    transfer = _pending(world)
    response = api(world.south_coordinator).post(f"/api/v1/transfers/{transfer.pk}/accept/",
                                                 {"meeting": world.south_meeting.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["meeting"]) == ("accepted", world.south_meeting.pk)
    assert {("update", "transfer", str(transfer.pk)), ("update", "case", str(world.case.pk))} <= set(
        AuditEvent.objects.filter(user_id=world.south_coordinator.pk).values_list("action", "object_type", "object_id"))
    for caller in (world.north_coordinator, world.north_chair):
        client = api(caller)
        assert client.get(f"/api/v1/cases/{world.case.pk}/").status_code == 404
        assert world.case.pk not in [c["id"] for c in client.get("/api/v1/cases/").json()["results"]]
        record = client.get(f"/api/v1/transfers/{transfer.pk}/").json()
        assert (set(record), record["status"], record["decided_by"]) == (RECORD, "accepted",
                                                                         world.south_coordinator.pk)
    case = api(world.south_coordinator).get(f"/api/v1/cases/{world.case.pk}/").json()
    assert (case["marac"], case["transferred_from"]) == (world.south.pk, {
        "marac": world.north.pk, "name": world.north.name, "transferred_on": record["decided_at"][:10]})
    # Participants stay, and keep their reach.
    assert api(world.officer).get(f"/api/v1/cases/{world.case.pk}/").json()["transferred_from"]["name"] == (
        world.north.name)


@pytest.mark.parametrize("caller", ["north_coordinator", "north_chair", "south_chair"])
def test_only_a_coordinator_of_the_receiving_marac_decides(api, world, caller):
    transfer = _pending(world)
    client = api(getattr(world, caller))
    assert client.post(f"/api/v1/transfers/{transfer.pk}/accept/", {}, format="json").status_code == 403
    assert client.post(f"/api/v1/transfers/{transfer.pk}/decline/", {"reason": "No."},
                       format="json").status_code == 403
    assert CaseTransfer.objects.get().status == "pending"


def test_the_receiving_coordinator_declines_with_a_reason(api, world):
    transfer = _pending(world)
    client = api(world.south_coordinator)
    assert client.post(f"/api/v1/transfers/{transfer.pk}/decline/", {}, format="json").json().keys() == {"reason"}
    response = client.post(f"/api/v1/transfers/{transfer.pk}/decline/", {"reason": "She moved back."}, format="json")
    assert (response.status_code, response.json()["status"], response.json()["decline_reason"]) == (
        200, "declined", "She moved back.")
    assert Case.objects.get(pk=world.case.pk).marac == world.north
    assert api(world.north_coordinator).get(f"/api/v1/cases/{world.case.pk}/").json()["transferred_from"] is None


def test_accepting_onto_a_meeting_outside_the_receiving_marac_is_400(api, world):
    transfer = _pending(world)
    response = api(world.south_coordinator).post(f"/api/v1/transfers/{transfer.pk}/accept/",
                                                 {"meeting": world.north_meeting.pk}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["meeting"]
    assert Case.objects.get(pk=world.case.pk).marac == world.north


def test_a_decided_transfer_accepted_again_is_400(api, world):
    transfer = _pending(world)
    client = api(world.south_coordinator)
    assert client.post(f"/api/v1/transfers/{transfer.pk}/accept/", {}, format="json").status_code == 200
    response = client.post(f"/api/v1/transfers/{transfer.pk}/accept/", {}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["status"]


def test_transfers_filter_by_status(api, world):
    _pending(world)
    client = api(world.south_coordinator)
    assert len(client.get("/api/v1/transfers/?status=pending").json()["results"]) == 1
    assert client.get("/api/v1/transfers/?status=accepted").json()["results"] == []


# ---- concurrency (PostgreSQL: row locks and concurrent sessions) ---------------------

@pytest.mark.concurrency
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent sessions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_transfer_requests_at_once_one_wins(world):
    from tests.trust.test_concurrency import client_for, run_concurrently

    clients = [client_for(world.north_coordinator) for _ in range(2)]
    answers = run_concurrently(2, lambda i: clients[i].post(
        f"/api/v1/cases/{world.case.pk}/transfers/", {"to_marac": world.south.pk, "reason": "moved_permanently"},
        format="json"))
    assert sorted(answer.status_code for answer in answers) == [201, 400], answers
    assert CaseTransfer.objects.count() == 1


@pytest.mark.concurrency
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent sessions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_once_one_wins(world):
    from tests.trust.test_concurrency import client_for, run_concurrently

    transfer = _pending(world)
    clients = [client_for(world.south_coordinator) for _ in range(2)]
    answers = run_concurrently(2, lambda i: clients[i].post(f"/api/v1/transfers/{transfer.pk}/accept/", {},
                                                            format="json"))
    assert sorted(answer.status_code for answer in answers) == [200, 400], answers
    assert CaseTransfer.objects.get().status == "accepted"
    assert Case.objects.get(pk=world.case.pk).marac == world.south
