from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from marac.orders.models import (
    Breach,
    BreachStatus,
    NotifiableChange,
    Order,
    OrderKind,
    OrderStatus,
    Requirement,
    RequirementKind,
    RequirementStatus,
)
from marac.orders.services import (
    add_requirement,
    create_order,
    record_compliance_event,
    record_notifiable_change,
    report_breach,
    respond_to_breach,
    update_notifiable_change,
    update_order,
    update_requirement,
)
from permissions.policy import BREACH, NOTIFIABLE_CHANGE, ORDER, REQUIREMENT

from ..rowslice import RowSlicedMixin
from ..viewsets import NestedSliceViewSet, SliceViewSet
from .serializers import (
    BreachSerializer,
    BreachUpdateSerializer,
    ComplianceEventSerializer,
    NotifiableChangeSerializer,
    NotifiableChangeUpdateSerializer,
    OrderChangeSerializer,
    OrderSerializer,
    OrderUpdateSerializer,
    RequirementSerializer,
    RequirementUpdateSerializer,
    RequirementViewSchemaSerializer,
    RequirementWithNotesSerializer,
)

REQUIREMENT_VIEW = RequirementViewSchemaSerializer


class OrderFilter(filters.FilterSet):
    case = filters.NumberFilter()
    kind = filters.ChoiceFilter(choices=OrderKind.choices)
    status = filters.ChoiceFilter(choices=OrderStatus.choices)

    class Meta:
        model = Order
        fields = ["case", "kind", "status"]


@extend_schema_view(partial_update=extend_schema(request=OrderUpdateSerializer, responses=OrderSerializer))
class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, SliceViewSet):
    """Stalking Protection Orders: police participants of the case record and change
    them; every participant and chairs see them, prohibitions included."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    slice_object = ORDER
    slice_actions = {"history": "view"}
    queryset = Order.objects.all()
    serializer_class = OrderSerializer
    filterset_class = OrderFilter

    def get_serializer_class(self):
        return OrderUpdateSerializer if self.action in ("update", "partial_update") else OrderSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        case = data.pop("case")
        serializer.instance = create_order(case=case, agency=self.request.user.membership.agency,
                                           by=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = update_order(serializer.instance, by=self.request.user,
                                           agency=self.request.user.membership.agency, **serializer.validated_data)

    @extend_schema(responses=OrderChangeSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Every change to the order: who, when, what (variations and renewals included)."""
        order = self.get_object()
        page = self.paginate_queryset(order.changes.all())
        return self.get_paginated_response(OrderChangeSerializer(page, many=True).data)


class RequirementFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=RequirementStatus.choices)
    kind = filters.ChoiceFilter(choices=RequirementKind.choices)
    order = filters.NumberFilter()
    case = filters.NumberFilter(field_name="order__case")
    responsible_agency = filters.NumberFilter()

    class Meta:
        model = Requirement
        fields = ["status", "kind", "order", "case", "responsible_agency"]


def requirements():
    # The defendant comes in the page's own query (a join), never a query per row.
    return Requirement.objects.select_related("order__defendant").prefetch_related("events")


class OrderChildViewSet(NestedSliceViewSet):
    """Objects under an order in the URL (`/orders/{order_pk}/...`), looked up in the
    caller's slice of orders first: outside it, 404."""

    parent_lookup_kwarg = "order_pk"


@extend_schema_view(list=extend_schema(responses=REQUIREMENT_VIEW), create=extend_schema(
    request=RequirementSerializer, responses={201: REQUIREMENT_VIEW}))
class OrderRequirementViewSet(RowSlicedMixin, mixins.ListModelMixin, mixins.CreateModelMixin, OrderChildViewSet):
    """An order's positive requirements: police on the case add them. Notes and
    compliance events only for police and the responsible agency."""

    slice_object = REQUIREMENT
    queryset = requirements()
    serializer_class = RequirementSerializer
    row_serializers = [("view_notes", RequirementWithNotesSerializer)]
    filterset_class = RequirementFilter

    def create(self, request, *args, **kwargs):
        serializer = RequirementSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        requirement = add_requirement(self.get_slice_parent(), by=request.user, **serializer.validated_data)
        return Response(self.row_data([requirement])[0], status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(responses=REQUIREMENT_VIEW), retrieve=extend_schema(responses=REQUIREMENT_VIEW),
                    partial_update=extend_schema(request=RequirementUpdateSerializer, responses=REQUIREMENT_VIEW))
class RequirementViewSet(RowSlicedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.UpdateModelMixin, SliceViewSet):
    """The requirements in the caller's slice: for a responsible agency, its worklist
    (filter `responsible_agency`). The responsible agency records status, notes and
    compliance events."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    slice_object = REQUIREMENT
    slice_actions = {"events": "record_event"}
    queryset = requirements()
    serializer_class = RequirementSerializer
    row_serializers = [("view_notes", RequirementWithNotesSerializer)]
    filterset_class = RequirementFilter

    def partial_update(self, request, *args, **kwargs):
        requirement = self.get_object()
        body = RequirementUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        requirement = update_requirement(requirement, by=request.user, **body.validated_data)
        return Response(self.row_data([requirement])[0])

    @extend_schema(request=ComplianceEventSerializer, responses={201: ComplianceEventSerializer})
    @action(detail=True, methods=["post"])
    def events(self, request, pk=None):
        """Record a compliance event (appointment offered, attended, missed, completed)."""
        requirement = self.get_object()
        body = ComplianceEventSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        event = record_compliance_event(requirement, by=request.user, **body.validated_data)
        return Response(ComplianceEventSerializer(event).data, status=status.HTTP_201_CREATED)


class BreachFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=BreachStatus.choices)
    order = filters.NumberFilter()
    awaiting_response = filters.BooleanFilter(field_name="first_response_at", lookup_expr="isnull")

    class Meta:
        model = Breach
        fields = ["status", "order", "awaiting_response"]


class OrderBreachViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, OrderChildViewSet):
    """Breaches of an order: any participant reports one."""

    slice_object = BREACH
    queryset = Breach.objects.all()
    serializer_class = BreachSerializer
    filterset_class = BreachFilter

    def perform_create(self, serializer):
        serializer.instance = report_breach(self.get_slice_parent(), agency=self.request.user.membership.agency,
                                            by=self.request.user, **serializer.validated_data)


@extend_schema_view(partial_update=extend_schema(request=BreachUpdateSerializer, responses=BreachSerializer))
class BreachViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                    SliceViewSet):
    """Breaches in the caller's slice; police on the case set status and response."""

    http_method_names = ["get", "patch", "head", "options"]
    slice_object = BREACH
    queryset = Breach.objects.all()
    serializer_class = BreachSerializer
    filterset_class = BreachFilter

    def partial_update(self, request, *args, **kwargs):
        breach = self.get_object()
        body = BreachUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        breach = respond_to_breach(breach, by=request.user, **body.validated_data)
        return Response(BreachSerializer(breach).data)


@extend_schema_view(partial_update=extend_schema(request=NotifiableChangeUpdateSerializer,
                                                 responses=NotifiableChangeSerializer))
class OrderNotifiableChangeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                                   mixins.UpdateModelMixin, OrderChildViewSet):
    """The defendant's new names and home addresses (SPA s.9(3)-(4)), each to be notified
    within 3 days beginning with the change (`due_on`): police on the case only."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    slice_object = NOTIFIABLE_CHANGE
    queryset = NotifiableChange.objects.all()
    serializer_class = NotifiableChangeSerializer

    def perform_create(self, serializer):
        serializer.instance = record_notifiable_change(self.get_slice_parent(), by=self.request.user,
                                                       **serializer.validated_data)

    def partial_update(self, request, *args, **kwargs):
        change = self.get_object()
        body = NotifiableChangeUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = update_notifiable_change(change, by=request.user, **body.validated_data)
        return Response(NotifiableChangeSerializer(change).data)
