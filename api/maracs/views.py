from drf_spectacular.utils import extend_schema
from rest_framework import mixins

from marac.maracs.models import Marac
from marac.maracs.services import create_marac, update_marac
from permissions.policy import MARAC

from ..viewsets import SliceViewSet
from .serializers import MaracSerializer, MaracUpdateSerializer


class MaracViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, SliceViewSet):
    """The MARAC directory: any signed-in user lists it (a referral or a meeting names
    its MARAC from it); platform administrators record and change MARACs (policy row
    `marac`, like agencies)."""

    slice_object = MARAC
    http_method_names = ["get", "post", "patch", "head", "options"]
    audit_reads = False  # the directory is not case data; writes are still audited
    queryset = Marac.objects.order_by("name")
    serializer_class = MaracSerializer
    filterset_fields = ["is_active"]

    def get_serializer_class(self):
        if self.action == "partial_update":
            return MaracUpdateSerializer
        return super().get_serializer_class()

    @extend_schema(responses=MaracSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = create_marac(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = update_marac(serializer.instance, **serializer.validated_data)
