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


def coordinating_agencies() -> QuerySet[Agency]:
    """Agencies with at least one coordinator: where MARAC triage notifications go."""
    return Agency.objects.filter(memberships__role=Role.COORDINATOR).distinct()
