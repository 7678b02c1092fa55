"""Recording audit events. One INSERT per call, however many objects."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, router
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
                  operation: str = "") -> int:
    """Append one event per object for each (action, object_type, object_id) group, all
    in a single INSERT (a list page costs one statement, not one per row). Returns how
    many events were written.

    On PostgreSQL the rows are built by the database from three arrays
    (`INSERT ... SELECT ... FROM unnest(...)`): the same rows as a bulk_create, without
    building and compiling a model instance per object on every list page."""
    now = timezone.now()
    actions: list[str] = []
    types: list[str] = []
    ids: list[str] = []
    for action, object_type, object_ids in groups:
        if action not in AuditAction.values:
            raise ValueError(f"Unknown audit action {action!r}")
        for object_id in object_ids:
            actions.append(action)
            types.append(object_type)
            ids.append(str(object_id))
    if not ids:
        return 0
    connection = connections[router.db_for_write(AuditEvent)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_PG_INSERT, [now, context.user_id, context.username, context.agency_id, operation,
                                        context.request_id, context.client_address or None, actions, types, ids])
    else:
        AuditEvent.objects.bulk_create(
            AuditEvent(at=now, user_id=context.user_id, username=context.username, agency_id=context.agency_id,
                       action=action, object_type=object_type, object_id=object_id, operation=operation,
                       request_id=context.request_id, client_address=context.client_address)
            for action, object_type, object_id in zip(actions, types, ids)
        )
    return len(ids)


def _pg_insert() -> str:
    meta = AuditEvent._meta
    column = {field.name: field.column for field in meta.concrete_fields}
    return (
        f"INSERT INTO {meta.db_table} ({column['at']}, {column['user_id']}, {column['username']}, "
        f"{column['agency_id']}, {column['operation']}, {column['request_id']}, {column['client_address']}, "
        f"{column['action']}, {column['object_type']}, {column['object_id']}) "
        "SELECT %s, %s, %s, %s, %s, %s, %s::inet, e.action, e.object_type, e.object_id "
        "FROM unnest(%s::text[], %s::text[], %s::text[]) AS e (action, object_type, object_id)"
    )


_PG_INSERT = _pg_insert()
