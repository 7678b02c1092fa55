"""The Stalking Protection Act 2019 as rules on orders, requirements and breaches.

Every rule is stated here once and raises DomainError naming the rule; the API turns
that into a 400 keyed by field, and the surrounding transaction writes nothing."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from marac.dates import add_days, anniversary
from marac.errors import DomainError
from marac.notifications.services import notify

from .models import (
    Breach,
    BreachStatus,
    ComplianceEvent,
    Order,
    OrderChange,
    OrderChangeKind,
    OrderKind,
    OrderSource,
    OrderStatus,
    Requirement,
    RequirementStatus,
)

S = OrderStatus

# The allowed status transitions. Anything not listed is refused with the allowed ones named.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.CONSIDERING: frozenset({S.DECLINED, S.APPLIED}),
    S.DECLINED: frozenset({S.CONSIDERING}),  # reconsidered, e.g. on new information
    S.APPLIED: frozenset({S.GRANTED, S.REFUSED}),
    S.GRANTED: frozenset({S.DISCHARGED, S.EXPIRED}),
    S.REFUSED: frozenset(),
    S.DISCHARGED: frozenset(),
    S.EXPIRED: frozenset(),
}
# The statuses an order may be recorded with: police consider or decline a request,
# or record an application, or an order a court has already made.
INITIAL_STATUSES = frozenset({S.CONSIDERING, S.DECLINED, S.APPLIED, S.GRANTED})
# The main application is decided when the court grants or refuses it.
DECIDED = frozenset({S.GRANTED, S.REFUSED})
# Orders that no longer take requirements.
CLOSED_STATUSES = frozenset({S.DECLINED, S.REFUSED, S.DISCHARGED, S.EXPIRED})

MINIMUM_YEARS = 2  # a full order runs a fixed period of at least 2 years, or until further order
ORDER_FIELDS = ["kind", "source", "status", "main_order", "applied_on", "granted_on", "served_on", "expires_on",
                "notified_on", "sex_offender_register_exempt", "court", "prohibitions", "decision_reason",
                "discharge_consent", "discharged_on"]
HISTORY_FIELDS = [*ORDER_FIELDS, "ended_on", "end_reason"]
# Dates of things that have happened: an application made, an order granted, served or
# notified. (A discharge may be ordered from a later day, and expires_on and a term's
# ends_on are future by nature.)
PAST_DATE_FIELDS = ["applied_on", "granted_on", "served_on", "notified_on"]


def minimum_last_day(granted_on: date) -> date:
    """The earliest last day of a full order: 2 years beginning with the day it is made."""
    return add_days(anniversary(granted_on, MINIMUM_YEARS), -1)


def allowed_transitions(status: str) -> list[str]:
    return sorted(TRANSITIONS[status])


def _iso(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Order):
        return value.pk
    return value


def normalise_prohibitions(terms) -> list[dict]:
    """Terms as {"text", "locality", "ends_on"}; a plain string is a UK-wide term with
    the order's own period."""
    result = []
    for term in terms or []:
        if isinstance(term, str):
            term = {"text": term}
        result.append({"text": term["text"].strip(), "locality": (term.get("locality") or "").strip(),
                       "ends_on": _iso(term.get("ends_on"))})
    return result


def check_order(o: Order, *, today: date) -> None:
    """Every rule about an order's own state (not its transition)."""
    errors: dict[str, list[str]] = {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    for field in PAST_DATE_FIELDS:
        if getattr(o, field) and getattr(o, field) > today:
            fail(field, f"{field} cannot be in the future: record what has happened, on the day it happened.")
    if o.status == S.DECLINED and not o.decision_reason.strip():
        fail("decision_reason", "A decision not to apply must be recorded with a reason (declined needs "
                                "decision_reason), so that a victim's request is never silently refused.")
    if o.status == S.DECLINED and o.source != OrderSource.POLICE_APPLICATION:
        fail("status", "Only a police application can be declined by police; a court decides the others.")
    if o.status == S.GRANTED and o.granted_on is None:
        fail("granted_on", "A granted order needs the date it was made (granted_on).")
    if o.applied_on and o.granted_on and o.granted_on < o.applied_on:
        fail("granted_on", "Dates out of order: an order cannot be granted before it was applied for.")
    if o.served_on and o.granted_on is None:
        fail("served_on", "An order cannot be served before it is made: record granted_on first.")
    if o.served_on and o.granted_on and o.served_on < o.granted_on:
        fail("served_on", "Service not before grant: served_on cannot be before granted_on.")
    if o.notified_on and o.served_on is None:
        fail("notified_on", "Notification follows service: record served_on first.")
    if o.notified_on and o.served_on and o.notified_on < o.served_on:
        fail("notified_on", "Dates out of order: notified_on cannot be before served_on.")
    if o.expires_on and o.granted_on and o.expires_on < o.granted_on:
        fail("expires_on", "Dates out of order: expires_on cannot be before granted_on.")
    elif (o.kind == OrderKind.FULL and o.granted_on and o.expires_on
          and o.expires_on < minimum_last_day(o.granted_on)):
        fail("expires_on", "A full order runs at least 2 years beginning with the day it is made: expires_on must "
                           f"be on or after {minimum_last_day(o.granted_on).isoformat()} (granted_on + 2 years "
                           "- 1 day), or null for until further order.")
    if o.discharged_on and o.granted_on and o.discharged_on < o.granted_on:
        fail("discharged_on", "Dates out of order: an order cannot be discharged before it was granted.")
    if o.main_order_id is not None:
        if o.kind != OrderKind.INTERIM:
            fail("main_order", "Only an interim order is linked to a main application.")
        elif o.main_order.kind != OrderKind.FULL or o.main_order.case_id != o.case_id:
            fail("main_order", "An interim order's main application must be a full order on the same case.")
    for i, term in enumerate(o.prohibitions):
        if not term["text"]:
            fail("prohibitions", f"Term {i + 1} has no text.")
        ends_on = date.fromisoformat(term["ends_on"]) if term["ends_on"] else None
        if ends_on and o.granted_on and ends_on < o.granted_on:
            fail("prohibitions", f"Dates out of order: term {i + 1} ends before the order was granted.")
        if ends_on and o.expires_on and ends_on > o.expires_on:
            fail("prohibitions", f"Term {i + 1} cannot outlast the order (it ends {o.expires_on.isoformat()}).")
    if errors:
        raise DomainError(errors)


def check_transition(o: Order, before: str | None, *, today: date) -> None:
    """The rules of moving into o.status from BEFORE (None when the order is new)."""
    after = o.status
    if before is None:
        if after not in INITIAL_STATUSES:
            raise DomainError({"status": [f"A new order cannot start as {after!r}; allowed: "
                                          f"{', '.join(sorted(INITIAL_STATUSES))}."]})
    elif after != before and after not in TRANSITIONS[before]:
        allowed = allowed_transitions(before)
        raise DomainError({"status": [
            f"Forbidden transition {before} -> {after}. Allowed from {before}: "
            f"{', '.join(allowed) if allowed else 'none (final status)'}."]})
    if after == before:
        return
    if after == S.DISCHARGED:
        if o.discharged_on is None:
            o.discharged_on = today
        if (o.kind == OrderKind.FULL and o.granted_on
                and o.discharged_on < anniversary(o.granted_on, MINIMUM_YEARS) and not o.discharge_consent):
            raise DomainError({"discharge_consent": [
                "No discharge within 2 years of the order being made without the consent of both the defendant "
                f"and the police: set discharge_consent true, or wait until "
                f"{anniversary(o.granted_on, MINIMUM_YEARS).isoformat()}."]})
        o.ended_on = o.discharged_on
        o.end_reason = "Discharged."
    if after == S.EXPIRED:
        if o.kind == OrderKind.FULL and o.expires_on is None:
            raise DomainError({"status": ["An order until further order never expires by itself: discharge it."]})
        if o.expires_on is not None and o.expires_on >= today:
            raise DomainError({"status": [f"The order is in force until {o.expires_on.isoformat()}; it expires "
                                          "the day after its last day."]})
        o.ended_on = o.ended_on or (add_days(o.expires_on, 1) if o.expires_on else today)
        o.end_reason = o.end_reason or "Expired."
    if after == S.GRANTED and o.kind == OrderKind.INTERIM and o.main_order_id and o.main_order.status in DECIDED:
        raise DomainError({"status": ["An interim order lasts only while the main application is undetermined; "
                                      f"it was decided ({o.main_order.status})."]})


def _snapshot(o: Order) -> dict:
    return {field: _iso(getattr(o, field)) for field in HISTORY_FIELDS}


def _record(o: Order, kind: str, changes: dict, by, agency) -> OrderChange:
    return OrderChange.objects.create(order=o, kind=kind, changes=changes, by=by, agency=agency)


def _change_kind(before: dict, after: dict, changed: dict) -> str:
    if "status" in changed:
        return OrderChangeKind.STATUS
    if after["status"] == S.GRANTED and "expires_on" in changed:
        old, new = before["expires_on"], after["expires_on"]
        if new is None or (old is not None and new > old):
            return OrderChangeKind.RENEWAL
        return OrderChangeKind.VARIATION
    if after["status"] == S.GRANTED and "prohibitions" in changed:
        return OrderChangeKind.VARIATION
    return OrderChangeKind.UPDATED


def _end_interims_if_decided(main: Order, before_status: str | None, *, by, agency, today: date) -> None:
    """An interim order lasts until the main application is decided: end the granted
    interims of a main application that has just been granted or refused."""
    if main.kind != OrderKind.FULL or main.status not in DECIDED or before_status in DECIDED:
        return
    ended_on = main.granted_on if main.status == S.GRANTED and main.granted_on else today
    for interim in main.interims.select_for_update().filter(status=S.GRANTED):
        interim.status = S.EXPIRED
        interim.ended_on = ended_on
        interim.end_reason = f"Main application decided ({main.status})."
        interim.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])
        _record(interim, OrderChangeKind.STATUS,
                {"status": [S.GRANTED, S.EXPIRED], "ended_on": [None, ended_on.isoformat()],
                 "end_reason": ["", interim.end_reason]}, by, agency)


@transaction.atomic
def create_order(*, case, agency, by, today: date | None = None, **fields) -> Order:
    today = today or timezone.localdate()
    fields["prohibitions"] = normalise_prohibitions(fields.get("prohibitions"))
    order = Order(case=case, agency=agency, created_by=by, **fields)
    check_transition(order, None, today=today)
    check_order(order, today=today)
    order.save()
    _record(order, OrderChangeKind.CREATED, {k: [None, v] for k, v in _snapshot(order).items()}, by, agency)
    _end_interims_if_decided(order, None, by=by, agency=agency, today=today)
    return order


@transaction.atomic
def update_order(order: Order, *, by, agency, today: date | None = None, **changes) -> Order:
    today = today or timezone.localdate()
    order = Order.objects.select_for_update(of=("self",)).select_related("main_order").get(pk=order.pk)
    before = _snapshot(order)
    before_status = order.status
    if "prohibitions" in changes:
        changes["prohibitions"] = normalise_prohibitions(changes["prohibitions"])
    for field, value in changes.items():
        setattr(order, field, value)
    check_transition(order, before_status, today=today)
    check_order(order, today=today)
    after = _snapshot(order)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changed:
        return order
    order.save()
    _record(order, _change_kind(before, after, changed), changed, by, agency)
    _end_interims_if_decided(order, before_status, by=by, agency=agency, today=today)
    return order


# Positive requirements ---------------------------------------------------------------


@transaction.atomic
def add_requirement(order: Order, *, by, kind: str, responsible_agency, description: str = "",
                    due_date: date | None = None) -> Requirement:
    errors: dict[str, list[str]] = {}
    if order.status in CLOSED_STATUSES:
        errors["order"] = [f"The order is {order.status}: it takes no new requirements."]
    if due_date and order.granted_on and due_date < order.granted_on:
        errors["due_date"] = ["Dates out of order: a requirement cannot be due before the order was granted."]
    if due_date and order.expires_on and due_date > order.expires_on:
        errors["due_date"] = [f"A requirement cannot be due after the order ends ({order.expires_on.isoformat()})."]
    if errors:
        raise DomainError(errors)
    return Requirement.objects.create(order=order, kind=kind, responsible_agency=responsible_agency,
                                      description=description, due_date=due_date, created_by=by)


@transaction.atomic
def update_requirement(requirement: Requirement, *, by, **changes) -> Requirement:
    requirement = Requirement.objects.select_for_update(of=("self",)).select_related("order").get(pk=requirement.pk)
    before = requirement.status
    for field, value in changes.items():
        setattr(requirement, field, value)
    requirement.save()
    if requirement.status == RequirementStatus.NON_COMPLIANT and before != RequirementStatus.NON_COMPLIANT:
        notify_police_of_non_compliance(requirement)
    return requirement


def notify_police_of_non_compliance(requirement: Requirement) -> None:
    """Non-compliance with a positive requirement goes to the police force holding the order.
    The message names the requirement, never its notes."""
    order = requirement.order
    notify(agency=order.agency_id, kind="requirement_non_compliant",
           message=f"Positive requirement {requirement.pk} ({requirement.kind}) of order {order.pk} "
                   f"is recorded as non-compliant.",
           dedupe_key=f"requirement:{requirement.pk}:non_compliant:{requirement.updated_at.isoformat()}",
           case=order.case, object_type="requirement", object_id=requirement.pk)


def record_compliance_event(requirement: Requirement, *, by, kind: str, occurred_on: date,
                            details: str = "") -> ComplianceEvent:
    if occurred_on > timezone.localdate():
        raise DomainError({"occurred_on": ["A compliance event cannot be in the future."]})
    return ComplianceEvent.objects.create(requirement=requirement, kind=kind, occurred_on=occurred_on,
                                          details=details, recorded_by=by)


# Breaches ------------------------------------------------------------------------------


def report_breach(order: Order, *, agency, by, occurred_at: datetime, description: str) -> Breach:
    errors: dict[str, list[str]] = {}
    day = timezone.localdate(occurred_at)
    if occurred_at > timezone.now():
        errors["occurred_at"] = ["A breach cannot be in the future."]
    elif order.granted_on is None:
        errors["occurred_at"] = ["An order that has not been made cannot be breached."]
    elif day < order.granted_on:
        errors["occurred_at"] = ["Dates out of order: the breach is before the order was granted."]
    elif order.ended_on and day >= order.ended_on:
        errors["occurred_at"] = [f"The order had ended ({order.ended_on.isoformat()}) when this happened."]
    elif order.expires_on and day > order.expires_on:
        errors["occurred_at"] = [f"The order's last day was {order.expires_on.isoformat()}."]
    if not description.strip():
        errors["description"] = ["Describe what happened."]
    if errors:
        raise DomainError(errors)
    return Breach.objects.create(order=order, occurred_at=occurred_at, description=description,
                                 reporting_agency=agency, reported_by=by)


@transaction.atomic
def respond_to_breach(breach: Breach, *, by, **changes) -> Breach:
    """Police set the status and their response; the first response is timed."""
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    for field, value in changes.items():
        setattr(breach, field, value)
    responded = breach.police_response.strip() or breach.status != BreachStatus.REPORTED
    if breach.first_response_at is None and responded:
        breach.first_response_at = timezone.now()
    breach.save()
    return breach


# The meeting pack's view of orders --------------------------------------------------------


def order_summaries_for_cases(case_ids) -> dict[int, list[dict]]:
    """For each case, its orders as the meeting pack shows them: kind, status, dates,
    prohibitions, and each requirement's kind, status and due date. No notes, no
    compliance events, no breach details. Two queries whatever the number of cases."""
    requirements = Requirement.objects.only("id", "order_id", "kind", "status", "due_date").order_by("due_date", "id")
    orders = (Order.objects.filter(case_id__in=list(case_ids))
              .prefetch_related(Prefetch("requirements", queryset=requirements))
              .order_by("case_id", "created_at", "id"))
    summaries: dict[int, list[dict]] = {case_id: [] for case_id in case_ids}
    for order in orders:
        summaries.setdefault(order.case_id, []).append({
            "id": order.pk,
            "kind": order.kind,
            "source": order.source,
            "status": order.status,
            "applied_on": _iso(order.applied_on),
            "granted_on": _iso(order.granted_on),
            "served_on": _iso(order.served_on),
            "expires_on": _iso(order.expires_on),
            "notification_due": _iso(order.notification_due),
            "court": order.court,
            "prohibitions": [dict(term) for term in order.prohibitions],
            "requirements": [{"kind": r.kind, "status": r.status, "due_date": _iso(r.due_date)}
                             for r in order.requirements.all()],
        })
    return summaries
