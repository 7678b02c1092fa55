"""Requests for an SPO on the web: any participant records one on the case page (the
police on the case are told at once); the requesting agency and the police see it and
its answer; police answer it by recording the order that names it. The same services
and policy rows as /api/v1/cases/{id}/spo-requests/ and POST /orders/ {spo_request}."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marac.audit.models import AuditEvent
from marac.notifications.models import Notification
from marac.orders.models import Order, SpoRequest
from tests.orders.factories import make_order, make_spo_request
from tests.web.orders.helpers import date_input, form_errors
from tests.web.orders.test_order_pages import new_order_form

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def request_form(requested_on=TODAY, victim="yes", note=""):
    return {"requested_by_victim": victim, "note": note, **date_input("requested_on", requested_on)}


def test_an_advocate_records_a_request_and_police_answer_it_with_the_order(web, spo):
    advocate = web(spo.advocate)
    page = advocate.get(f"/cases/{spo.case.pk}/").content.decode()
    assert f'href="/cases/{spo.case.pk}/spo-requests/new/"' in page
    form = advocate.get(f"/cases/{spo.case.pk}/spo-requests/new/").content.decode()
    assert "<title>Record a request for an SPO" in form and 'for="id_note"' in form
    response = advocate.post(f"/cases/{spo.case.pk}/spo-requests/new/",
                             request_form(note="She asked at the last visit."))
    assert response.status_code == 302 and response["Location"] == f"/cases/{spo.case.pk}/#orders"
    request = SpoRequest.objects.get(case=spo.case)
    assert (request.agency, request.requested_by, request.requested_by_victim) == (spo.advocacy, spo.advocate, True)
    assert Notification.objects.filter(agency=spo.police, kind="spo_requested", object_id=str(request.pk)).exists()
    assert AuditEvent.objects.filter(action="create", object_type="spo_request", object_id=str(request.pk),
                                     operation="web:spo-request-create").exists()
    assert "Awaiting the police's answer" in advocate.get(f"/cases/{spo.case.pk}/").content.decode()

    police = web(spo.officer)
    page = police.get(f"/cases/{spo.case.pk}/").content.decode()
    answer = f"/cases/{spo.case.pk}/orders/new/?spo_request={request.pk}"
    assert f'href="{answer}"' in page
    assert f'<option value="{request.pk}" selected>' in police.get(answer).content.decode()
    response = police.post(f"/cases/{spo.case.pk}/orders/new/", new_order_form(spo_request=str(request.pk)))
    order = Order.objects.get(case=spo.case)
    assert response.status_code == 302 and order.spo_request == request
    request.refresh_from_db()
    assert request.answered_at is not None
    page = advocate.get(f"/cases/{spo.case.pk}/").content.decode()
    assert f"order {order.pk}, considering" in page and "Awaiting the police" not in page


@pytest.mark.parametrize("data,field,message", [
    (request_form(requested_on=TODAY + timedelta(days=1)), "requested_on", "cannot be in the future"),
    (request_form(victim=""), "requested_by_victim", "Select who asked"),
    (request_form(requested_on=None), "requested_on", "Enter the day, month and year"),
])
def test_a_request_with_errors_is_shown_beside_its_field_and_nothing_is_written(web, spo, data, field, message):
    events = AuditEvent.objects.count()
    response = web(spo.advocate).post(f"/cases/{spo.case.pk}/spo-requests/new/", data)
    assert response.status_code == 400 and message in form_errors(response)
    html = response.content.decode()
    beside = html[html.index(f'id="div_id_{field}"'):]
    assert message in beside[:beside.index("</fieldset>")] and "<title>Error: " in html
    assert not SpoRequest.objects.exists() and not Notification.objects.filter(kind="spo_requested").exists()
    assert AuditEvent.objects.count() == events


def test_requests_are_seen_by_the_requesting_agency_and_police_and_recorded_by_participants_only(web, spo):
    make_spo_request(spo.case, spo.advocacy, spo.advocate)
    housing = web(spo.housing_officer)  # on the case, not the requester, not police
    assert "Requests for an SPO" not in housing.get(f"/cases/{spo.case.pk}/").content.decode()
    assert housing.get(f"/cases/{spo.case.pk}/spo-requests/new/").status_code == 200
    for user in (spo.chair, spo.coordinator):  # they reach the case through its MARAC, not as participants
        refused = web(user).post(f"/cases/{spo.case.pk}/spo-requests/new/", request_form())
        assert refused.status_code == 403 and b"You cannot do this" in refused.content
    missing = web(spo.other_officer).get(f"/cases/{spo.case.pk}/spo-requests/new/")
    assert missing.status_code == 404 and b"Page not found" in missing.content
    assert SpoRequest.objects.count() == 1


def test_the_case_page_reads_the_same_queries_for_one_request_or_many(web, spo):
    police = web(spo.officer)
    counts = []
    for more in (1, 4):
        for _ in range(more):
            make_spo_request(spo.case, spo.advocacy, spo.advocate)
        police.get(f"/cases/{spo.case.pk}/")
        with CaptureQueriesContext(connection) as queries:
            page = police.get(f"/cases/{spo.case.pk}/").content.decode()
        counts.append(len(queries))
        assert page.count("the victim asked") == SpoRequest.objects.count()
    assert counts[0] == counts[1]


def test_an_order_recorded_earlier_is_linked_to_a_later_request_on_its_edit_page_once(web, spo):
    order = make_order(spo.case, spo.police, spo.officer, status="considering", granted_on=None, applied_on=None)
    request = make_spo_request(spo.case, spo.advocacy, spo.advocate)
    police = web(spo.officer)
    form = police.get(f"/orders/{order.pk}/edit/").content.decode()
    assert f'<option value="{request.pk}">' in form
    details = {"reference": "", "court": order.court, "spo_request": str(request.pk),
               **{key: value for name in ("applied_on", "granted_on", "served_on", "expires_on", "notified_on",
                                          "register_ended_on") for key, value in date_input(name, None).items()}}
    response = police.post(f"/orders/{order.pk}/edit/", details)
    assert response.status_code == 302
    order.refresh_from_db()
    request.refresh_from_db()
    assert order.spo_request == request and request.answered_at is not None
    assert "The request for an SPO this answers" not in police.get(f"/orders/{order.pk}/edit/").content.decode()
