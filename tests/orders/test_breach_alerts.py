"""A breach alerts the holding force at once; unanswered breaches are escalated every 15
minutes, once; the response time is measured from the report."""

from datetime import timedelta

import pytest
from celery import current_app
from django.conf import settings as django_settings
from django.utils import timezone

from marac.agencies.models import AgencyKind
from marac.cases.participants import add_participant
from marac.notifications.models import Notification
from marac.orders import sweeps
from marac.orders.models import Breach
from tests.factories import make_agency
from tests.orders.factories import make_breach, make_order

pytestmark = pytest.mark.django_db


def test_reporting_a_breach_notifies_the_holding_force_at_once(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    neighbouring_force = make_agency(AgencyKind.POLICE)
    add_participant(spo.case, neighbouring_force)
    response = api(spo.advocate).post(f"/api/v1/orders/{order.pk}/breaches/", {
        "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "description": "Waited outside her workplace."}, format="json")
    assert response.status_code == 201, response.content
    alerts = Notification.objects.filter(kind="breach_reported", object_id=str(response.json()["id"]))
    # The force holding the order and the case's other police participant, in the same
    # request: no sweep has run. Nobody else on the case is alerted as police.
    assert set(alerts.values_list("agency", flat=True)) == {spo.police.pk, neighbouring_force.pk}
    alert = alerts.get(agency=spo.police)
    assert alert.case == spo.case and f"order {order.pk}".lower() in alert.message.lower()
    assert "Waited outside" not in alert.message


def test_a_breach_alerts_no_police_force_that_is_not_on_the_case(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    make_breach(order, spo.advocacy, spo.advocate)
    assert Notification.objects.filter(agency=spo.police, kind="breach_reported").exists()
    assert not Notification.objects.filter(agency=spo.other_police).exists()
    assert not Notification.objects.filter(kind="breach_reported").exclude(agency=spo.police).exists()


def test_a_refused_breach_report_alerts_nobody(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    response = api(spo.advocate).post(f"/api/v1/orders/{order.pk}/breaches/", {
        "occurred_at": (timezone.now() + timedelta(days=1)).isoformat(), "description": "x"}, format="json")
    assert response.status_code == 400
    assert not Breach.objects.exists() and not Notification.objects.exists()


def test_unanswered_breaches_are_escalated_every_15_minutes():
    entries = [entry for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
               if entry["task"] == "marac.orders.tasks.escalate_unanswered_breaches"]
    assert len(entries) == 1
    assert entries[0]["schedule"] <= timedelta(minutes=15)
    current_app.loader.import_default_modules()
    assert "marac.orders.tasks.escalate_unanswered_breaches" in current_app.tasks


def test_an_unanswered_breach_is_flagged_within_15_minutes_of_its_deadline_once(spo, settings):
    settings.MARAC_BREACH_RESPONSE_HOURS = 4
    breach = make_breach(make_order(spo.case, spo.police, spo.officer), spo.advocacy, spo.advocate)
    reported = timezone.now() - timedelta(hours=4, minutes=5)  # the deadline passed 5 minutes ago
    Breach.objects.filter(pk=breach.pk).update(reported_at=reported)
    assert sweeps.escalate_unanswered_breaches(reported + timedelta(hours=3, minutes=59)) == 0
    from marac.orders.tasks import escalate_unanswered_breaches

    assert escalate_unanswered_breaches.apply().get() == 1  # the beat task, at the real time
    breach.refresh_from_db()
    flagged_at = breach.response_overdue_flagged_at
    assert flagged_at is not None
    escalation = Notification.objects.get(kind="breach_response_overdue")
    assert (escalation.agency, escalation.object_id) == (spo.police, str(breach.pk))
    # Once: the next runs (and the daily sweep) flag and notify nothing new.
    assert sweeps.escalate_unanswered_breaches() == 0
    assert sweeps.breach_response_overdue(timezone.localdate()) == 0
    breach.refresh_from_db()
    assert breach.response_overdue_flagged_at == flagged_at
    assert Notification.objects.filter(kind="breach_response_overdue").count() == 1


def test_an_answered_breach_is_never_escalated(spo, settings):
    settings.MARAC_BREACH_RESPONSE_HOURS = 4
    breach = make_breach(make_order(spo.case, spo.police, spo.officer), spo.advocacy, spo.advocate)
    Breach.objects.filter(pk=breach.pk).update(reported_at=timezone.now() - timedelta(hours=5),
                                               first_response_at=timezone.now() - timedelta(hours=2))
    assert sweeps.escalate_unanswered_breaches() == 0
    assert not Notification.objects.filter(kind="breach_response_overdue").exists()


def test_the_response_time_is_measured_from_the_report_not_the_breach(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    occurred = timezone.now() - timedelta(days=2)
    created = api(spo.advocate).post(f"/api/v1/orders/{order.pk}/breaches/", {
        "occurred_at": occurred.isoformat(), "description": "Sent flowers to her door."}, format="json").json()
    assert created["occurred_at"] and created["reported_at"] and created["first_response_at"] is None
    assert created["response_minutes"] is None
    Breach.objects.filter(pk=created["id"]).update(reported_at=timezone.now() - timedelta(minutes=90))
    answered = api(spo.officer).patch(f"/api/v1/breaches/{created['id']}/",
                                      {"police_response": "Officer visited the defendant."}, format="json")
    assert answered.status_code == 200, answered.content
    data = answered.json()
    assert data["first_response_at"] is not None
    assert 89 <= data["response_minutes"] <= 91  # from the report 90 minutes ago, not the breach 2 days ago
    assert data["response_seconds"] // 60 == data["response_minutes"]
