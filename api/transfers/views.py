from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from marac.transfers.models import CaseTransfer, TransferStatus
from marac.transfers.services import (
    accept_transfer,
    attach_transfer_summaries,
    decline_transfer,
    request_transfer,
)
from permissions.policy import TRANSFER

from ..rowslice import RowSlicedMixin
from ..viewsets import NestedSliceViewSet, SliceViewSet
from .serializers import (
    TRANSFER_ROW_SERIALIZERS,
    AcceptTransferSerializer,
    DeclineTransferSerializer,
    TransferBaseSerializer,
    NewTransferSerializer,
    TransferSchemaSerializer,
)


def transfers():
    return CaseTransfer.objects.select_related("case__victim", "from_marac", "to_marac")


class TransferRowsMixin(RowSlicedMixin):
    queryset = transfers()
    # Every row a caller sees is chosen by a side (view_record, view_summary); a row
    # neither applies to (none, by the policy) would show only what both sides share.
    serializer_class = TransferBaseSerializer
    row_serializers = TRANSFER_ROW_SERIALIZERS

    def prepare_rows(self, rows):
        attach_transfer_summaries(rows)


class TransferFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=TransferStatus.choices)

    class Meta:
        model = CaseTransfer
        fields = ["status", "from_marac", "to_marac"]


@extend_schema_view(create=extend_schema(request=NewTransferSerializer, responses={201: TransferSchemaSerializer}))
class CaseTransferViewSet(TransferRowsMixin, mixins.CreateModelMixin, NestedSliceViewSet):
    """Request the transfer of a case to another MARAC (SafeLives' Marac to Marac
    referral: the victim moved there, permanently or for a while). A coordinator of the
    case's MARAC; the case must be open, with no transfer pending, and the MARAC another,
    active one."""

    slice_object = TRANSFER

    def create(self, request, *args, **kwargs):
        body = NewTransferSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        transfer = request_transfer(self.get_slice_parent(), by=request.user, **body.validated_data)
        return Response(self.row_data([transfer])[0], status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(responses=TransferSchemaSerializer),
                    retrieve=extend_schema(responses=TransferSchemaSerializer))
class TransferViewSet(TransferRowsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, SliceViewSet):
    """Transfers to and from the MARACs the caller coordinates or chairs. The sending
    MARAC sees its record (kept read-only after the case has left its reach); the
    receiving MARAC a summary of the case to decide on: reference, victim's name and date
    of birth, risk level, reason, sending MARAC, open action count."""

    slice_object = TRANSFER
    slice_actions = {"accept": "decide", "decline": "decide"}
    filterset_class = TransferFilter

    @extend_schema(request=AcceptTransferSerializer, responses=TransferSchemaSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept: the case moves to the receiving MARAC and is listed on the meeting
        given (or its next one), its open actions carried over."""
        transfer = self.get_object()
        body = AcceptTransferSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        transfer = accept_transfer(transfer, by=request.user, meeting=body.validated_data.get("meeting"))
        self.audit("update", transfer.case_id, object_type="case")
        return Response(self.row_data([transfer])[0])

    @extend_schema(request=DeclineTransferSerializer, responses=TransferSchemaSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Decline with a reason: the case stays with the sending MARAC."""
        transfer = self.get_object()
        body = DeclineTransferSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        transfer = decline_transfer(transfer, by=request.user, reason=body.validated_data["reason"])
        return Response(self.row_data([transfer])[0])
