from django.db.models import Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from marac.referrals.models import Referral, ReferralStatus
from marac.referrals.services import accept_referral, decline_referral, link_referral, submit_referral
from permissions.policy import REFERRAL

from ..rowslice import RowShownBooleanFilter, RowSlicedMixin
from ..viewsets import SliceViewSet
from .serializers import (
    AcceptReferralSerializer,
    DeclineReferralSerializer,
    LinkReferralSerializer,
    ReferralPage,
    ReferralSerializer,
    ReferralWithoutCaseLinkOrSafeContactSerializer,
    ReferralWithoutCaseLinkSerializer,
    ReferralWithoutSafeContactSerializer,
    ReferralWithoutTriageOrSafeContactSerializer,
    ReferralWithoutTriageSerializer,
)


class ReferralFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ReferralStatus.choices)
    # The flag as each row shows it (referral.view_case_link).
    is_repeat = RowShownBooleanFilter(slice_target=REFERRAL, action="view_case_link", shown=lambda: Q(is_repeat=True),
                                      help_text="`is_repeat` as shown to you: a repeat whose case link you may "
                                                "not see counts as not a repeat.")

    class Meta:
        model = Referral
        fields = ["status", "is_repeat"]


@extend_schema_view(
    list=extend_schema(responses=ReferralSerializer),
    retrieve=extend_schema(responses=ReferralSerializer),
    create=extend_schema(request=ReferralSerializer, responses={201: ReferralSerializer}),
)
class ReferralViewSet(RowSlicedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      SliceViewSet):
    """Referrals to MARAC. Seen by the referring agency, coordinators and chairs only.
    The link to a case (`is_repeat`, `case`) is shown to coordinators, chairs and a
    referring agency that is itself on that case; the victim's safe contact details to
    the referring agency and coordinators; a repeat found in another MARAC
    (`previous_marac`) to the receiving MARAC's coordinators."""

    slice_object = REFERRAL
    slice_actions = {"accept": "triage", "decline": "triage", "link": "triage"}
    queryset = Referral.objects.select_related("victim", "perpetrator", "previous_marac").prefetch_related("children")
    # Rows whose case link and safe contact the caller may not see; `row_serializers`
    # picks a fuller one per row from the policy table, first match wins (view_duplicates
    # lies within view_case_link in the policy table: the serializers that show the
    # coordinator's triage fields show the link too).
    serializer_class = ReferralWithoutCaseLinkOrSafeContactSerializer
    row_serializers = [
        (("view_duplicates", "view_previous_marac", "view_safe_contact"), ReferralSerializer),
        (("view_duplicates", "view_previous_marac"), ReferralWithoutSafeContactSerializer),
        (("view_case_link", "view_safe_contact"), ReferralWithoutTriageSerializer),
        ("view_case_link", ReferralWithoutTriageOrSafeContactSerializer),
        ("view_safe_contact", ReferralWithoutCaseLinkSerializer),
    ]
    filterset_class = ReferralFilter
    _referral_page = None

    def row_data(self, rows, **kwargs):
        self._referral_page = ReferralPage(rows)
        return super().row_data(self._referral_page.rows, **kwargs)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "referral_page": self._referral_page}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(self.row_data([serializer.instance])[0], status=status.HTTP_201_CREATED)

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
        return Response(self.row_data([referral])[0])

    @extend_schema(request=LinkReferralSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        """The coordinator's decision on the victim's case: `{"case": id}` links the
        referral to it (accepting it then reopens that case), `{"case": null}` says none
        of the likely matches is her. Recorded with who decided and when."""
        referral = self.get_object()
        body = LinkReferralSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        referral = link_referral(referral, case=body.validated_data["case"], by=request.user)
        return Response(self.row_data([referral])[0])

    @extend_schema(request=DeclineReferralSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Decline with a reason."""
        referral = self.get_object()
        body = DeclineReferralSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = decline_referral(referral, by=request.user, reason=body.validated_data["reason"])
        return Response(self.row_data([referral])[0])
