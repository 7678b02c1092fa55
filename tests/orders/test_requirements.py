"""Positive requirements: police add them, the responsible agency reports compliance,
notes and compliance events reach only police and the responsible agency."""

import json
from datetime import date

import pytest

from marac.notifications.models import Notification
from marac.orders.models import ComplianceEvent, Requirement
from marac.orders.services import order_summaries_for_cases
from tests.orders.factories import make_event, make_order, make_requirement

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Disclosed a relapse in the assessment (health detail)."
SECRET_EVENT = "Missed: said he was in hospital overnight."


def test_police_add_a_requirement_with_a_responsible_agency(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    response = api(spo.officer).post(f"/api/v1/orders/{order.pk}/requirements/", {
        "kind": "intervention_programme", "description": "Complete the stalking intervention programme.",
        "responsible_agency": spo.provider.pk, "due_date": "2025-09-01"}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["responsible_agency"], data["notes"], data["events"]) == (
        "pending", spo.provider.pk, "", [])


@pytest.mark.parametrize("field,value,words", [
    ("kind", "curfew", "not a valid choice"),
    ("responsible_agency", 999999, "does not exist"),
    ("due_date", "2025-03-01", "Dates out of order"),
])
def test_bad_requirement_input_is_400_and_writes_nothing(api, spo, field, value, words):
    order = make_order(spo.case, spo.police, spo.officer)
    payload = {"kind": "device_surrender", "responsible_agency": spo.police.pk, "due_date": "2025-04-01"}
    payload[field] = value
    response = api(spo.officer).post(f"/api/v1/orders/{order.pk}/requirements/", payload, format="json")
    assert response.status_code == 400
    assert words in json.dumps(response.json()[field])
    assert not Requirement.objects.exists()


def test_a_requirement_cannot_be_due_after_the_order_ends(api, spo):
    order = make_order(spo.case, spo.police, spo.officer, expires_on=date(2027, 6, 1))
    response = api(spo.officer).post(f"/api/v1/orders/{order.pk}/requirements/", {
        "kind": "police_sign_on", "responsible_agency": spo.police.pk, "due_date": "2027-06-02"}, format="json")
    assert response.status_code == 400
    assert "after the order ends" in response.json()["due_date"][0]


def test_a_declined_order_takes_no_requirements(api, spo):
    order = make_order(spo.case, spo.police, spo.officer, status="declined", granted_on=None, applied_on=None,
                       decision_reason="Victim moved abroad.")
    response = api(spo.officer).post(f"/api/v1/orders/{order.pk}/requirements/", {
        "kind": "police_sign_on", "responsible_agency": spo.police.pk}, format="json")
    assert response.status_code == 400
    assert "declined" in response.json()["order"][0]


def test_the_responsible_agency_sees_its_worklist_and_records_compliance(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    mine = make_requirement(order, spo.provider)
    make_requirement(order, spo.health)
    client = api(spo.provider_worker)
    worklist = client.get("/api/v1/requirements/").json()["results"]
    assert [r["id"] for r in worklist] == [mine.pk]
    response = client.patch(f"/api/v1/requirements/{mine.pk}/", {"status": "scheduled", "notes": SECRET_NOTE},
                            format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["notes"]) == ("scheduled", SECRET_NOTE)
    for kind, day in (("appointment_offered", "2025-04-01"), ("attended", "2025-04-08"), ("missed", "2025-04-15"),
                      ("completed", "2025-06-01")):
        event = client.post(f"/api/v1/requirements/{mine.pk}/events/",
                            {"kind": kind, "occurred_on": day, "details": f"{kind} noted"}, format="json")
        assert event.status_code == 201, event.content
    detail = client.get(f"/api/v1/requirements/{mine.pk}/").json()
    assert [(e["kind"], e["occurred_on"]) for e in detail["events"]] == [
        ("appointment_offered", "2025-04-01"), ("attended", "2025-04-08"), ("missed", "2025-04-15"),
        ("completed", "2025-06-01")]


def test_the_responsible_agency_is_not_made_a_case_participant(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    make_requirement(order, spo.provider)
    client = api(spo.provider_worker)
    assert client.get(f"/api/v1/cases/{spo.case.pk}/").status_code == 404
    assert client.get(f"/api/v1/orders/{order.pk}/").status_code == 404
    assert client.get(f"/api/v1/orders/{order.pk}/requirements/").status_code == 404


def test_unknown_requirement_status_is_400(api, spo):
    requirement = make_requirement(make_order(spo.case, spo.police, spo.officer), spo.provider)
    response = api(spo.provider_worker).patch(f"/api/v1/requirements/{requirement.pk}/", {"status": "lost"},
                                              format="json")
    assert response.status_code == 400
    assert "not a valid choice" in response.json()["status"][0]


def test_a_compliance_event_cannot_be_in_the_future_or_of_unknown_kind(api, spo):
    requirement = make_requirement(make_order(spo.case, spo.police, spo.officer), spo.provider)
    client = api(spo.provider_worker)
    url = f"/api/v1/requirements/{requirement.pk}/events/"
    assert client.post(url, {"kind": "attended", "occurred_on": "2999-01-01"}, format="json").status_code == 400
    assert client.post(url, {"kind": "cancelled", "occurred_on": "2025-04-01"}, format="json").status_code == 400
    assert not ComplianceEvent.objects.exists()


def test_only_the_responsible_agency_records_compliance(api, spo):
    requirement = make_requirement(make_order(spo.case, spo.police, spo.officer), spo.provider)
    url = f"/api/v1/requirements/{requirement.pk}/"
    assert api(spo.officer).patch(url, {"status": "completed"}, format="json").status_code == 403
    assert api(spo.advocate).patch(url, {"status": "completed"}, format="json").status_code == 403
    assert api(spo.officer).post(f"{url}events/", {"kind": "attended", "occurred_on": "2025-04-01"},
                                 format="json").status_code == 403
    assert api(spo.other_officer).patch(url, {"status": "completed"}, format="json").status_code == 404


def test_non_compliance_notifies_police(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    requirement = make_requirement(order, spo.provider)
    client = api(spo.provider_worker)
    police_notifications = Notification.objects.filter(agency=spo.police)
    client.patch(f"/api/v1/requirements/{requirement.pk}/", {"status": "in_progress"}, format="json")
    assert not police_notifications.exists()
    client.patch(f"/api/v1/requirements/{requirement.pk}/", {"status": "non_compliant", "notes": SECRET_NOTE},
                 format="json")
    notification = police_notifications.get()
    assert (notification.agency, notification.kind) == (spo.police, "requirement_non_compliant")
    assert SECRET_NOTE not in notification.message
    client.patch(f"/api/v1/requirements/{requirement.pk}/", {"notes": "Still not attending."}, format="json")
    assert police_notifications.count() == 1  # only the change into non-compliance notifies


def _everything_seen(client, order, requirement):
    """Every list and detail that can show a requirement, as raw text."""
    texts = []
    for url in ("/api/v1/requirements/", f"/api/v1/requirements/{requirement.pk}/",
                f"/api/v1/orders/{order.pk}/requirements/", f"/api/v1/orders/{order.pk}/",
                "/api/v1/orders/", f"/api/v1/requirements/?case={order.case_id}"):
        response = client.get(url)
        texts.append((url, response.status_code, response.content.decode()))
    return texts


def test_notes_never_reach_a_non_responsible_agency(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    requirement = make_requirement(order, spo.provider, notes=SECRET_NOTE)
    make_event(requirement, details=SECRET_EVENT)
    for user in (spo.advocate, spo.housing_officer, spo.health_worker, spo.chair, spo.other_officer,
                 spo.coordinator):
        for url, status, text in _everything_seen(api(user), order, requirement):
            assert SECRET_NOTE not in text, (user, url)
            assert SECRET_EVENT not in text, (user, url)
            assert '"notes"' not in text and '"events"' not in text, (user, url)
    # The participants do see the requirement itself: its status and dates.
    seen = api(spo.housing_officer).get(f"/api/v1/requirements/{requirement.pk}/").json()
    assert (seen["status"], seen["kind"], seen["due_date"]) == ("pending", "intervention_programme", None)
    # ... and neither do the notes reach the meeting pack.
    summaries = json.dumps(order_summaries_for_cases([spo.case.pk]))
    assert SECRET_NOTE not in summaries and SECRET_EVENT not in summaries


def test_police_on_the_case_and_the_responsible_agency_see_the_notes(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    requirement = make_requirement(order, spo.provider, notes=SECRET_NOTE)
    make_event(requirement, details=SECRET_EVENT)
    for user in (spo.officer, spo.provider_worker):
        data = api(user).get(f"/api/v1/requirements/{requirement.pk}/").json()
        assert data["notes"] == SECRET_NOTE
        assert data["events"][0]["details"] == SECRET_EVENT


def test_the_serializer_is_chosen_per_row_in_one_list(api, spo):
    """Health is responsible for one requirement and a participant on the case: it sees
    its own requirement's notes and only the status of the other."""
    order = make_order(spo.case, spo.police, spo.officer)
    own = make_requirement(order, spo.health, notes="Assessment booked (health detail).",
                           kind="mental_health_assessment")
    other = make_requirement(order, spo.provider, notes=SECRET_NOTE)
    rows = {r["id"]: r for r in api(spo.health_worker).get("/api/v1/requirements/").json()["results"]}
    assert rows[own.pk]["notes"] == "Assessment booked (health detail)."
    assert "notes" not in rows[other.pk] and "events" not in rows[other.pk]
    assert rows[other.pk]["status"] == "pending"


def test_order_summaries_for_the_pack_carry_no_notes_or_compliance(spo):
    order = make_order(spo.case, spo.police, spo.officer, served_on=date(2025, 3, 11))
    requirement = make_requirement(order, spo.provider, notes=SECRET_NOTE, due_date=date(2025, 9, 1))
    make_event(requirement, details=SECRET_EVENT)
    summaries = order_summaries_for_cases([spo.case.pk, 424242])
    assert summaries[424242] == []
    (summary,) = summaries[spo.case.pk]
    assert summary["kind"] == "full" and summary["status"] == "granted"
    assert summary["granted_on"] == "2025-03-10" and summary["notification_due"] == "2025-03-13"
    assert summary["prohibitions"][0]["text"].startswith("No contact")
    assert summary["requirements"] == [{"kind": "intervention_programme", "status": "pending",
                                        "due_date": "2025-09-01"}]


def test_order_summaries_take_three_queries_whatever_the_number_of_cases(spo, django_assert_num_queries):
    from tests.factories import CaseFactory

    cases = [spo.case] + [CaseFactory(participants=[spo.police]) for _ in range(5)]
    for case in cases:
        make_requirement(make_order(case, spo.police, spo.officer), spo.provider)
    with django_assert_num_queries(3):
        summaries = order_summaries_for_cases([c.pk for c in cases[:2]])
    assert len(summaries) == 2
    with django_assert_num_queries(3):
        summaries = order_summaries_for_cases([c.pk for c in cases])
    assert all(len(v) == 1 for v in summaries.values())


def test_meeting_pack_shows_the_spo_summary_but_never_notes_or_events(spo):
    import io

    from pypdf import PdfReader

    from marac.meetings import packs
    from tests.meetings.helpers import make_meeting

    order = make_order(spo.case, spo.police, spo.officer,
                       prohibitions=[{"text": "No contact by any means", "locality": "Northshire"}])
    requirement = make_requirement(order, spo.provider, notes="SECRET-NOTE-7731", kind="mental_health_assessment")
    make_event(requirement, details="EVENT-DETAIL-5512")
    meeting = make_meeting(cases=[spo.case])

    document = packs.pack_document(meeting)
    section = document["cases"][0]["sections"]["spo_summary"]
    assert section["orders"][0]["id"] == order.pk
    assert "Prohibition: No contact by any means (within Northshire)" in section["lines"]
    assert any(line.startswith("Requirement: mental health assessment") for line in section["lines"])
    as_json = packs.to_json(document)
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(packs.render_pdf(document))).pages)
    assert "No contact by any means" in pdf_text
    for rendered in (as_json, pdf_text):
        assert "SECRET-NOTE-7731" not in rendered
        assert "EVENT-DETAIL-5512" not in rendered
