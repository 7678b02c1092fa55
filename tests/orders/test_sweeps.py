"""The orders' and support plans' daily sweep steps: what each flags, that a second
run flags nothing new, and that the query count does not grow with the rows."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from marac.notifications.models import Notification
from marac.notifications.sweep import run_daily_sweep, sweep_steps
from marac.orders import sweeps
from marac.orders.models import Breach, Order, OrderStatus
from marac.support.sweeps import review_due
from tests.orders.factories import make_breach, make_order, make_plan

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def granted(spo, **fields):
    return make_order(spo.case, spo.police, spo.officer, **fields)


def test_the_steps_are_registered_from_app_config():
    assert {"orders_notification_overdue", "orders_expiry_reminder", "orders_expire",
            "orders_breach_response_overdue", "support_plan_review_due"} <= set(sweep_steps())


def test_notification_overdue_after_three_days_beginning_with_service(spo):
    due_today = granted(spo, served_on=TODAY - timedelta(days=2))  # last day to notify is today
    overdue = granted(spo, served_on=TODAY - timedelta(days=3))
    assert sweeps.notification_overdue(TODAY) == 1
    notification = Notification.objects.get()
    assert (notification.agency, notification.kind, notification.object_id) == (
        spo.police, "order_notification_overdue", str(overdue.pk))
    assert due_today.pk != overdue.pk


def test_notification_overdue_skips_the_notified_and_the_sex_offender_register_exempt(spo):
    granted(spo, served_on=TODAY - timedelta(days=10), notified_on=TODAY - timedelta(days=9))
    granted(spo, served_on=TODAY - timedelta(days=10), sex_offender_register_exempt=True)
    granted(spo)  # not served
    assert sweeps.notification_overdue(TODAY) == 0
    assert not Notification.objects.exists()


def test_expiry_reminder_90_days_before_expiry(spo):
    made = TODAY - timedelta(days=800)
    in_90 = granted(spo, granted_on=made, applied_on=made, expires_on=TODAY + timedelta(days=90))
    granted(spo, granted_on=made, applied_on=made, expires_on=TODAY + timedelta(days=91))
    granted(spo, granted_on=made, applied_on=made)  # until further order
    assert sweeps.expiry_reminder(TODAY) == 1
    assert Notification.objects.get().object_id == str(in_90.pk)
    assert Notification.objects.get().kind == "order_expiry_reminder"


def test_an_order_expires_the_day_after_its_last_day(spo):
    made = TODAY - timedelta(days=800)
    order = granted(spo, granted_on=made, applied_on=made, expires_on=TODAY)
    assert sweeps.expire_orders(TODAY) == 0  # still in force on its last day
    assert sweeps.expire_orders(TODAY + timedelta(days=1)) == 1
    order.refresh_from_db()
    assert (order.status, order.ended_on) == (OrderStatus.EXPIRED, TODAY + timedelta(days=1))
    change = order.changes.last()
    assert change.kind == "status" and change.by is None


def test_until_further_order_never_expires(spo):
    order = granted(spo, granted_on=date(2020, 2, 1), applied_on=date(2020, 1, 20))
    assert sweeps.expire_orders(TODAY + timedelta(days=3650)) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.GRANTED


def test_breach_with_no_police_response_after_24_hours_is_flagged_to_police(spo):
    order = granted(spo)
    late = make_breach(order, spo.advocacy, spo.advocate)
    recent = make_breach(order, spo.advocacy, spo.advocate)
    answered = make_breach(order, spo.advocacy, spo.advocate)
    now = timezone.now()
    Breach.objects.filter(pk__in=[late.pk, answered.pk]).update(reported_at=now - timedelta(hours=25))
    Breach.objects.filter(pk=recent.pk).update(reported_at=now - timedelta(hours=23))
    Breach.objects.filter(pk=answered.pk).update(first_response_at=now - timedelta(hours=24, minutes=30))
    assert sweeps.breach_response_overdue(timezone.localdate()) == 1
    notification = Notification.objects.get(kind="breach_response_overdue")
    assert (notification.agency, notification.object_id) == (spo.police, str(late.pk))
    late.refresh_from_db()
    recent.refresh_from_db()
    assert late.response_overdue_flagged_at is not None and recent.response_overdue_flagged_at is None


def test_breach_response_time_is_configurable(spo, settings):
    settings.MARAC_BREACH_RESPONSE_HOURS = 4
    breach = make_breach(granted(spo), spo.advocacy, spo.advocate)
    Breach.objects.filter(pk=breach.pk).update(reported_at=timezone.now() - timedelta(hours=5))
    assert sweeps.breach_response_overdue(timezone.localdate()) == 1
    assert "4 hours" in Notification.objects.get(kind="breach_response_overdue").message


def test_support_plan_review_due_reminds_the_advocacy_agency(spo):
    due = make_plan(spo.case, spo.advocacy, spo.advocate, next_review=timezone.localdate())
    make_plan(spo.case, spo.advocacy, spo.advocate, next_review=timezone.localdate() + timedelta(days=1))
    make_plan(spo.case, spo.advocacy, spo.advocate, next_review=timezone.localdate(), status="closed")
    assert review_due(timezone.localdate()) == 1
    notification = Notification.objects.get()
    assert (notification.agency, notification.object_id) == (spo.advocacy, str(due.pk))
    assert "Safe housing" not in notification.message


def _seed_everything_due(spo, n):
    made = TODAY - timedelta(days=800)
    for _ in range(n):
        order = granted(spo, granted_on=made, applied_on=made, served_on=made, expires_on=TODAY + timedelta(days=30))
        Order.objects.filter(pk=order.pk).update(expires_on=TODAY - timedelta(days=1 + _ % 3))
        granted(spo, granted_on=made, applied_on=made, served_on=made, expires_on=TODAY + timedelta(days=30))
        make_breach(order, spo.advocacy, spo.advocate, occurred_at=timezone.now() - timedelta(days=1))
        make_plan(spo.case, spo.advocacy, spo.advocate, next_review=timezone.localdate())
    Breach.objects.update(reported_at=timezone.now() - timedelta(days=2))


def _queries_per_step(spo, n, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _seed_everything_due(spo, n)
    counts = {}
    for name, step in sorted(sweep_steps().items()):
        with CaptureQueriesContext(connection) as ctx:
            step(TODAY)
        counts[name] = len(ctx.captured_queries)
    return counts


def test_sweep_steps_are_set_based(spo, django_assert_max_num_queries):
    few = _queries_per_step(spo, 2, django_assert_max_num_queries)
    Notification.objects.all().delete()
    Order.objects.update(status=OrderStatus.GRANTED)
    Breach.objects.all().delete()
    many = _queries_per_step(spo, 20, django_assert_max_num_queries)
    ours = [name for name in few if name.startswith(("orders_", "support_"))]
    assert {name: few[name] for name in ours} == {name: many[name] for name in ours}
    assert max(few[name] for name in ours) <= 8


def test_the_sweep_is_idempotent(spo):
    _seed_everything_due(spo, 3)
    first = run_daily_sweep(TODAY)
    # Steps run in name order: the 3 orders past their last day expire first, so only
    # the 3 still in force are chased for notification.
    assert first["orders_notification_overdue"] == 3
    assert first["orders_breach_response_overdue"] == 3
    assert first["orders_expire"] == 3
    assert first["support_plan_review_due"] == 3
    raised = Notification.objects.count()
    second = run_daily_sweep(TODAY)
    assert Notification.objects.count() == raised
    assert second["orders_expire"] == 0 and second["orders_notification_overdue"] == 0
    assert second["support_plan_review_due"] == 0 and second["orders_breach_response_overdue"] == 0
