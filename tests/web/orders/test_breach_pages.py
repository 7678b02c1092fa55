"""Report a breach (any participant of the case) and the police response (police on the
case): the police hear at once, the first response is timed, and the Act's rules on
when a breach can have happened come back beside the date."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.audit.models import AuditEvent
from marac.notifications.models import Notification
from marac.orders.models import Breach
from tests.orders.factories import make_breach, make_order, make_requirement
from tests.web.orders.helpers import date_input, form_errors

pytestmark = pytest.mark.django_db


def breach_form(when, **fields) -> dict:
    local = timezone.localtime(when)
    data = {"kind": "prohibition", "requirement": "", "occurred_time": local.strftime("%H:%M"),
            "description": "He waited outside her work.", **date_input("occurred_on", local.date())}
    data.update(fields)
    return data


def test_any_participant_reports_a_breach_and_police_are_alerted(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    response = web(spo.housing_officer).post(f"/orders/{order.pk}/breaches/new/",
                                             breach_form(timezone.now() - timedelta(hours=3)))
    breach = Breach.objects.get(order=order)
    assert response.status_code == 302 and response["Location"] == f"/breaches/{breach.pk}/"
    assert breach.reporting_agency == spo.housing and breach.reported_by == spo.housing_officer
    assert Notification.objects.filter(agency=spo.police, kind="breach_reported").exists()
    assert AuditEvent.objects.filter(action="create", object_type="breach", object_id=str(breach.pk)).exists()


def test_a_requirement_breach_names_one_of_the_orders_requirements(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    requirement = make_requirement(order, spo.provider)
    response = web(spo.advocate).post(f"/orders/{order.pk}/breaches/new/", breach_form(
        timezone.now() - timedelta(hours=1), kind="requirement", requirement=str(requirement.pk)))
    assert response.status_code == 302
    assert Breach.objects.get().requirement == requirement
    wrong_kind = web(spo.advocate).post(f"/orders/{order.pk}/breaches/new/", breach_form(
        timezone.now() - timedelta(hours=1), kind="prohibition", requirement=str(requirement.pk)))
    assert wrong_kind.status_code == 400 and "names a requirement" in form_errors(wrong_kind)
    assert Breach.objects.count() == 1


def test_a_breach_before_the_order_or_in_the_future_is_refused_beside_the_date(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    client = web(spo.advocate)
    before = client.post(f"/orders/{order.pk}/breaches/new/", breach_form(
        timezone.make_aware(timezone.datetime(2025, 1, 5, 10, 0))))
    assert before.status_code == 400 and "before the order was granted" in form_errors(before)
    future = client.post(f"/orders/{order.pk}/breaches/new/", breach_form(timezone.now() + timedelta(days=2)))
    assert future.status_code == 400 and "cannot be in the future" in form_errors(future)
    missing = client.post(f"/orders/{order.pk}/breaches/new/", breach_form(
        timezone.now() - timedelta(hours=1), occurred_time="25:99", description=""))
    assert missing.status_code == 400 and "time" in form_errors(missing).lower()
    assert not Breach.objects.exists()


def test_agencies_off_the_case_cannot_report(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    for user in (spo.other_officer, spo.provider_worker):
        assert web(user).get(f"/orders/{order.pk}/breaches/new/").status_code == 404
    assert web(spo.chair).get(f"/orders/{order.pk}/breaches/new/").status_code == 403
    assert not Breach.objects.exists()


def test_police_on_the_case_respond_and_the_first_response_is_timed(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    breach = make_breach(order, agency=spo.advocacy, user=spo.advocate)
    police = web(spo.officer)
    assert "Save response" in police.get(f"/breaches/{breach.pk}/").content.decode()
    response = police.post(f"/breaches/{breach.pk}/respond/",
                           {"status": "investigating", "police_response": "Officer attended; CCTV requested."})
    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.status == "investigating" and breach.first_response_at is not None
    page = web(spo.advocate).get(f"/breaches/{breach.pk}/").content.decode()
    assert "CCTV requested" in page and "Save response" not in page
    assert AuditEvent.objects.filter(action="update", object_type="breach", object_id=str(breach.pk)).exists()


def test_only_police_on_the_case_respond(web, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    breach = make_breach(order)
    assert web(spo.advocate).post(f"/breaches/{breach.pk}/respond/", {"status": "charged"}).status_code == 403
    assert web(spo.other_officer).post(f"/breaches/{breach.pk}/respond/",
                                       {"status": "charged"}).status_code == 404
    assert web(spo.other_officer).get(f"/breaches/{breach.pk}/").status_code == 404
    breach.refresh_from_db()
    assert breach.status == "reported" and breach.first_response_at is None
