"""Requests that police consider a Stalking Protection Order (the 2022 super-complaint:
victims asked and nothing was applied for): recorded by any participant, the police told
at once, answered by the order police record, flagged when unanswered, in the pack."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.agencies.models import AgencyKind
from marac.cases.participants import add_participant, remove_participant
from marac.meetings.packs import pack_document
from marac.notifications.models import Notification
from marac.notifications.sweep import run_daily_sweep, sweep_steps
from marac.orders.models import Order, SpoRequest
from marac.orders.pack import spo_request_pack_section
from marac.orders.sweeps import spo_request_response_overdue
from tests.factories import CaseFactory, make_agency
from tests.meetings.helpers import make_meeting
from tests.orders.factories import make_order, make_spo_request

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def request_on(spo, **fields):
    return make_spo_request(spo.case, spo.advocacy, spo.advocate, **fields)


def age(request, days):
    SpoRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_any_participant_records_an_spo_request(api, spo):
    response = api(spo.housing_officer).post(f"/api/v1/cases/{spo.case.pk}/spo-requests/", {
        "requested_on": TODAY.isoformat(), "requested_by_victim": True, "note": "She asked us to pass it on."},
        format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["case"], body["agency"], body["requested_by_victim"], body["order"], body["outcome"]) == (
        spo.case.pk, spo.housing.pk, True, None, None)


def test_an_agency_not_on_the_case_cannot_record_a_request(api, spo):
    response = api(spo.other_officer).post(f"/api/v1/cases/{spo.case.pk}/spo-requests/",
                                           {"requested_on": TODAY.isoformat()}, format="json")
    assert response.status_code == 404
    assert not SpoRequest.objects.exists()


def test_a_request_made_in_the_future_is_400_and_writes_nothing(api, spo):
    response = api(spo.advocate).post(f"/api/v1/cases/{spo.case.pk}/spo-requests/",
                                      {"requested_on": (TODAY + timedelta(days=1)).isoformat()}, format="json")
    assert response.status_code == 400
    assert "requested_on" in response.json()
    assert not SpoRequest.objects.exists() and not Notification.objects.exists()


def test_a_request_notifies_the_police_participants_at_once(spo):
    second_force = make_agency(AgencyKind.POLICE)
    add_participant(spo.case, second_force)
    request = request_on(spo)
    told = set(Notification.objects.filter(kind="spo_requested", object_id=str(request.pk))
               .values_list("agency_id", flat=True))
    assert told == {spo.police.pk, second_force.pk}  # not housing, health or a force off the case


def test_police_answer_a_request_by_recording_the_order_that_names_it(api, spo):
    request = request_on(spo)
    response = api(spo.officer).post("/api/v1/orders/", {
        "case": spo.case.pk, "kind": "full", "status": "considering", "spo_request": request.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["spo_request"] == request.pk
    seen = api(spo.advocate).get(f"/api/v1/spo-requests/{request.pk}/").json()
    assert (seen["order"], seen["outcome"], seen["decision_reason"]) == (response.json()["id"], "considering", None)
    assert seen["answered_at"] is not None


def test_police_decline_a_request_with_a_reason_the_requester_sees(api, spo):
    request = request_on(spo)
    make_order(spo.case, spo.police, spo.officer, status="declined", applied_on=None, granted_on=None,
               decision_reason="Not enough evidence of fixation yet; reviewed in 4 weeks.", spo_request=request)
    seen = api(spo.advocate).get(f"/api/v1/spo-requests/{request.pk}/").json()
    assert (seen["outcome"], seen["decision_reason"]) == (
        "declined", "Not enough evidence of fixation yet; reviewed in 4 weeks.")


def test_an_order_answers_only_a_request_made_on_its_own_case(api, spo):
    elsewhere = make_spo_request(CaseFactory(participants=[spo.police, spo.advocacy]), spo.advocacy, spo.advocate)
    response = api(spo.officer).post("/api/v1/orders/", {
        "case": spo.case.pk, "kind": "full", "status": "considering", "spo_request": elsewhere.pk}, format="json")
    assert response.status_code == 400
    assert "spo_request" in response.json()
    assert not Order.objects.exists()


def test_one_order_answers_one_request(api, spo):
    request = request_on(spo)
    make_order(spo.case, spo.police, spo.officer, status="considering", applied_on=None, granted_on=None,
               spo_request=request)
    response = api(spo.officer).post("/api/v1/orders/", {
        "case": spo.case.pk, "kind": "full", "status": "considering", "spo_request": request.pk}, format="json")
    assert response.status_code == 400
    assert "already been answered" in response.json()["spo_request"][0]


def test_an_order_a_court_made_itself_does_not_answer_a_request(api, spo):
    request = request_on(spo)
    response = api(spo.officer).post("/api/v1/orders/", {
        "case": spo.case.pk, "kind": "full", "source": "court_on_conviction", "status": "granted",
        "conviction_or_acquittal_on": "2025-03-01", "granted_on": "2025-03-01", "court": "Northshire Crown Court",
        "spo_request": request.pk}, format="json")
    assert response.status_code == 400
    assert "spo_request" in response.json()


def test_an_order_recorded_earlier_answers_a_request_when_linked_and_the_link_is_fixed(api, spo):
    request, other = request_on(spo), request_on(spo)
    order = make_order(spo.case, spo.police, spo.officer, status="considering", applied_on=None, granted_on=None)
    client = api(spo.officer)
    assert client.patch(f"/api/v1/orders/{order.pk}/", {"spo_request": request.pk}, format="json").status_code == 200
    request.refresh_from_db()
    assert request.answered_at is not None
    response = client.patch(f"/api/v1/orders/{order.pk}/", {"spo_request": other.pk}, format="json")
    assert response.status_code == 400 and "spo_request" in response.json()
    response = client.patch(f"/api/v1/orders/{order.pk}/", {"spo_request": None}, format="json")
    assert response.status_code == 400 and "spo_request" in response.json()


def test_the_requesting_agency_and_police_see_the_request_and_others_do_not(api, spo):
    request = request_on(spo)
    for user in (spo.advocate, spo.officer):
        assert api(user).get(f"/api/v1/spo-requests/{request.pk}/").status_code == 200
        assert [r["id"] for r in api(user).get(f"/api/v1/cases/{spo.case.pk}/spo-requests/").json()["results"]] == [
            request.pk]
    for user in (spo.housing_officer, spo.other_officer, spo.chair, spo.coordinator):
        assert api(user).get(f"/api/v1/spo-requests/{request.pk}/").status_code == 404
        assert api(user).get("/api/v1/spo-requests/").json()["results"] == []


def test_an_unanswered_request_is_flagged_to_the_police_after_7_days_once(spo):
    late, recent = request_on(spo), request_on(spo)
    age(late, 7)
    age(recent, 6)
    assert spo_request_response_overdue(TODAY) == 1
    assert spo_request_response_overdue(TODAY) == 0  # once
    late.refresh_from_db()
    recent.refresh_from_db()
    assert late.response_overdue_flagged_at is not None and recent.response_overdue_flagged_at is None
    flagged = Notification.objects.get(kind="spo_request_response_overdue")
    assert (flagged.agency, flagged.object_id) == (spo.police, str(late.pk))


def test_the_response_days_are_a_setting(spo, settings):
    settings.MARAC_SPO_REQUEST_RESPONSE_DAYS = 3
    request = request_on(spo)
    age(request, 3)
    assert spo_request_response_overdue(TODAY) == 1


def test_an_answered_request_is_never_flagged(spo):
    request = request_on(spo)
    make_order(spo.case, spo.police, spo.officer, status="considering", applied_on=None, granted_on=None,
               spo_request=request)
    age(request, 30)
    assert spo_request_response_overdue(TODAY) == 0


def test_a_force_removed_from_the_case_is_not_told_of_an_overdue_request(spo):
    request = request_on(spo)
    age(request, 8)
    remove_participant(spo.case, spo.police)
    assert spo_request_response_overdue(TODAY) == 0
    request.refresh_from_db()
    assert request.response_overdue_flagged_at is not None  # still flagged: it is overdue whoever is on the case


def test_the_overdue_request_step_runs_in_the_daily_sweep(spo):
    assert "orders_spo_request_response_overdue" in sweep_steps()
    age(request_on(spo), 10)
    assert run_daily_sweep(TODAY)["orders_spo_request_response_overdue"] == 1


def test_the_pack_shows_each_request_and_its_outcome_without_the_note(spo):
    answered, waiting = request_on(spo, note="Private note."), request_on(spo, requested_by_victim=False)
    make_order(spo.case, spo.police, spo.officer, status="declined", applied_on=None, granted_on=None,
               decision_reason="Reason text.", spo_request=answered)
    age(waiting, 8)
    spo_request_response_overdue(TODAY)
    section = spo_request_pack_section([spo.case.pk])[spo.case.pk]
    text = " ".join(section["lines"])
    assert "by the victim" in text and "police decided not to apply" in text
    assert "by an agency on the case" in text and "awaiting the police's answer (overdue)" in text
    assert "Private note." not in str(section) and "Reason text." not in str(section)


def test_the_pack_section_is_one_query_whatever_the_number_of_cases(spo, django_assert_num_queries):
    cases = [CaseFactory(participants=[spo.police, spo.advocacy]) for _ in range(3)]
    for case in cases:
        make_spo_request(case, spo.advocacy, spo.advocate)
    with django_assert_num_queries(1):
        spo_request_pack_section([case.pk for case in cases])


def test_spo_requests_appear_in_the_meeting_pack(spo):
    request_on(spo)
    meeting = make_meeting(cases=[spo.case])
    case = next(c for c in pack_document(meeting)["cases"] if c["id"] == spo.case.pk)
    assert case["sections"]["spo_requests"]["lines"][0].startswith("SPO requested by the victim on")
