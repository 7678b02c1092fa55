"""The Stalking Protection Act 2019 as rules on orders, requirements and breaches.

Every rule is stated here once and raises DomainError naming the rule; the API turns
that into a 400 keyed by field, and the surrounding transaction writes nothing."""

from datetime import date, datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import Prefetch
from django.utils import timezone

from marac.agencies.models import AgencyKind
from marac.cases.participants import participant_agencies
from marac.dates import add_days, anniversary
from marac.errors import DomainError
from marac.notifications.services import notify, notify_many

from .models import (
    Breach,
    BreachKind,
    BreachStatus,
    ComplianceEvent,
    NotifiableChange,
    Order,
    OrderChange,
    OrderChangeKind,
    OrderKind,
    OrderSource,
    OrderStatus,
    Requirement,
    RequirementStatus,
    SpoRequest,
)

S = OrderStatus

# The allowed status transitions. Anything not listed is refused with the allowed ones named.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.CONSIDERING: frozenset({S.DECLINED, S.APPLIED}),
    S.DECLINED: frozenset({S.CONSIDERING}),  # reconsidered, e.g. on new information
    S.APPLIED: frozenset({S.GRANTED, S.REFUSED, S.WITHDRAWN}),
    S.GRANTED: frozenset({S.DISCHARGED, S.EXPIRED}),
    S.REFUSED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.DISCHARGED: frozenset(),
    S.EXPIRED: frozenset(),
}
# The statuses an order may be recorded with: police consider or decline a request,
# or record an application, or an order a court has already made.
INITIAL_STATUSES = frozenset({S.CONSIDERING, S.DECLINED, S.APPLIED, S.GRANTED})
# A court makes an order on conviction or acquittal itself: it is recorded as made.
COURT_SOURCES = frozenset({OrderSource.COURT_ON_CONVICTION, OrderSource.COURT_ON_ACQUITTAL})
# An application is decided when the court grants or refuses it, or police withdraw it.
DECIDED = frozenset({S.GRANTED, S.REFUSED, S.WITHDRAWN})
# Orders that no longer take requirements.
CLOSED_STATUSES = frozenset({S.DECLINED, S.REFUSED, S.WITHDRAWN, S.DISCHARGED, S.EXPIRED})

MINIMUM_YEARS = 2  # a full order runs a fixed period of at least 2 years, or until further order
ORDER_FIELDS = ["kind", "source", "status", "main_order", "defendant", "reference", "applied_on", "decided_on",
                "conviction_or_acquittal_on", "granted_on", "served_on", "expires_on", "notified_on",
                "sex_offender_register_exempt", "register_ended_on", "court", "prohibitions", "decision_reason",
                "discharge_consent", "discharged_on", "spo_request"]
HISTORY_FIELDS = [*ORDER_FIELDS, "ended_on", "end_reason"]
# Dates of things that have happened: an application made, an order granted, served or
# notified. (A discharge may be ordered from a later day, and expires_on and a term's
# ends_on are future by nature.)
PAST_DATE_FIELDS = ["applied_on", "decided_on", "conviction_or_acquittal_on", "granted_on", "served_on", "notified_on",
                    "register_ended_on"]


def minimum_last_day(granted_on: date) -> date:
    """The earliest last day of a full order: 2 years beginning with the day it is made."""
    return add_days(anniversary(granted_on, MINIMUM_YEARS), -1)


def allowed_transitions(status: str) -> list[str]:
    return sorted(TRANSITIONS[status])


def _iso(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def case_perpetrator_ids(case) -> set[int]:
    """The people an order on CASE may be against: its perpetrator(s)."""
    return {case.perpetrator_id}


def default_defendant(case):
    return case.perpetrator


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
    elif o.kind == OrderKind.INTERIM and o.source == OrderSource.POLICE_APPLICATION:
        fail("main_order", "An interim order is made while the main application is undetermined (s.5): name that "
                           "application (a full order on the same case) in main_order.")
    if o.kind == OrderKind.INTERIM and o.status == S.GRANTED and o.expires_on is None:
        fail("expires_on", "An interim order has effect for the fixed period it states (s.5): expires_on is "
                           "required.")
    _check_decision(o, fail)
    _check_court_made(o, fail)
    _check_spo_request(o, fail)
    _check_notification_duty(o, fail)
    if o.defendant_id is not None and o.defendant_id not in case_perpetrator_ids(o.case):
        fail("defendant", "The defendant must be a perpetrator of the order's case.")
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


def _check_decision(o: Order, fail) -> None:
    """decided_on: the day the application was granted, refused or withdrawn."""
    if o.decided_on is None:
        return
    if o.status not in DECIDED and o.status not in (S.DISCHARGED, S.EXPIRED):
        fail("decided_on", "Only a decided application (granted, refused or withdrawn) has decided_on.")
    if o.applied_on and o.decided_on < o.applied_on:
        fail("decided_on", "Dates out of order: an application cannot be decided before it was made.")
    if o.granted_on and o.decided_on != o.granted_on:
        fail("decided_on", "A granted application is decided on the day the order is made (granted_on).")


def _check_court_made(o: Order, fail) -> None:
    """Orders a court makes on conviction or acquittal (Crime and Policing Act 2026)."""
    if o.source not in COURT_SOURCES:
        if o.conviction_or_acquittal_on:
            fail("conviction_or_acquittal_on", "Only an order made by a court on conviction or acquittal records "
                                               "that date.")
        return
    if o.kind != OrderKind.FULL:
        fail("kind", "An order a court makes on conviction or acquittal is a full order: no interim order.")
    if o.conviction_or_acquittal_on is None:
        fail("conviction_or_acquittal_on", "An order made on conviction or acquittal records the day of the "
                                           "conviction or acquittal.")
    elif o.granted_on and o.granted_on < o.conviction_or_acquittal_on:
        fail("granted_on", "Dates out of order: a court makes the order on or after the conviction or acquittal.")
    if not o.court.strip():
        fail("court", "An order made on conviction or acquittal records the court that made it.")
    if o.applied_on:
        fail("applied_on", "An order made by a court on conviction or acquittal has no police application.")


def _check_spo_request(o: Order, fail) -> None:
    """The order answering a request for an SPO is a police decision on that case's request,
    and one order answers one request."""
    if o.spo_request_id is None:
        return
    if o.spo_request.case_id != o.case_id:
        fail("spo_request", "The request answered must be one made on the order's case.")
    elif o.source != OrderSource.POLICE_APPLICATION:
        fail("spo_request", "A request for an SPO is answered by police (a police application, considered, "
                            "applied for or declined), not by an order a court made itself.")
    elif Order.objects.filter(spo_request_id=o.spo_request_id).exclude(pk=o.pk).exists():
        fail("spo_request", "This request has already been answered by another order.")


def _check_notification_duty(o: Order, fail) -> None:
    if o.register_ended_on is not None and not o.sex_offender_register_exempt:
        fail("register_ended_on", "Only a defendant exempt through the sex offenders register has a register end "
                                  "date (s.9(6)-(7)).")


def check_transition(o: Order, before: str | None, *, today: date) -> None:
    """The rules of moving into o.status from BEFORE (None when the order is new)."""
    after = o.status
    if before is None:
        if o.source in COURT_SOURCES and after != S.GRANTED:
            raise DomainError({"status": [
                f"An order made by a court on conviction or acquittal is recorded as made: it starts granted, "
                f"never {after!r} (nothing is considered, applied for or declined)."]})
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
    if after in DECIDED and o.decided_on is None:
        o.decided_on = o.granted_on if after == S.GRANTED else today
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
    """An interim order lasts for the period it states or until the main application is
    decided, whichever is first (s.5): end the granted interims of a main application
    that has just been granted, refused or withdrawn, on the day it was decided."""
    if main.kind != OrderKind.FULL or main.status not in DECIDED or before_status in DECIDED:
        return
    decided_on = main.decided_on or today
    for interim in main.interims.select_for_update().filter(status=S.GRANTED):
        ended_on, reason = decided_on, f"Main application decided ({main.status})."
        if interim.expires_on and interim.expires_on < decided_on:
            ended_on, reason = add_days(interim.expires_on, 1), "Expired."
        interim.status, interim.ended_on, interim.end_reason = S.EXPIRED, ended_on, reason
        interim.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])
        _record(interim, OrderChangeKind.STATUS,
                {"status": [S.GRANTED, S.EXPIRED], "ended_on": [None, ended_on.isoformat()],
                 "end_reason": ["", interim.end_reason]}, by, agency)


def _replaces_interim(o: Order) -> bool:
    """A full order made on an application that had an interim order replaces it:
    no initial notification is due (s.9(1)(a))."""
    return (o.kind == OrderKind.FULL and o.status == S.GRANTED and o.pk is not None
            and o.interims.filter(granted_on__isnull=False).exists())


@transaction.atomic
def create_order(*, case, agency, by, today: date | None = None, **fields) -> Order:
    today = today or timezone.localdate()
    fields["prohibitions"] = normalise_prohibitions(fields.get("prohibitions"))
    if fields.get("defendant") is None:
        fields["defendant"] = default_defendant(case)
    order = Order(case=case, agency=agency, created_by=by, **fields)
    check_transition(order, None, today=today)
    check_order(order, today=today)
    order.save()
    _record(order, OrderChangeKind.CREATED, {k: [None, v] for k, v in _snapshot(order).items()}, by, agency)
    _end_interims_if_decided(order, None, by=by, agency=agency, today=today)
    _mark_spo_request_answered(order)
    return order


@transaction.atomic
def update_order(order: Order, *, by, agency, today: date | None = None, **changes) -> Order:
    today = today or timezone.localdate()
    order = Order.objects.select_for_update(of=("self",)).select_related("main_order").get(pk=order.pk)
    before = _snapshot(order)
    before_status = order.status
    if changes.get("spo_request") is not None and order.spo_request_id not in (None, changes["spo_request"].pk):
        raise DomainError({"spo_request": ["The order already answers another request: that link is fixed."]})
    if "spo_request" in changes and changes["spo_request"] is None and order.spo_request_id is not None:
        raise DomainError({"spo_request": ["The order answers a request: that link is fixed."]})
    if "prohibitions" in changes:
        changes["prohibitions"] = normalise_prohibitions(changes["prohibitions"])
    if ("granted_on" in changes and "decided_on" not in changes and order.decided_on is not None
            and order.decided_on == order.granted_on):
        changes["decided_on"] = changes["granted_on"]  # a corrected grant date moves the decision with it
    for field, value in changes.items():
        setattr(order, field, value)
    check_transition(order, before_status, today=today)
    check_order(order, today=today)
    after = _snapshot(order)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changed:
        return order
    if "status" in changed:
        order.replaces_interim = _replaces_interim(order)
    order.save()
    _record(order, _change_kind(before, after, changed), changed, by, agency)
    _end_interims_if_decided(order, before_status, by=by, agency=agency, today=today)
    _mark_spo_request_answered(order)
    return order


# Requests for an SPO ------------------------------------------------------------------


def spo_request_response_days() -> int:
    return int(getattr(settings, "MARAC_SPO_REQUEST_RESPONSE_DAYS", 7))


@transaction.atomic
def record_spo_request(case, *, agency, by, requested_on: date, requested_by_victim: bool = False, note: str = "",
                       today: date | None = None) -> SpoRequest:
    """Any participant records that police were asked to consider an SPO; the police
    participants of the case hear of it at once, in the same transaction."""
    today = today or timezone.localdate()
    if requested_on > today:
        raise DomainError({"requested_on": ["A request cannot be in the future: record it once it is made."]})
    request = SpoRequest.objects.create(case=case, requested_on=requested_on, requested_by_victim=requested_by_victim,
                                        note=note, agency=agency, requested_by=by)
    alert_police_of_spo_request(request)
    return request


def alert_police_of_spo_request(request: SpoRequest) -> int:
    """Every police participant of the case (only agencies on it now) is told of the request."""
    police = participant_agencies(request.case).filter(kind=AgencyKind.POLICE).values_list("pk", flat=True)
    who = "The victim asked" if request.requested_by_victim else "An agency on the case asked"
    return notify_many([
        dict(agency_id=agency_id, kind="spo_requested", case_id=request.case_id, object_type="spo_request",
             object_id=str(request.pk), dedupe_key=f"spo_request:{request.pk}:requested:{agency_id}",
             message=f"SPO request {request.pk}: {who} on {request.requested_on.isoformat()} that police consider "
                     "a Stalking Protection Order. Answer it by recording the order (considering, applied, or "
                     "declined with a reason) with this request.")
        for agency_id in sorted(police)
    ])


def _mark_spo_request_answered(order: Order) -> None:
    """The first order naming a request answers it, at the moment it is recorded."""
    if order.spo_request_id is not None:
        SpoRequest.objects.filter(pk=order.spo_request_id, answered_at__isnull=True).update(answered_at=timezone.now())


def spo_request_summaries_for_cases(case_ids) -> dict[int, list[dict]]:
    """For the meeting pack: each case's requests for an SPO, when and by whom they were
    made (victim or agency), and the police answer (the answering order's status), or
    that none has come. No note and no reason text. One query whatever the number of cases."""
    rows = (SpoRequest.objects.filter(case_id__in=list(case_ids))
            .values_list("case_id", "pk", "requested_on", "requested_by_victim", "created_at", "answered_at",
                         "response_overdue_flagged_at", "order__id", "order__status")
            .order_by("case_id", "requested_on", "pk"))
    summaries: dict[int, list[dict]] = {}
    for case_id, pk, requested_on, by_victim, created_at, answered_at, flagged_at, order_id, order_status in rows:
        summaries.setdefault(case_id, []).append({
            "id": pk, "requested_on": _iso(requested_on), "requested_by_victim": by_victim,
            "recorded_at": _iso(created_at), "answered_at": _iso(answered_at), "order": order_id,
            "outcome": order_status, "response_overdue": flagged_at is not None and answered_at is None,
        })
    return summaries


# Positive requirements ---------------------------------------------------------------


def check_requirement_period(order: Order, starts_on: date | None, ends_on: date | None) -> dict[str, list[str]]:
    """A positive requirement has its own period, within the order's (as a prohibition does)."""
    errors: dict[str, list[str]] = {}
    if starts_on and order.granted_on and starts_on < order.granted_on:
        errors.setdefault("starts_on", []).append(
            "Dates out of order: a requirement cannot start before the order was made "
            f"({order.granted_on.isoformat()}).")
    if ends_on and order.expires_on and ends_on > order.expires_on:
        errors.setdefault("ends_on", []).append(
            f"A requirement cannot outlast the order (its last day is {order.expires_on.isoformat()}).")
    if starts_on and ends_on and ends_on < starts_on:
        errors.setdefault("ends_on", []).append("Dates out of order: ends_on cannot be before starts_on.")
    return errors


@transaction.atomic
def add_requirement(order: Order, *, by, kind: str, responsible_agency, description: str = "",
                    due_date: date | None = None, starts_on: date | None = None,
                    ends_on: date | None = None) -> Requirement:
    errors: dict[str, list[str]] = {}
    if order.status in CLOSED_STATUSES:
        errors["order"] = [f"The order is {order.status}: it takes no new requirements."]
    if due_date and order.granted_on and due_date < order.granted_on:
        errors["due_date"] = ["Dates out of order: a requirement cannot be due before the order was granted."]
    if due_date and order.expires_on and due_date > order.expires_on:
        errors["due_date"] = [f"A requirement cannot be due after the order ends ({order.expires_on.isoformat()})."]
    errors.update(check_requirement_period(order, starts_on, ends_on))
    if errors:
        raise DomainError(errors)
    requirement = Requirement.objects.create(order=order, kind=kind, responsible_agency=responsible_agency,
                                             description=description, due_date=due_date, starts_on=starts_on,
                                             ends_on=ends_on, created_by=by)
    notify_responsible_agency(requirement)
    return requirement


@transaction.atomic
def update_requirement(requirement: Requirement, *, by, **changes) -> Requirement:
    requirement = Requirement.objects.select_for_update(of=("self",)).select_related("order").get(pk=requirement.pk)
    before, before_agency = requirement.status, requirement.responsible_agency_id
    for field, value in changes.items():
        setattr(requirement, field, value)
    if "starts_on" in changes or "ends_on" in changes:
        errors = check_requirement_period(requirement.order, requirement.starts_on, requirement.ends_on)
        if errors:
            raise DomainError(errors)
    requirement.save()
    if requirement.responsible_agency_id != before_agency:
        notify_responsible_agency(requirement)
    if requirement.status == RequirementStatus.NON_COMPLIANT and before != RequirementStatus.NON_COMPLIANT:
        notify_police_of_non_compliance(requirement)
    return requirement


def notify_responsible_agency(requirement: Requirement) -> None:
    """The agency that delivers a positive requirement is told when it is assigned one.
    The message names the requirement and the order, never the victim or the case."""
    order = requirement.order
    notify(agency=requirement.responsible_agency_id, kind="requirement_assigned",
           message=f"Your agency is responsible for positive requirement {requirement.pk} "
                   f"({requirement.get_kind_display()}) of Stalking Protection Order {order.pk}: see it in your "
                   f"requirements worklist.",
           dedupe_key=f"requirement:{requirement.pk}:assigned:{requirement.responsible_agency_id}:"
                      f"{requirement.updated_at.isoformat()}",
           object_type="requirement", object_id=requirement.pk)


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


@transaction.atomic
def report_breach(order: Order, *, agency, by, occurred_at: datetime, description: str,
                  kind: str = BreachKind.PROHIBITION, requirement: Requirement | None = None) -> Breach:
    """Record a breach and alert the police at once, in the same transaction: the force
    holding the order and the case's police participants."""
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
    if requirement is not None and kind != BreachKind.REQUIREMENT:
        errors["requirement"] = ["Only a breach of a requirement (kind requirement) names a requirement."]
    elif requirement is not None and requirement.order_id != order.pk:
        errors["requirement"] = ["The requirement named must be one of this order's."]
    if errors:
        raise DomainError(errors)
    breach = Breach.objects.create(order=order, kind=kind, requirement=requirement, occurred_at=occurred_at,
                                   description=description, reporting_agency=agency, reported_by=by)
    alert_police_of_breach(breach)
    return breach


def alert_police_of_breach(breach: Breach) -> int:
    """The force holding the order and every police participant of the case hear of a
    breach when it is reported (only agencies on the case now: nobody learns of a case
    through an alert)."""
    order = breach.order
    police = participant_agencies(order.case).filter(kind=AgencyKind.POLICE).values_list("pk", flat=True)
    label = BreachKind(breach.kind).label.lower()
    return notify_many([
        dict(agency_id=agency_id, kind="breach_reported", case_id=order.case_id, object_type="breach",
             object_id=str(breach.pk), dedupe_key=f"breach:{breach.pk}:reported:{agency_id}",
             message=f"Breach {breach.pk} ({label}) of Stalking Protection Order {order.pk} reported at "
                     f"{breach.reported_at.isoformat(timespec='minutes')}: respond now.")
        for agency_id in sorted(police)
    ])


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


# Notification of changes (SPA s.9(3)-(4)) ---------------------------------------------------


def _check_notifiable_change(order: Order, changed_on: date, notified_on: date | None, today: date) -> None:
    errors: dict[str, list[str]] = {}
    if changed_on > today:
        errors["changed_on"] = ["A change cannot be in the future: record it once it has happened."]
    elif order.granted_on is None:
        errors["changed_on"] = ["The notification requirements start once the order is made (granted_on)."]
    elif changed_on < order.granted_on:
        errors["changed_on"] = ["Dates out of order: the change is before the order was made; the initial "
                                "notification covers it."]
    elif order.ended_on and changed_on >= order.ended_on:
        errors["changed_on"] = [f"The order had ended ({order.ended_on.isoformat()}) when this changed."]
    if notified_on and notified_on > today:
        errors["notified_on"] = ["notified_on cannot be in the future."]
    elif notified_on and notified_on < changed_on:
        errors["notified_on"] = ["Dates out of order: the defendant cannot notify a change before it happens."]
    if errors:
        raise DomainError(errors)


def record_notifiable_change(order: Order, *, by, kind: str, changed_on: date, notified_on: date | None = None,
                             details: str = "", today: date | None = None) -> NotifiableChange:
    """Police record a new name or home address of the defendant; the notification is
    due within 3 days beginning with the day of the change (changed_on + 2 days)."""
    _check_notifiable_change(order, changed_on, notified_on, today or timezone.localdate())
    return NotifiableChange.objects.create(order=order, kind=kind, changed_on=changed_on, notified_on=notified_on,
                                           details=details, recorded_by=by)


@transaction.atomic
def update_notifiable_change(change: NotifiableChange, *, by, today: date | None = None,
                             **changes) -> NotifiableChange:
    change = NotifiableChange.objects.select_for_update(of=("self",)).select_related("order").get(pk=change.pk)
    for field, value in changes.items():
        setattr(change, field, value)
    _check_notifiable_change(change.order, change.changed_on, change.notified_on, today or timezone.localdate())
    change.save()
    return change


# The meeting pack's view of orders --------------------------------------------------------


def order_summaries_for_cases(case_ids) -> dict[int, list[dict]]:
    """For each case, its orders as the meeting pack shows them: kind, status, dates,
    prohibitions, each requirement's kind, status and due date, and each breach's dates,
    status and police response time. No notes, no compliance events, no breach
    descriptions or police responses. Three queries whatever the number of cases."""
    requirements = Requirement.objects.only("id", "order_id", "kind", "status", "due_date").order_by("due_date", "id")
    breaches = Breach.objects.only("id", "order_id", "occurred_at", "reported_at", "first_response_at",
                                   "status").order_by("occurred_at", "id")
    orders = (Order.objects.filter(case_id__in=list(case_ids))
              .prefetch_related(Prefetch("requirements", queryset=requirements),
                                Prefetch("breaches", queryset=breaches))
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
            "breaches": [{"occurred_at": _iso(b.occurred_at), "reported_at": _iso(b.reported_at),
                          "first_response_at": _iso(b.first_response_at), "response_seconds": b.response_seconds,
                          "status": b.status}
                         for b in order.breaches.all()],
        })
    return summaries
