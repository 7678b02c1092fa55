"""Stalking Protection Order pages: police on the case record an order and move it
through its lifecycle; the Act's rules come back from the domain as GOV.UK errors and
nothing is written; the slice decides who sees (404 outside) and who acts (403)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from marac.audit.models import AuditEvent
from marac.orders.models import Order, OrderChange, OrderStatus
from tests.factories import make_platform_admin
from tests.orders.factories import GRANTED_ON, make_breach, make_order, make_requirement
from tests.web.orders.helpers import date_input, form_errors

pytestmark = pytest.mark.django_db


def new_order_form(**fields) -> dict:
    data = {"kind": "full", "source": "police_application", "status": "considering", "defendant": "",
            "main_order": "", "reference": "", "court": "", "decision_reason": "", "prohibitions": ""}
    for name in ("applied_on", "conviction_or_acquittal_on", "granted_on", "served_on", "expires_on"):
        data.update(date_input(name, None))
    data.update(fields)
    return data


def status_form(status: str, **fields) -> dict:
    data = {"status": status, "decision_reason": ""}
    for name in ("applied_on", "granted_on", "expires_on", "decided_on", "discharged_on"):
        data.update(date_input(name, None))
    data.update(fields)
    return data


def test_police_record_an_order_and_take_it_from_considering_to_granted(web, spo):
    police = web(spo.officer)
    response = police.post(f"/cases/{spo.case.pk}/orders/new/", new_order_form(
        prohibitions="No contact with the victim by any means\nNot to enter Northshire Road"))
    order = Order.objects.get(case=spo.case)
    assert response.status_code == 302 and response["Location"] == f"/orders/{order.pk}/"
    assert order.agency == spo.police and order.status == OrderStatus.CONSIDERING
    assert [t["text"] for t in order.prohibitions] == ["No contact with the victim by any means",
                                                       "Not to enter Northshire Road"]
    applied = timezone.localdate() - timedelta(days=10)
    granted = timezone.localdate() - timedelta(days=2)
    assert police.post(f"/orders/{order.pk}/status/", status_form(
        "applied", **date_input("applied_on", applied))).status_code == 302
    assert police.post(f"/orders/{order.pk}/status/", status_form(
        "granted", **date_input("granted_on", granted))).status_code == 302
    order.refresh_from_db()
    assert (order.status, order.applied_on, order.granted_on, order.expires_on) == ("granted", applied, granted, None)
    page = police.get(f"/orders/{order.pk}/").content.decode()
    assert "Until further order" in page and "Granted" in page
    kinds = list(AuditEvent.objects.filter(object_type="order", object_id=str(order.pk)).values_list("action",
                                                                                                      flat=True))
    assert kinds.count("create") == 1 and kinds.count("update") == 2 and "view" in kinds


def test_a_full_order_shorter_than_two_years_is_refused_beside_the_field_and_nothing_is_written(web, spo):
    order = make_order(spo.case, spo.police, spo.officer, status="applied", granted_on=None,
                       applied_on=GRANTED_ON)
    changes_before = OrderChange.objects.filter(order=order).count()
    response = web(spo.officer).post(f"/orders/{order.pk}/status/", status_form(
        "granted", **date_input("granted_on", GRANTED_ON + timedelta(days=1)),
        **date_input("expires_on", GRANTED_ON + timedelta(days=300))))
    assert response.status_code == 400
    assert "at least 2 years" in form_errors(response)
    html = response.content.decode()
    beside = html[html.index('id="div_id_expires_on"'):html.index('id="div_id_decided_on"')]
    assert "govuk-error-message" in beside and "at least 2 years" in beside
    assert response.content.decode().count("<title>Error: ") == 1
    order.refresh_from_db()
    assert order.status == "applied" and OrderChange.objects.filter(order=order).count() == changes_before


def test_declining_to_apply_needs_a_reason(web, spo):
    order = make_order(spo.case, spo.police, spo.officer, status="considering", granted_on=None, applied_on=None)
    police = web(spo.officer)
    refused = police.post(f"/orders/{order.pk}/status/", status_form("declined"))
    assert refused.status_code == 400 and "decision_reason" in form_errors(refused)
    accepted = police.post(f"/orders/{order.pk}/status/", status_form(
        "declined", decision_reason="The victim asked us not to apply yet."))
    assert accepted.status_code == 302
    order.refresh_from_db()
    assert order.status == "declined" and order.decision_reason.startswith("The victim")


def test_only_the_transitions_the_domain_allows_are_offered_and_a_forged_one_is_refused(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)  # granted
    police = web(spo.officer)
    page = police.get(f"/orders/{order.pk}/status/").content.decode()
    assert 'value="discharged"' in page and 'value="expired"' in page and 'value="applied"' not in page
    forged = police.post(f"/orders/{order.pk}/status/", status_form("considering"))
    assert forged.status_code == 400 and form_errors(forged)
    order.refresh_from_db()
    assert order.status == "granted"


def test_discharge_within_two_years_needs_both_consents(web, spo):
    granted = timezone.localdate() - timedelta(days=100)
    order = make_order(spo.case, spo.police, spo.officer, applied_on=granted - timedelta(days=5), granted_on=granted)
    police = web(spo.officer)
    refused = police.post(f"/orders/{order.pk}/status/", status_form("discharged"))
    assert refused.status_code == 400 and "consent" in form_errors(refused)
    consented = police.post(f"/orders/{order.pk}/status/", status_form("discharged", discharge_consent="on"))
    assert consented.status_code == 302
    order.refresh_from_db()
    assert order.status == "discharged" and order.discharge_consent


def test_details_record_service_and_keep_only_what_changed_in_the_history(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    police = web(spo.officer)
    form = police.get(f"/orders/{order.pk}/edit/").context["form"]
    data = {name: "" for name in ("reference", "court")}
    data.update(reference="NS/2025/77", court=order.court)
    for name in ("applied_on", "granted_on", "expires_on", "notified_on", "register_ended_on"):
        data.update(date_input(name, getattr(order, name)))
    data.update(date_input("served_on", GRANTED_ON + timedelta(days=1)))
    assert form is not None
    assert police.post(f"/orders/{order.pk}/edit/", data).status_code == 302
    last = OrderChange.objects.filter(order=order).last()
    assert set(last.changes) == {"reference", "served_on"}
    order.refresh_from_db()
    assert order.notification_due == GRANTED_ON + timedelta(days=3)


def test_service_before_grant_is_refused(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    data = {"reference": "", "court": order.court}
    for name in ("applied_on", "granted_on", "expires_on", "notified_on", "register_ended_on"):
        data.update(date_input(name, getattr(order, name)))
    data.update(date_input("served_on", GRANTED_ON - timedelta(days=1)))
    response = web(spo.officer).post(f"/orders/{order.pk}/edit/", data)
    assert response.status_code == 400 and "Service not before grant" in form_errors(response)


def test_prohibitions_are_added_and_removed_as_variations(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    police = web(spo.officer)
    added = police.post(f"/orders/{order.pk}/prohibitions/new/", {
        "text": "Not to go within 100 metres of her workplace", "locality": "Northshire",
        **date_input("ends_on", None)})
    assert added.status_code == 302
    order.refresh_from_db()
    assert order.prohibitions[-1] == {"text": "Not to go within 100 metres of her workplace", "locality": "Northshire",
                                      "ends_on": None}
    assert OrderChange.objects.filter(order=order).last().kind == "variation"
    assert police.post(f"/orders/{order.pk}/prohibitions/0/remove/").status_code == 302
    order.refresh_from_db()
    assert [t["text"] for t in order.prohibitions] == ["Not to go within 100 metres of her workplace"]
    assert police.post(f"/orders/{order.pk}/prohibitions/5/remove/").status_code == 404
    history = police.get(f"/orders/{order.pk}/history/").content.decode()
    assert history.count("moj-timeline__item") == 3 and "Variation" in history


def test_a_term_outlasting_the_order_is_refused(web, spo):
    order = make_order(spo.case, spo.police, spo.officer, expires_on=date(2028, 3, 9))
    response = web(spo.officer).post(f"/orders/{order.pk}/prohibitions/new/", {
        "text": "No contact", "locality": "", **date_input("ends_on", date(2029, 1, 1))})
    assert response.status_code == 400 and "cannot outlast the order" in form_errors(response)


def test_an_impossible_date_or_one_past_2100_is_a_message_not_an_error_page(web, spo):
    police = web(spo.officer)
    for day, month, year, message in (("31", "2", "2025", "Enter a real date."),
                                      ("1", "1", "2101", "no later than 2100-12-31"),
                                      ("1", "1", "99999", "Enter a real date.")):
        response = police.post(f"/cases/{spo.case.pk}/orders/new/", new_order_form(
            status="applied", applied_on_0=day, applied_on_1=month, applied_on_2=year))
        assert response.status_code == 400 and message in form_errors(response)
    assert not Order.objects.exists()


def test_only_police_on_the_case_record_or_change_orders(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    for user in (spo.advocate, spo.housing_officer, spo.chair):
        client = web(user)
        assert client.get(f"/orders/{order.pk}/").status_code == 200
        assert client.get(f"/orders/{order.pk}/status/").status_code == 403
        assert client.post(f"/orders/{order.pk}/status/", status_form("expired")).status_code == 403
    assert web(spo.advocate).get(f"/cases/{spo.case.pk}/orders/new/").status_code == 403
    assert web(spo.advocate).post(f"/cases/{spo.case.pk}/orders/new/", new_order_form()).status_code == 403
    assert Order.objects.count() == 1


def test_outside_the_slice_an_order_is_page_not_found(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    for user in (spo.other_officer, spo.provider_worker, spo.coordinator, make_platform_admin()):
        client = web(user)
        urls = [f"/orders/{order.pk}/", f"/orders/{order.pk}/history/", f"/orders/{order.pk}/status/"]
        if user != spo.coordinator:  # coordinators see every case: recording an order there is 403
            urls.append(f"/cases/{spo.case.pk}/orders/new/")
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, (user, url)
            assert "Page not found" in response.content.decode()
        if user != spo.coordinator and user.is_superuser is False:
            assert not list(client.get("/orders/").context["orders"])


def test_the_order_page_shows_requirement_notes_only_to_police_and_the_responsible_agency(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    make_requirement(order, spo.provider, notes="Disclosed a relapse in confidence.")
    make_breach(order, agency=spo.advocacy, user=spo.advocate)
    police_page = web(spo.officer).get(f"/orders/{order.pk}/").content.decode()
    assert "Disclosed a relapse" in police_page and "Awaiting response" in police_page
    for user in (spo.advocate, spo.housing_officer, spo.chair):
        page = web(user).get(f"/orders/{order.pk}/").content.decode()
        assert "intervention programme" in page.lower() and "Disclosed a relapse" not in page
        assert "Report a breach" in page or user == spo.chair


def test_reading_an_order_page_is_audited_like_the_api_reads(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    requirement = make_requirement(order, spo.provider)
    breach = make_breach(order)
    web(spo.housing_officer).get(f"/orders/{order.pk}/")
    seen = set(AuditEvent.objects.filter(user_id=spo.housing_officer.pk, action="view").values_list("object_type",
                                                                                                "object_id"))
    assert seen == {("order", str(order.pk)), ("requirement", str(requirement.pk)), ("breach", str(breach.pk))}


def test_the_order_list_filters_by_status(web, spo):
    granted = make_order(spo.case, spo.police, spo.officer)
    considering = make_order(spo.case, spo.police, spo.officer, status="considering", granted_on=None, applied_on=None)
    client = web(spo.advocate)
    assert {o.pk for o in client.get("/orders/").context["orders"]} == {granted.pk, considering.pk}
    assert [o.pk for o in client.get("/orders/?status=granted").context["orders"]] == [granted.pk]
    assert client.get("/orders/?status=nonsense").status_code == 200
