"""The requirement page: the responsible agency (not a case participant) records status,
private notes and compliance events; police on the case add requirements and read the
notes; other participants see the status only; outside the slice, Page not found."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.audit.models import AuditEvent
from marac.notifications.models import Notification
from marac.orders.models import ComplianceEvent, Requirement
from tests.orders.factories import GRANTED_ON, make_order, make_requirement
from tests.web.orders.helpers import date_input, form_errors

pytestmark = pytest.mark.django_db


def requirement_form(agency, **fields) -> dict:
    data = {"kind": "intervention_programme", "description": "Stalking intervention programme",
            "responsible_agency": str(agency.pk)}
    for name in ("due_date", "starts_on", "ends_on"):
        data.update(date_input(name, None))
    data.update(fields)
    return data


def test_police_add_a_requirement_and_the_responsible_agency_is_told(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    response = web(spo.officer).post(f"/orders/{order.pk}/requirements/new/", requirement_form(
        spo.provider, **date_input("due_date", GRANTED_ON + timedelta(days=90))))
    assert response.status_code == 302 and response["Location"] == f"/orders/{order.pk}/"
    requirement = Requirement.objects.get(order=order)
    assert requirement.responsible_agency == spo.provider
    assert Notification.objects.filter(agency=spo.provider, kind="requirement_assigned").exists()
    assert AuditEvent.objects.filter(action="create", object_type="requirement",
                                     object_id=str(requirement.pk)).exists()


def test_a_requirement_cannot_start_before_the_order_was_made(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    response = web(spo.officer).post(f"/orders/{order.pk}/requirements/new/", requirement_form(
        spo.provider, **date_input("starts_on", GRANTED_ON - timedelta(days=1))))
    assert response.status_code == 400 and "cannot start before the order was made" in form_errors(response)
    assert not Requirement.objects.exists()


def test_only_police_on_the_case_add_requirements(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    assert web(spo.advocate).get(f"/orders/{order.pk}/requirements/new/").status_code == 403
    assert web(spo.other_officer).get(f"/orders/{order.pk}/requirements/new/").status_code == 404
    assert web(spo.advocate).post(f"/orders/{order.pk}/requirements/new/",
                                  requirement_form(spo.provider)).status_code == 403
    assert not Requirement.objects.exists()


def test_the_responsible_agency_sees_notes_defendant_and_order_but_nothing_of_the_case(web, spo):
    order = make_order(spo.case, spo.police, spo.officer, reference="NS/25/1")
    requirement = make_requirement(order, spo.provider, notes="Attended late twice.")
    page = web(spo.provider_worker).get(f"/requirements/{requirement.pk}/").content.decode()
    assert "Attended late twice." in page and "NS/25/1" in page
    assert order.defendant.first_name in page
    assert spo.case.reference not in page and spo.case.victim.first_name not in page
    assert web(spo.provider_worker).get(f"/orders/{order.pk}/").status_code == 404


def test_other_participants_see_the_status_but_not_the_notes_or_the_forms(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    requirement = make_requirement(order, spo.provider, notes="Attended late twice.")
    for user in (spo.housing_officer, spo.advocate, spo.chair):
        page = web(user).get(f"/requirements/{requirement.pk}/").content.decode()
        assert "Pending" in page and "Attended late twice." not in page and "Record a compliance event" not in page
    police_page = web(spo.officer).get(f"/requirements/{requirement.pk}/").content.decode()
    assert "Attended late twice." in police_page and "Record a compliance event" not in police_page


def test_the_responsible_agency_records_status_notes_and_compliance(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    requirement = make_requirement(order, spo.provider)
    provider = web(spo.provider_worker)
    updated = provider.post(f"/requirements/{requirement.pk}/update/",
                            {"status": "non_compliant", "notes": "Missed three sessions."})
    assert updated.status_code == 302
    requirement.refresh_from_db()
    assert (requirement.status, requirement.notes) == ("non_compliant", "Missed three sessions.")
    assert Notification.objects.filter(agency=spo.police, kind="requirement_non_compliant").exists()
    missed = timezone.localdate() - timedelta(days=1)
    recorded = provider.post(f"/requirements/{requirement.pk}/events/new/",
                             {"kind": "missed", "details": "No show.", **date_input("occurred_on", missed)})
    assert recorded.status_code == 302
    assert ComplianceEvent.objects.get(requirement=requirement).occurred_on == missed
    updates = AuditEvent.objects.filter(action="update", object_type="requirement", object_id=str(requirement.pk))
    assert updates.count() == 2


def test_a_compliance_event_in_the_future_is_refused(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    requirement = make_requirement(order, spo.provider)
    response = web(spo.provider_worker).post(f"/requirements/{requirement.pk}/events/new/", {
        "kind": "attended", "details": "", **date_input("occurred_on", timezone.localdate() + timedelta(days=2))})
    assert response.status_code == 400 and "cannot be in the future" in form_errors(response)
    assert not ComplianceEvent.objects.exists()


def test_only_the_responsible_agency_changes_a_requirement(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    requirement = make_requirement(order, spo.provider)
    for user in (spo.officer, spo.housing_officer):
        client = web(user)
        assert client.post(f"/requirements/{requirement.pk}/update/", {"status": "completed"}).status_code == 403
        assert client.post(f"/requirements/{requirement.pk}/events/new/", {
            "kind": "attended", **date_input("occurred_on", GRANTED_ON)}).status_code == 403
    outsider = web(spo.other_officer)
    assert outsider.get(f"/requirements/{requirement.pk}/").status_code == 404
    assert outsider.post(f"/requirements/{requirement.pk}/update/", {"status": "completed"}).status_code == 404
    requirement.refresh_from_db()
    assert requirement.status == "pending" and not ComplianceEvent.objects.exists()


def test_the_worklist_lists_the_agencys_requirements_without_notes(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    mine = make_requirement(order, spo.provider, notes="Private detail")
    response = web(spo.provider_worker).get("/requirements/")
    assert [r.pk for r in response.context["requirements"]] == [mine.pk]
    assert "Private detail" not in response.content.decode()
    assert not list(web(spo.other_officer).get("/requirements/").context["requirements"])
