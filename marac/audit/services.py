"""Recording audit events. One INSERT per call, however many objects."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from .models import AuditAction, AuditEvent


@dataclass(frozen=True)
class AuditContext:
    """Who is acting and from where: read once per request."""

    user_id: int | None
    username: str
    agency_id: int | None
    request_id: str = ""
    client_address: str | None = None


def record_events(context: AuditContext, groups: Iterable[tuple[str, str, Iterable]],
                  operation: str = "") -> list[AuditEvent]:
    """Append one event per object for each (action, object_type, object_ids) group, all
    in a single bulk INSERT (a list page costs one statement, not one per row)."""
    now = timezone.now()
    events = []
    for action, object_type, object_ids in groups:
        if action not in AuditAction.values:
            raise ValueError(f"Unknown audit action {action!r}")
        events.extend(
            AuditEvent(at=now, user_id=context.user_id, username=context.username, agency_id=context.agency_id,
                       action=action, object_type=object_type, object_id=str(object_id), operation=operation,
                       request_id=context.request_id, client_address=context.client_address)
            for object_id in object_ids
        )
    if events:
        AuditEvent.objects.bulk_create(events)
    return events
