from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action

from marac.support.models import SupportPlan, SupportPlanStatus
from marac.support.services import create_plan, update_plan
from permissions.policy import SUPPORT_PLAN

from ..viewsets import SliceViewSet
from .serializers import SupportPlanChangeSerializer, SupportPlanSerializer, SupportPlanUpdateSerializer


class SupportPlanFilter(filters.FilterSet):
    case = filters.NumberFilter()
    status = filters.ChoiceFilter(choices=SupportPlanStatus.choices)

    class Meta:
        model = SupportPlan
        fields = ["case", "status"]


@extend_schema_view(partial_update=extend_schema(request=SupportPlanUpdateSerializer,
                                                  responses=SupportPlanSerializer))
class SupportPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         mixins.UpdateModelMixin, SliceViewSet):
    """Victim support plans: advocacy participants of the case only. Everyone else,
    police, chairs, coordinators and platform administrators included, gets 404."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    slice_object = SUPPORT_PLAN
    slice_actions = {"history": "view"}
    queryset = SupportPlan.objects.all()
    serializer_class = SupportPlanSerializer
    filterset_class = SupportPlanFilter

    def get_serializer_class(self):
        return SupportPlanUpdateSerializer if self.action in ("update", "partial_update") else SupportPlanSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        case = data.pop("case")
        serializer.instance = create_plan(case=case, agency=self.request.user.membership.agency,
                                          by=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = update_plan(serializer.instance, by=self.request.user, **serializer.validated_data)

    @extend_schema(responses=SupportPlanChangeSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Every change to the plan: who, when, what."""
        plan = self.get_object()
        page = self.paginate_queryset(plan.changes.all())
        return self.get_paginated_response(SupportPlanChangeSerializer(page, many=True).data)
