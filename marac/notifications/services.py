from django.db.models import QuerySet

from marac.agencies.models import Agency, Role

from .models import Notification


def notify(*, agency: Agency | int, kind: str, message: str, dedupe_key: str, role: str = "", case=None,
           object_type: str = "", object_id="") -> Notification:
    """Raise a notification once: a second call with the same key returns the first."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    notification, _ = Notification.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults=dict(agency_id=agency_id, role=role, kind=kind, message=message, case=case,
                      object_type=object_type, object_id=str(object_id)),
    )
    return notification


def notify_many(rows: list[dict], chunk: int = 2000) -> int:
    """Raise many notifications at once (rows are Notification fields with a
    dedupe_key): per chunk of rows, one query for the keys already raised and one
    insert for the rest. Returns how many were new."""
    created = 0
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        keys = [row["dedupe_key"] for row in part]
        existing = set(Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
        new = [Notification(**row) for row in part if row["dedupe_key"] not in existing]
        Notification.objects.bulk_create(new, ignore_conflicts=True)
        created += len(new)
    return created


def coordinating_agencies(marac_id: int | None = None) -> QuerySet[Agency]:
    """Agencies with at least one coordinator (of MARAC, when given): where MARAC
    triage notifications go."""
    memberships = {"memberships__role": Role.COORDINATOR}
    if marac_id is not None:
        memberships["memberships__maracs"] = marac_id
    return Agency.objects.filter(**memberships).distinct()
