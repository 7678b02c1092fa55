from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from marac.referrals.models import Referral, ReferralStatus
from marac.referrals.services import accept_referral, decline_referral, submit_referral

from ..viewsets import SliceViewSet
from .serializers import AcceptReferralSerializer, DeclineReferralSerializer, ReferralSerializer


class ReferralFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ReferralStatus.choices)
    is_repeat = filters.BooleanFilter()

    class Meta:
        model = Referral
        fields = ["status", "is_repeat"]


class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, SliceViewSet):
    """Referrals to MARAC. Seen by the referring agency, coordinators and chairs only."""

    slice_target = "referral"
    slice_actions = {"accept": "triage", "decline": "triage"}
    queryset = Referral.objects.select_related("victim", "perpetrator")
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter

    def perform_create(self, serializer):
        membership = self.request.user.membership
        serializer.instance = submit_referral(agency=membership.agency, user=self.request.user,
                                              **serializer.validated_data)

    @extend_schema(request=AcceptReferralSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept: create (or reopen) the case and list it on a meeting when given."""
        referral = self.get_object()
        body = AcceptReferralSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = accept_referral(referral, by=request.user, meeting=body.validated_data.get("meeting"))
        return Response(ReferralSerializer(referral).data)

    @extend_schema(request=DeclineReferralSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Decline with a reason."""
        referral = self.get_object()
        body = DeclineReferralSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = decline_referral(referral, by=request.user, reason=body.validated_data["reason"])
        return Response(ReferralSerializer(referral).data)
