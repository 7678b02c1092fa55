"""Requests that police consider an SPO in the web app (issue 14): any participant
records one (the police participants told at once), the case page lists them to the
requesting agency and the police with the police's answer, and police answer by
recording the order that names the request. The same services as the API, audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.audit.models import AuditEvent
from marac.notifications.models import Notification
from marac.orders.models import Order, SpoRequest
from tests.orders.factories import make_order, make_spo_request
from tests.web.orders.helpers import date_input, form_errors

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def request_form(day=TODAY, **fields) -> dict:
    return {"requested_by_victim": "on", "note": "She asked at the last visit.",
            **date_input("requested_on", day), **fields}


def order_form(**fields) -> dict:
    data = {"kind": "full", "source": "police_application", "status": "considering", "defendant": "",
            "main_order": "", "reference": "", "court": "", "decision_reason": "", "prohibitions": "",
            "spo_request": ""}
    for name in ("applied_on", "conviction_or_acquittal_on", "granted_on", "served_on", "expires_on"):
        data.update(date_input(name, None))
    data.update(fields)
    return data


def spo_panel(html: str) -> str:
    start = html.index('id="spo-requests"')
    return html[start:html.index("</table>", start)] if "</table>" in html[start:] else html[start:]


def test_an_advocate_records_a_request_and_the_police_are_told(web, spo):
    advocate = web(spo.advocate)
    page = advocate.get(f"/cases/{spo.case.pk}/").content.decode()
    assert f'href="/cases/{spo.case.pk}/spo-requests/new/"' in page
    assert advocate.get(f"/cases/{spo.case.pk}/spo-requests/new/").status_code == 200
    response = advocate.post(f"/cases/{spo.case.pk}/spo-requests/new/", request_form(TODAY - timedelta(days=1)))
    assert response.status_code == 302 and response["Location"] == f"/cases/{spo.case.pk}/#spo-requests"
    request = SpoRequest.objects.get(case=spo.case)
    assert (request.agency, request.requested_by, request.requested_on, request.requested_by_victim, request.note) == (
        spo.advocacy, spo.advocate, TODAY - timedelta(days=1), True, "She asked at the last visit.")
    assert list(Notification.objects.filter(kind="spo_requested").values_list("agency_id", flat=True)) == [
        spo.police.pk]
    assert AuditEvent.objects.filter(object_type="spo_request", object_id=str(request.pk), action="create",
                                     operation="web:spo-request-create").count() == 1
    panel = spo_panel(advocate.get(f"/cases/{spo.case.pk}/").content.decode())
    assert "The victim, recorded by " + spo.advocacy.name in panel
    assert "Awaiting the police's answer" in panel and "Answer with an order" not in panel


def test_a_request_in_the_future_is_400_beside_the_field_and_writes_nothing(web, spo):
    response = web(spo.advocate).post(f"/cases/{spo.case.pk}/spo-requests/new/",
                                      request_form(TODAY + timedelta(days=1)))
    assert response.status_code == 400
    assert "cannot be in the future" in form_errors(response)
    html = response.content.decode()
    beside = html[html.index('id="div_id_requested_on"'):html.index('id="div_id_requested_by_victim"')]
    assert "govuk-error-message" in beside
    assert html.count("<title>Error: ") == 1
    assert not SpoRequest.objects.exists() and not Notification.objects.exists()
    assert not AuditEvent.objects.filter(object_type="spo_request").exists()


def test_a_missing_date_is_400_with_its_message(web, spo):
    response = web(spo.advocate).post(f"/cases/{spo.case.pk}/spo-requests/new/",
                                      request_form(None))
    assert response.status_code == 400 and form_errors(response)
    assert not SpoRequest.objects.exists()


def test_an_agency_not_on_the_case_gets_page_not_found(web, spo):
    other = web(spo.other_officer)
    assert other.get(f"/cases/{spo.case.pk}/spo-requests/new/").status_code == 404
    response = other.post(f"/cases/{spo.case.pk}/spo-requests/new/", request_form())
    assert response.status_code == 404 and "Page not found" in response.content.decode()
    assert not SpoRequest.objects.exists()


def test_the_requesting_agency_and_the_police_see_a_request_and_other_participants_do_not(web, spo):
    request = make_spo_request(spo.case, spo.advocacy, spo.advocate, requested_on=TODAY - timedelta(days=3))
    police_page = web(spo.officer).get(f"/cases/{spo.case.pk}/").content.decode()
    assert "Answer with an order" in spo_panel(police_page)
    assert f"/cases/{spo.case.pk}/orders/new/?spo_request={request.pk}" in police_page
    housing_page = web(spo.housing_officer).get(f"/cases/{spo.case.pk}/").content.decode()
    # Housing may record its own request, but sees nobody else's.
    assert f'href="/cases/{spo.case.pk}/spo-requests/new/"' in housing_page
    assert 'data-testid="spo-requests"' not in housing_page and "No requests you can see." in housing_page
    views = AuditEvent.objects.filter(object_type="spo_request", object_id=str(request.pk), action="view")
    assert views.count() == 1  # the police's read; housing saw none


def test_police_answer_a_request_by_declining_with_a_reason_on_the_order_form(web, spo):
    request = make_spo_request(spo.case, spo.advocacy, spo.advocate, requested_on=TODAY - timedelta(days=3))
    police = web(spo.officer)
    form_page = police.get(f"/cases/{spo.case.pk}/orders/new/?spo_request={request.pk}").content.decode()
    choices = form_page[form_page.index('id="div_id_spo_request"'):]
    assert f'<option value="{request.pk}" selected>' in choices[:choices.index("</select>")]
    response = police.post(f"/cases/{spo.case.pk}/orders/new/", order_form(
        status="declined", decision_reason="The behaviour has stopped since his arrest.", spo_request=request.pk))
    order = Order.objects.get(case=spo.case)
    assert response.status_code == 302 and response["Location"] == f"/orders/{order.pk}/"
    request.refresh_from_db()
    assert order.spo_request_id == request.pk and order.status == "declined" and request.answered_at is not None
    panel = spo_panel(web(spo.advocate).get(f"/cases/{spo.case.pk}/").content.decode())
    assert "Declined" in panel and "The behaviour has stopped since his arrest." in panel
    assert f'href="/orders/{order.pk}/"' in panel and "Awaiting" not in panel


def test_an_answered_request_is_not_offered_again_and_cannot_be_answered_twice(web, spo):
    request = make_spo_request(spo.case, spo.advocacy, spo.advocate)
    make_order(spo.case, spo.police, spo.officer, status="considering", granted_on=None, applied_on=None,
               spo_request=request)
    police = web(spo.officer)
    form_page = police.get(f"/cases/{spo.case.pk}/orders/new/").content.decode()
    choices = form_page[form_page.index('id="div_id_spo_request"'):]
    assert f'<option value="{request.pk}"' not in choices[:choices.index("</select>")]
    response = police.post(f"/cases/{spo.case.pk}/orders/new/", order_form(spo_request=request.pk))
    assert "spo_request" in response.content.decode() and form_errors(response)
    assert Order.objects.filter(case=spo.case).count() == 1
