from django_filters import rest_framework as filters
from rest_framework import mixins

from marac.audit.models import AuditAction, AuditEvent
from permissions.policy import AUDIT_EVENT

from ..viewsets import SliceViewSet
from .serializers import AuditEventSerializer


class AuditEventFilter(filters.FilterSet):
    user = filters.NumberFilter(field_name="user_id")
    agency = filters.NumberFilter(field_name="agency_id")
    action = filters.ChoiceFilter(choices=AuditAction.choices)
    object_type = filters.CharFilter()
    object_id = filters.CharFilter()
    at = filters.IsoDateTimeFromToRangeFilter(help_text="at_after / at_before: ISO 8601 datetimes, inclusive.")
    date = filters.DateFromToRangeFilter(field_name="at__date", help_text="date_after / date_before: YYYY-MM-DD.")

    class Meta:
        model = AuditEvent
        fields = ["user", "agency", "action", "object_type", "object_id"]


class AuditEventViewSet(mixins.ListModelMixin, SliceViewSet):
    """Who saw or changed which record. Managers see the events of their own agency's
    users, platform administrators all; anyone else an empty list. Append-only: there
    is no write endpoint."""

    slice_object = AUDIT_EVENT
    audit_reads = False  # reading the log is not itself logged
    queryset = AuditEvent.objects.all()
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
