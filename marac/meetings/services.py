"""Meetings, agendas, actions and carry-over: the MARAC's rules, stated once."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, Max, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from marac.agencies.models import Role
from marac.cases.participants import agency_is_on_case, participant_grants
from marac.cases.repeats import list_repeat_flags
from marac.errors import DomainError
from marac.maracs.services import resolve_marac

from .models import (
    INCOMPLETE_ACTION_STATUSES,
    Action,
    ActionCarryOver,
    ActionUpdate,
    AgendaItem,
    Meeting,
    MeetingStatus,
)

# A meeting moves forward only: scheduled -> held -> closed.
MEETING_TRANSITIONS = {
    MeetingStatus.SCHEDULED: {MeetingStatus.HELD},
    MeetingStatus.HELD: {MeetingStatus.CLOSED},
    MeetingStatus.CLOSED: set(),
}


CASE_OF_ANOTHER_MARAC = "This case is another MARAC's: only the meeting's MARAC's cases go on its agenda."
CHAIR_OF_ANOTHER_MARAC = "The chair must serve the meeting's MARAC."
NOT_YOUR_MARAC = "You schedule meetings only for the MARACs you serve."


def _require_chair(user, marac_id: int) -> None:
    membership = getattr(user, "membership", None)
    if membership is None or membership.role != Role.CHAIR or not user.is_active:
        raise DomainError({"chair": ["The chair must be an active user with the chair role."]})
    if not membership.maracs.filter(pk=marac_id).exists():
        raise DomainError({"chair": [CHAIR_OF_ANOTHER_MARAC]})


def create_meeting(*, date: date, chair, by, marac=None) -> Meeting:
    """A meeting of MARAC (the only active one when none is named; 400 when several
    are). Its minutes carry the MARAC's confidentiality statement, else the
    deployment's, fixed now."""
    marac = resolve_marac(marac)
    membership = getattr(by, "membership", None)
    if membership is None or not membership.maracs.filter(pk=marac.pk).exists():
        raise DomainError({"marac": [NOT_YOUR_MARAC]})
    _require_chair(chair, marac.pk)
    return Meeting.objects.create(
        marac=marac, date=date, chair=chair, created_by=by,
        confidentiality_statement=marac.confidentiality_statement or settings.MARAC_CONFIDENTIALITY_STATEMENT)


@transaction.atomic
def update_meeting(meeting: Meeting, *, status: str | None = None, date: date | None = None, chair=None,
                   minutes: str | None = None, agencies_present=None, apologies=None) -> Meeting:
    """Status transitions, attendance and minutes. A closed meeting is the record: it
    does not change. Closing needs minutes and attendance recorded."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CLOSED:
        raise DomainError({"status": ["This meeting is closed; its minutes are final."]})
    errors: dict[str, list[str]] = {}
    if status is not None and status != meeting.status and status not in MEETING_TRANSITIONS[meeting.status]:
        errors["status"] = [f"A {meeting.status} meeting cannot become {status}; the order is scheduled, held, closed."]
    if chair is not None:
        try:
            _require_chair(chair, meeting.marac_id)
        except DomainError as exc:
            errors.update(exc.messages)
    present = set(agencies_present) if agencies_present is not None else set(meeting.agencies_present.all())
    absent = set(apologies) if apologies is not None else set(meeting.apologies.all())
    if present & absent:
        errors["apologies"] = ["An agency cannot be both present and give apologies: "
                               + ", ".join(sorted(a.name for a in present & absent)) + "."]
    if status == MeetingStatus.CLOSED and not errors:
        if not (minutes if minutes is not None else meeting.minutes).strip():
            errors["minutes"] = ["Record the minutes before closing the meeting."]
        if not present:
            errors["agencies_present"] = ["Record the agencies present before closing the meeting."]
    if errors:
        raise DomainError(errors)
    for field, value in (("status", status), ("date", date), ("chair", chair), ("minutes", minutes)):
        if value is not None:
            setattr(meeting, field, value)
    meeting.save()
    if agencies_present is not None:
        meeting.agencies_present.set(agencies_present)
    if apologies is not None:
        meeting.apologies.set(apologies)
    return meeting


@transaction.atomic
def add_to_agenda(meeting: Meeting, case) -> AgendaItem:
    """List a case on a meeting's agenda; listing it twice returns the existing item.
    The case's incomplete actions from earlier meetings carry over to this one, and its
    pending repeat flag ("flag and tag") is taken up by this item."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CLOSED:
        raise DomainError({"meeting": ["This meeting is closed; cases cannot be added to it."]})
    if case.marac_id != meeting.marac_id:
        raise DomainError({"case": [CASE_OF_ANOTHER_MARAC]})
    existing = AgendaItem.objects.filter(meeting=meeting, case=case).first()
    if existing:
        return existing
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
    item = AgendaItem.objects.create(meeting=meeting, case=case, position=(last or 0) + 1)
    carry_over_incomplete_actions(meeting, case)
    list_repeat_flags(case, item)
    return item


def carry_over_incomplete_actions(meeting: Meeting, case) -> int:
    """Set-based: one SELECT, one INSERT. The reason is blank until the coordinator records it."""
    action_ids = list(
        Action.objects.filter(case=case, status__in=INCOMPLETE_ACTION_STATUSES, meeting__date__lt=meeting.date)
        .values_list("pk", flat=True)
    )
    ActionCarryOver.objects.bulk_create([ActionCarryOver(action_id=pk, meeting=meeting) for pk in action_ids],
                                        ignore_conflicts=True)
    return len(action_ids)


def is_on_case(case, agency) -> bool:
    return participant_grants().filter(content_object=case, group_id=agency.group_id).exists()


def create_action(*, case, meeting: Meeting, description: str, owner_agency, due_date: date, by) -> Action:
    """An action has one owner agency, which must be on the case (otherwise it could
    not see its own action); it is agreed at a meeting whose agenda lists the case."""
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = ["Describe the action."]
    if not AgendaItem.objects.filter(meeting=meeting, case=case).exists():
        errors["meeting"] = ["This case is not on that meeting's agenda."]
    elif meeting.status == MeetingStatus.CLOSED:
        errors["meeting"] = ["This meeting is closed; its action plan is final."]
    if not is_on_case(case, owner_agency):
        errors["owner_agency"] = ["The owner agency must be a participant of the case; add it to the case first."]
    if due_date < meeting.date:
        errors["due_date"] = ["The due date cannot be before the meeting that agreed the action."]
    if errors:
        raise DomainError(errors)
    return Action.objects.create(case=case, meeting=meeting, description=description, owner_agency=owner_agency,
                                 due_date=due_date, created_by=by)


@transaction.atomic
def update_action(action: Action, *, by, status: str | None = None, update: str = "") -> Action:
    """Change an action's status and/or add a progress note; every call is kept in the
    action's history with who and when."""
    if status is None and not update.strip():
        raise DomainError({"update": ["Give a new status, an update, or both."]})
    action = Action.objects.select_for_update().get(pk=action.pk)
    previous = action.status
    if status is not None and status != previous:
        action.status = status
        action.save(update_fields=["status", "updated_at"])
    membership = getattr(by, "membership", None)
    ActionUpdate.objects.create(action=action, by=by, agency=membership.agency if membership else None,
                                status_from=previous, status_to=action.status, note=update)
    return action


def record_carry_over(action: Action, *, meeting: Meeting, reason: str, by, note: str = "") -> ActionCarryOver:
    """Why an incomplete action carried into MEETING was not completed."""
    carry = ActionCarryOver.objects.filter(action=action, meeting=meeting).first()
    if carry is None:
        raise DomainError({"meeting": ["This action was not carried over to that meeting."]})
    carry.reason, carry.note, carry.recorded_by, carry.recorded_at = reason, note, by, timezone.now()
    carry.save(update_fields=["reason", "note", "recorded_by", "recorded_at"])
    return carry


def overdue_actions(today: date) -> QuerySet[Action]:
    return Action.objects.filter(status__in=INCOMPLETE_ACTION_STATUSES, due_date__lt=today)


OVERDUE_KIND = "action_overdue"


def overdue_dedupe_key():
    """The notification key of an action's overdue reminder, as an SQL expression."""
    return Concat(Value("action:"), Cast("pk", CharField()), Value(":overdue:"), Cast("due_date", CharField()),
                  output_field=CharField())


def flag_overdue_actions(today: date) -> int:
    """The daily sweep step: notify each owning agency once per overdue action (per
    due date: a moved deadline that lapses again is flagged again). Set-based: one
    SELECT of the overdue actions not yet flagged (NOT EXISTS on the key), then bulk
    INSERTs; idempotent through the notifications' unique dedupe key."""
    from marac.notifications.models import Notification

    rows = (
        overdue_actions(today)
        .filter(agency_is_on_case("case", "owner_agency"))  # an agency removed from the case hears nothing
        .annotate(key=overdue_dedupe_key())
        .annotate(flagged=Exists(Notification.objects.filter(dedupe_key=OuterRef("key"))))
        .filter(flagged=False)
        .values_list("pk", "owner_agency_id", "case_id", "due_date", "case__reference", "key")
    )
    notifications = [
        Notification(
            agency_id=agency_id, kind=OVERDUE_KIND, case_id=case_id, object_type="action", object_id=str(pk),
            message=f"Action {pk} on case {reference} was due on {due:%d %B %Y} and is not complete.",
            dedupe_key=key,
        )
        for pk, agency_id, case_id, due, reference, key in rows
    ]
    Notification.objects.bulk_create(notifications, batch_size=1000, ignore_conflicts=True)
    return len(notifications)
