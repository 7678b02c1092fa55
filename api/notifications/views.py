from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from marac.notifications.models import Notification
from permissions.policy import NOTIFICATION

from ..viewsets import SliceViewSet
from .serializers import NotificationSerializer


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", help_text="true: not yet read.")
    kind = filters.CharFilter()

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SliceViewSet):
    """Notifications for the caller's agency (the slice: own agency), narrowed to those
    for every role or for the caller's role. Read state is per agency."""

    slice_object = NOTIFICATION
    slice_actions = {"read": "mark_read"}
    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark as read (idempotent: the first read time is kept)."""
        notification = self.get_object()
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return Response(NotificationSerializer(notification).data)
