"""MARAC-to-MARAC transfers: the rules, stated once.

A coordinator of the case's MARAC requests the transfer; a coordinator of the receiving
MARAC accepts or declines it. Accepting moves the case (its research, incident log,
orders, support plan and participants go with it, their slices unchanged), lists it
on the receiving MARAC's meeting with its open actions carried over, and takes the
sending MARAC's reach away (the scope condition `marac` reads the case's MARAC). Each
step notifies both MARACs' coordinators and the case's participants."""

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from marac.agencies.models import Agency, Role
from marac.cases.models import Case, CaseStatus
from marac.cases.participants import participant_grants
from marac.errors import DomainError
from marac.meetings.models import INCOMPLETE_ACTION_STATUSES, Action, ActionCarryOver, Meeting, MeetingStatus
from marac.meetings.services import add_to_agenda
from marac.notifications.services import notify_many
from marac.referrals.risk import risk_for_cases

from .models import CaseTransfer, TransferReason, TransferStatus

ONE_PENDING = "This case already has a pending transfer; it must be accepted or declined first."


def _marac_name(marac) -> str:
    return marac.name


@transaction.atomic
def request_transfer(case: Case, *, to_marac, reason: str, by, note: str = "") -> CaseTransfer:
    """The sending coordinator asks another MARAC to take the case. The case row is
    locked first, so of two requests at once one is recorded and the other sees it
    pending (400); the partial unique index `one_pending_transfer_per_case` holds
    whatever the path."""
    case = Case.objects.select_for_update().select_related("marac").get(pk=case.pk)
    errors: dict[str, list[str]] = {}
    if case.status != CaseStatus.OPEN:
        errors["case"] = ["Only an open case can be transferred."]
    elif CaseTransfer.objects.filter(case=case, status=TransferStatus.PENDING).exists():
        errors["case"] = [ONE_PENDING]
    if to_marac.pk == case.marac_id:
        errors["to_marac"] = ["The case is already with this MARAC; choose another one."]
    elif not to_marac.is_active:
        errors["to_marac"] = ["This MARAC is not active; a case cannot be transferred to it."]
    if reason == TransferReason.OTHER and not note.strip():
        errors["note"] = ["Explain the reason in the note."]
    if errors:
        raise DomainError(errors)
    try:
        with transaction.atomic():
            transfer = CaseTransfer.objects.create(case=case, from_marac=case.marac, to_marac=to_marac, reason=reason,
                                                   note=note.strip(), requested_by=by)
    except IntegrityError:  # a concurrent request won the race past the lock (SQLite has none)
        raise DomainError({"case": [ONE_PENDING]}) from None
    _notify(transfer, "transfer_requested",
            f"Case {case.reference}: transfer requested from {_marac_name(case.marac)} "
            f"to {_marac_name(to_marac)}.")
    return transfer


def _locked_pending(transfer: CaseTransfer) -> CaseTransfer:
    transfer = (CaseTransfer.objects.select_for_update().select_related("from_marac", "to_marac")
                .get(pk=transfer.pk))
    if transfer.status != TransferStatus.PENDING:
        raise DomainError({"status": [f"This transfer was already {transfer.status}; it cannot be decided again."]})
    return transfer


def next_meeting(marac) -> Meeting | None:
    """The MARAC's next meeting still open to its agenda: today or later, not closed."""
    return (Meeting.objects.filter(marac=marac, date__gte=timezone.localdate())
            .exclude(status=MeetingStatus.CLOSED).order_by("date", "id").first())


@transaction.atomic
def accept_transfer(transfer: CaseTransfer, *, by, meeting: Meeting | None = None) -> CaseTransfer:
    """In one transaction, the transfer row locked (of two accepts at once, the second
    finds it accepted: 400): the case moves to the receiving MARAC and is listed on
    MEETING (one of the receiving MARAC's; by default its next one, if any), where its
    open actions are carried over for the receiving coordinator to record why."""
    transfer = _locked_pending(transfer)
    case = Case.objects.select_for_update().get(pk=transfer.case_id)
    errors: dict[str, list[str]] = {}
    if case.status != CaseStatus.OPEN:
        errors["case"] = ["The case was closed since the transfer was requested; it cannot be transferred."]
    elif case.marac_id != transfer.from_marac_id:
        errors["case"] = ["The case is no longer with the sending MARAC."]
    if not transfer.to_marac.is_active:
        errors["to_marac"] = ["This MARAC is no longer active; decline the transfer."]
    if meeting is not None and meeting.marac_id != transfer.to_marac_id:
        errors["meeting"] = ["Choose one of the receiving MARAC's meetings."]
    elif meeting is not None and meeting.status == MeetingStatus.CLOSED:
        errors["meeting"] = ["This meeting is closed; cases cannot be added to it."]
    if errors:
        raise DomainError(errors)
    case.marac = transfer.to_marac
    case.save(update_fields=["marac", "updated_at"])
    meeting = meeting or next_meeting(transfer.to_marac)
    if meeting is not None:
        add_to_agenda(meeting, case)
        carry_over_open_actions(meeting, case)
    transfer.status, transfer.decided_by, transfer.decided_at = TransferStatus.ACCEPTED, by, timezone.now()
    transfer.meeting = meeting
    transfer.save(update_fields=["status", "decided_by", "decided_at", "meeting"])
    _notify(transfer, "transfer_accepted",
            f"Case {case.reference} was transferred from {_marac_name(transfer.from_marac)} to "
            f"{_marac_name(transfer.to_marac)}"
            + (f" and listed on its meeting of {meeting.date:%d %B %Y}." if meeting else "."))
    return transfer


def carry_over_open_actions(meeting: Meeting, case: Case) -> int:
    """Every incomplete action of a transferred case becomes a carried-over item of the
    receiving MARAC's meeting (listing the case carries those agreed before its date;
    this takes the rest): the receiving coordinator records why each was not completed."""
    action_ids = list(Action.objects.filter(case=case, status__in=INCOMPLETE_ACTION_STATUSES)
                      .exclude(meeting=meeting).values_list("pk", flat=True))
    ActionCarryOver.objects.bulk_create([ActionCarryOver(action_id=pk, meeting=meeting) for pk in action_ids],
                                        ignore_conflicts=True)
    return len(action_ids)


@transaction.atomic
def decline_transfer(transfer: CaseTransfer, *, by, reason: str) -> CaseTransfer:
    """The receiving coordinator declines, saying why; the case stays where it is."""
    if not reason.strip():
        raise DomainError({"reason": ["Say why the transfer is declined."]})
    transfer = _locked_pending(transfer)
    transfer.status, transfer.decided_by, transfer.decided_at = TransferStatus.DECLINED, by, timezone.now()
    transfer.decline_reason = reason.strip()
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    _notify(transfer, "transfer_declined",
            f"Case {transfer.case.reference}: {_marac_name(transfer.to_marac)} declined the transfer from "
            f"{_marac_name(transfer.from_marac)}.")
    return transfer


def coordinating_agencies_of(*maracs) -> list[int]:
    """The agencies of the coordinators serving these MARACs."""
    return list(Agency.objects.filter(memberships__role=Role.COORDINATOR, memberships__maracs__in=maracs)
                .distinct().order_by("pk").values_list("pk", flat=True))


def _notify(transfer: CaseTransfer, kind: str, message: str) -> int:
    """Both MARACs' coordinators (their agencies, coordinator role) and every agency on
    the case, once each per step. The message names the case by reference only."""
    base = dict(kind=kind, message=message, case_id=transfer.case_id, object_type="transfer",
                object_id=str(transfer.pk))
    rows = [dict(base, agency_id=agency_id, role=Role.COORDINATOR,
                 dedupe_key=f"{kind}:{transfer.pk}:{agency_id}:coordinator")
            for agency_id in coordinating_agencies_of(transfer.from_marac_id, transfer.to_marac_id)]
    participants = participant_grants().filter(content_object_id=transfer.case_id).values_list("group__agency", flat=True)
    rows += [dict(base, agency_id=agency_id, role="", dedupe_key=f"{kind}:{transfer.pk}:{agency_id}")
             for agency_id in sorted(set(participants))]
    return notify_many(rows)


def _latest_accepted_into_its_marac(case_id, marac_id) -> QuerySet:
    return (CaseTransfer.objects.filter(case=case_id, status=TransferStatus.ACCEPTED, to_marac_id=marac_id)
            .order_by("-decided_at", "-id"))


def with_transferred_from(cases: QuerySet) -> QuerySet:
    """CASES with what `transferred_from` answers read in their own query (scalar
    subqueries on the same latest transfer): a case page's one case row rather than a
    second round trip."""
    latest = _latest_accepted_into_its_marac(OuterRef("pk"), OuterRef("marac_id"))
    return cases.annotate(came_from_marac=Subquery(latest.values("from_marac_id")[:1]),
                          came_from_name=Subquery(latest.values("from_marac__name")[:1]),
                          came_from_at=Subquery(latest.values("decided_at")[:1]))


def transferred_from(case: Case) -> dict | None:
    """The MARAC the case last came from: `{marac, name, transferred_on}` of its latest
    accepted transfer into its current MARAC, or None (read off a case from
    `with_transferred_from` without a query)."""
    if hasattr(case, "came_from_marac"):
        if case.came_from_marac is None:
            return None
        return {"marac": case.came_from_marac, "name": case.came_from_name,
                "transferred_on": timezone.localdate(case.came_from_at)}
    transfer = (_latest_accepted_into_its_marac(case.pk, case.marac_id).select_related("from_marac").first())
    if transfer is None:
        return None
    return {"marac": transfer.from_marac_id, "name": transfer.from_marac.name,
            "transferred_on": timezone.localdate(transfer.decided_at)}


def attach_transfer_summaries(transfers: list[CaseTransfer]) -> None:
    """What the receiving MARAC decides on, for a page of transfers in a constant number
    of queries: each row's `risk_level` and `open_action_count` (its case's victim is
    read with the page: select_related)."""
    case_ids = sorted({transfer.case_id for transfer in transfers})
    if not case_ids:
        return
    rows = Case.objects.filter(pk__in=case_ids).annotate(
        n=Count("actions", filter=Q(actions__status__in=INCOMPLETE_ACTION_STATUSES))).values_list("pk", "risk_score", "n")
    scores, open_counts = {}, {}
    for pk, score, n in rows:
        scores[pk], open_counts[pk] = score, n
    risks = risk_for_cases(case_ids, scores)
    for transfer in transfers:
        transfer.risk_level = risks[transfer.case_id]["level"]
        transfer.open_action_count = open_counts.get(transfer.case_id, 0)
