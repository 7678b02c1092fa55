"""The orders' steps of the daily sweep. Each is set-based (a fixed number of queries
whatever the number of rows) and idempotent (notifications carry dedupe keys; the
expiry update only touches orders still granted)."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, DateField, Q, Value, When
from django.utils import timezone

from marac.cases.participants import agency_is_on_case
from marac.dates import add_days
from marac.notifications.services import notify_many

from .models import (
    NOTIFICATION_DAYS_AFTER_SERVICE,
    Breach,
    NotifiableChange,
    Order,
    OrderChange,
    OrderChangeKind,
    OrderStatus,
)

EXPIRY_REMINDER_DAYS = 90


def sweep_moment(today: date) -> datetime:
    """"Now" as the sweep for TODAY sees it: the real time for today, else the end of that day."""
    if today >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))


def notification_overdue(today: date) -> int:
    """Served orders whose defendant has not notified police by `notification_due`: the
    later of service and the end of a sex offenders register exemption, + 2 days (none
    while exempt, none for a full order replacing an interim): tell the police force."""
    last_start = today - timedelta(days=NOTIFICATION_DAYS_AFTER_SERVICE + 1)
    due = Q(sex_offender_register_exempt=False) | Q(register_ended_on__lte=last_start)
    orders = (Order.objects.filter(due, status=OrderStatus.GRANTED, served_on__lte=last_start,
                                   notified_on__isnull=True, replaces_interim=False)
              .filter(agency_is_on_case("case", "agency"))
              .values_list("pk", "agency_id", "case_id", "served_on", "register_ended_on"))
    rows = []
    for pk, agency_id, case_id, served_on, register_ended_on in orders:
        start = max(served_on, register_ended_on) if register_ended_on else served_on
        key = f"order:{pk}:notification_overdue:{start.isoformat()}"
        rows.append(dict(agency_id=agency_id, kind="order_notification_overdue", case_id=case_id, object_type="order",
                         object_id=str(pk), dedupe_key=key,
                         message=f"Order {pk}: the defendant was due to notify police by "
                                 f"{add_days(start, NOTIFICATION_DAYS_AFTER_SERVICE).isoformat()} "
                                 "and has not."))
    return notify_many(rows)


def change_notification_overdue(today: date) -> int:
    """New names and home addresses the defendant has not notified within 3 days
    beginning with the change (s.9(3)-(4)), on orders still in force: tell the force."""
    last_changed_on = today - timedelta(days=NOTIFICATION_DAYS_AFTER_SERVICE + 1)
    changes = (NotifiableChange.objects.filter(notified_on__isnull=True, changed_on__lte=last_changed_on,
                                               order__status=OrderStatus.GRANTED)
               .filter(agency_is_on_case("order__case", "order__agency"))
               .values_list("pk", "kind", "changed_on", "order_id", "order__agency_id", "order__case_id"))
    return notify_many([
        dict(agency_id=agency_id, kind="order_change_notification_overdue", case_id=case_id,
             object_type="notifiable_change", object_id=str(pk), dedupe_key=f"notifiable_change:{pk}:overdue",
             message=f"Order {order_id}: the defendant was due to notify police of a "
                     f"{kind.replace('_', ' ')} by "
                     f"{add_days(changed_on, NOTIFICATION_DAYS_AFTER_SERVICE).isoformat()} and has not.")
        for pk, kind, changed_on, order_id, agency_id, case_id in changes
    ])


def expiry_reminder(today: date) -> int:
    """Orders whose fixed period ends within 90 days: time to decide on renewal."""
    orders = (Order.objects.filter(status=OrderStatus.GRANTED, expires_on__gte=today,
                                   expires_on__lte=today + timedelta(days=EXPIRY_REMINDER_DAYS))
              .filter(agency_is_on_case("case", "agency"))
              .values_list("pk", "agency_id", "case_id", "expires_on"))
    return notify_many([
        dict(agency_id=agency_id, kind="order_expiry_reminder", case_id=case_id, object_type="order",
             object_id=str(pk), dedupe_key=f"order:{pk}:expiry_reminder:{expires_on.isoformat()}",
             message=f"Order {pk} expires after {expires_on.isoformat()}: decide whether to apply for renewal.")
        for pk, agency_id, case_id, expires_on in orders
    ])


@transaction.atomic
def expire_orders(today: date) -> int:
    """Orders past their last day become expired the day after it. Orders until
    further order (expires_on null) never expire by themselves."""
    due = list(Order.objects.select_for_update().filter(status=OrderStatus.GRANTED, expires_on__lt=today)
               .values_list("pk", "expires_on"))
    if not due:
        return 0
    # ended_on is the day after each order's own last day: one UPDATE with a CASE.
    by_end: dict[date, list[int]] = {}
    for pk, expires_on in due:
        by_end.setdefault(expires_on + timedelta(days=1), []).append(pk)
    ended_on = Case(*[When(pk__in=pks, then=Value(day)) for day, pks in by_end.items()], output_field=DateField())
    updated = Order.objects.filter(pk__in=[pk for pk, _ in due], status=OrderStatus.GRANTED).update(
        status=OrderStatus.EXPIRED, ended_on=ended_on, end_reason="Expired.", updated_at=timezone.now())
    OrderChange.objects.bulk_create([
        OrderChange(order_id=pk, kind=OrderChangeKind.STATUS, by=None, agency=None,
                    changes={"status": [OrderStatus.GRANTED, OrderStatus.EXPIRED],
                             "ended_on": [None, (expires_on + timedelta(days=1)).isoformat()]})
        for pk, expires_on in due
    ])
    return updated


def breach_response_overdue(today: date) -> int:
    """The daily sweep's step: the same escalation as the 15-minute task."""
    return escalate_unanswered_breaches(sweep_moment(today))


@transaction.atomic
def escalate_unanswered_breaches(now: datetime | None = None) -> int:
    """Breaches with no police response MARAC_BREACH_RESPONSE_HOURS after their report:
    flag each once and tell the police force holding the order (while it is on the case).
    Celery beat runs this every 15 minutes, so a breach is escalated within 15 minutes
    of its deadline. Returns how many notifications were raised."""
    now = now or timezone.now()
    hours = getattr(settings, "MARAC_BREACH_RESPONSE_HOURS", 24)
    late = list(Breach.objects.select_for_update(of=("self",))
                .filter(first_response_at__isnull=True, response_overdue_flagged_at__isnull=True,
                        reported_at__lte=now - timedelta(hours=hours))
                .annotate(force_on_case=agency_is_on_case("order__case", "order__agency"))
                .values_list("pk", "order_id", "order__agency_id", "order__case_id", "force_on_case"))
    if not late:
        return 0
    # The breach is flagged whoever holds the order; the force hears of it only while on the case.
    Breach.objects.filter(pk__in=[row[0] for row in late]).update(
        response_overdue_flagged_at=timezone.now(), updated_at=timezone.now())
    return notify_many([
        dict(agency_id=agency_id, kind="breach_response_overdue", case_id=case_id, object_type="breach",
             object_id=str(pk), dedupe_key=f"breach:{pk}:response_overdue",
             message=f"Breach {pk} of order {order_id} has had no police response within {hours} hours.")
        for pk, order_id, agency_id, case_id, force_on_case in late if force_on_case
    ])


@transaction.atomic
def spo_request_response_overdue(today: date) -> int:
    """Requests for an SPO that police have not answered MARAC_SPO_REQUEST_RESPONSE_DAYS
    (default 7) days after they were recorded: flag each once and tell the police
    participants of the case (the force on the case, while it is on it)."""
    from marac.agencies.models import AgencyKind
    from marac.cases.participants import participant_grants

    from .models import SpoRequest
    from .services import spo_request_response_days

    days = spo_request_response_days()
    cutoff = sweep_moment(today) - timedelta(days=days)
    late = list(SpoRequest.objects.select_for_update()
                .filter(answered_at__isnull=True, response_overdue_flagged_at__isnull=True, created_at__lte=cutoff)
                .values_list("pk", "case_id", "requested_on"))
    if not late:
        return 0
    SpoRequest.objects.filter(pk__in=[row[0] for row in late]).update(response_overdue_flagged_at=timezone.now())
    forces = (participant_grants().filter(content_object_id__in={row[1] for row in late},
                                          group__agency__kind=AgencyKind.POLICE)
              .values_list("content_object_id", "group__agency__id"))
    police_by_case: dict[int, list[int]] = {}
    for case_id, agency_id in forces:
        police_by_case.setdefault(case_id, []).append(agency_id)
    return notify_many([
        dict(agency_id=agency_id, kind="spo_request_response_overdue", case_id=case_id, object_type="spo_request",
             object_id=str(pk), dedupe_key=f"spo_request:{pk}:response_overdue:{agency_id}",
             message=f"SPO request {pk} (made {requested_on.isoformat()}) has had no police answer within "
                     f"{days} days: record the order considered, applied for or declined with a reason.")
        for pk, case_id, requested_on in late for agency_id in sorted(police_by_case.get(case_id, ()))
    ])
