"""Notifiable changes (SPA s.9(3)-(4)) on the order page: the defendant's new names and
home addresses, each with when it was due and whether it was notified in time; police on
the case record one, and the day the defendant notified them, through the same services
as the API's /orders/{id}/notifications/ (record_notifiable_change,
update_notifiable_change). Nobody else sees them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marac.audit.models import AuditEvent
from marac.orders.models import NotifiableChange
from marac.orders.services import record_notifiable_change
from tests.orders.factories import GRANTED_ON, make_order
from tests.web.orders.helpers import date_input, form_errors

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def change_form(kind="address_change", changed_on=None, notified_on=None, details=""):
    return {"kind": kind, "details": details, **date_input("changed_on", changed_on),
            **date_input("notified_on", notified_on)}


def test_police_record_a_change_and_later_the_day_it_was_notified_and_see_whether_in_time(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    police = web(spo.officer)
    page = police.get(f"/orders/{order.pk}/").content.decode()
    assert "Notifiable changes" in page and "No changes recorded." in page
    assert f"/orders/{order.pk}/notifiable-changes/new/" in page and "Record a notifiable change" in page
    form = police.get(f"/orders/{order.pk}/notifiable-changes/new/").content.decode()
    assert "<title>Record a notifiable change" in form and 'for="id_details"' in form

    response = police.post(f"/orders/{order.pk}/notifiable-changes/new/",
                           change_form(changed_on=TODAY - timedelta(days=5), details="Moved in with her sister."))
    assert response.status_code == 302 and response["Location"] == f"/orders/{order.pk}/#notifiable-changes"
    change = NotifiableChange.objects.get(order=order)
    assert (change.kind, change.changed_on, change.notified_on, change.recorded_by) == (
        "address_change", TODAY - timedelta(days=5), None, spo.officer)
    assert AuditEvent.objects.filter(action="create", object_type="notifiable_change", object_id=str(change.pk),
                                     operation="web:notifiable-change-create").exists()

    page = police.get(f"/orders/{order.pk}/").content.decode()
    row = page[page.index("A new home address"):]
    row = row[:row.index("</tr>")]
    assert "Moved in with her sister." in row and "Not notified" in row and "Overdue" in row
    assert (TODAY - timedelta(days=3)).strftime("%-d %B %Y") in row  # due by: the change + 2 days
    assert spo.officer.get_full_name() in row or spo.officer.username in row
    assert AuditEvent.objects.filter(action="view", object_type="notifiable_change", object_id=str(change.pk),
                                     operation="web:order-detail").exists()

    response = police.post(f"/notifiable-changes/{change.pk}/", {
        "details": change.details, **date_input("notified_on", TODAY - timedelta(days=2))})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.notified_on == TODAY - timedelta(days=2)
    assert AuditEvent.objects.filter(action="update", object_type="notifiable_change",
                                     object_id=str(change.pk)).exists()
    row = police.get(f"/orders/{order.pk}/").content.decode()
    assert ">Late<" in row and "Overdue" not in row


def test_a_change_notified_in_time_shows_on_time(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    record_notifiable_change(order, by=spo.officer, kind="name_change", changed_on=TODAY - timedelta(days=4),
                             notified_on=TODAY - timedelta(days=3))
    page = web(spo.officer).get(f"/orders/{order.pk}/").content.decode()
    assert "A new name" in page and ">On time<" in page


@pytest.mark.parametrize("data,field,message", [
    (change_form(changed_on=GRANTED_ON - timedelta(days=1)), "changed_on", "before the order was made"),
    (change_form(changed_on=TODAY + timedelta(days=1)), "changed_on", "cannot be in the future"),
    (change_form(changed_on=TODAY - timedelta(days=2), notified_on=TODAY - timedelta(days=3)), "notified_on",
     "Dates out of order"),
    (change_form(kind=""), "kind", "Select what changed"),
    (change_form(changed_on=None), "changed_on", "Enter the day, month and year"),
])
def test_a_change_the_act_refuses_is_shown_beside_its_field_and_nothing_is_written(web, spo, data, field, message):
    order = make_order(spo.case, spo.police, spo.officer)
    events = AuditEvent.objects.count()
    response = web(spo.officer).post(f"/orders/{order.pk}/notifiable-changes/new/", data)
    assert response.status_code == 400
    assert message in form_errors(response)
    html = response.content.decode()
    beside = html[html.index(f'id="div_id_{field}"'):]
    assert message in beside[:beside.index("</fieldset>") if "</fieldset>" in beside else 3000]
    assert "govuk-error-message" in beside[:3000] and "<title>Error: " in html
    assert not NotifiableChange.objects.exists() and AuditEvent.objects.count() == events


def test_a_notification_before_the_change_is_refused_on_the_edit_page_and_nothing_changes(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    change = record_notifiable_change(order, by=spo.officer, kind="name_change",
                                      changed_on=TODAY - timedelta(days=4))
    response = web(spo.officer).post(f"/notifiable-changes/{change.pk}/", {
        "details": "", **date_input("notified_on", TODAY - timedelta(days=5))})
    assert response.status_code == 400 and "Dates out of order" in form_errors(response)
    change.refresh_from_db()
    assert change.notified_on is None


def test_nobody_but_police_on_the_case_sees_or_records_changes(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    change = record_notifiable_change(order, by=spo.officer, kind="name_change", changed_on=TODAY)
    advocate = web(spo.advocate)
    page = advocate.get(f"/orders/{order.pk}/").content.decode()
    assert "Notifiable changes" not in page and "A new name" not in page
    refused = advocate.post(f"/orders/{order.pk}/notifiable-changes/new/", change_form(changed_on=TODAY))
    assert refused.status_code == 403 and b"You cannot do this" in refused.content
    assert advocate.get(f"/notifiable-changes/{change.pk}/").status_code == 404
    for path in (f"/orders/{order.pk}/notifiable-changes/new/", f"/notifiable-changes/{change.pk}/"):
        response = web(spo.other_officer).get(path)  # police not on the case
        assert response.status_code == 404 and b"Page not found" in response.content
    assert NotifiableChange.objects.count() == 1


def test_the_order_page_reads_the_same_queries_for_one_change_or_many(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    police = web(spo.officer)
    counts = []
    for more in (1, 5):
        for index in range(more):
            record_notifiable_change(order, by=spo.officer, kind="name_change",
                                     changed_on=TODAY - timedelta(days=index))
        police.get(f"/orders/{order.pk}/")
        with CaptureQueriesContext(connection) as queries:
            page = police.get(f"/orders/{order.pk}/").content.decode()
        counts.append(len(queries))
        assert page.count("A new name") == NotifiableChange.objects.count()
    assert counts[0] == counts[1]
