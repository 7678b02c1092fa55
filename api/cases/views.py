from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from marac.agencies.models import Agency
from marac.cases.models import Case, CaseStatus, Incident, ResearchContribution, VictimDetailChange
from marac.cases.participants import add_participant, participant_grants, remove_participant
from marac.cases.repeats import pending_repeat_flag_q
from marac.cases.services import add_research, record_incident, update_case
from permissions.policy import CASE, INCIDENT, RESEARCH, VICTIM_HISTORY

from ..listing import plain_rows
from ..rowslice import RowShownBooleanFilter, RowSlicedMixin
from ..viewsets import NestedSliceViewSet, SliceViewSet
from .serializers import (
    CASE_DETAIL_ROW_SERIALIZERS,
    CASE_ROW_FIELDS,
    CASE_ROW_SERIALIZERS,
    CaseDetailForOtherParticipantsSerializer,
    CaseDetailSerializer,
    CaseForOtherParticipantsSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    IncidentSerializer,
    ParticipantSerializer,
    ParticipantsSerializer,
    ResearchSerializer,
    VictimHistorySerializer,
    prepare_case_rows,
)


def cases_with_participants():
    # A page's participants and children are read in one query each (prepare_case_rows).
    return Case.objects.select_related("victim", "perpetrator")


class CaseFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=CaseStatus.choices)
    stalking = filters.BooleanFilter()
    is_repeat = filters.BooleanFilter()
    reference = filters.CharFilter()
    # The flag as each row shows it (case.view_repeat_flag).
    flagged_repeat = RowShownBooleanFilter(
        slice_target=CASE, action="view_repeat_flag", shown=pending_repeat_flag_q,
        help_text="Cases flagged as a repeat for their next agenda (a further incident within 12 months of the "
                  "last referral to MARAC), as shown to you: coordinators only; for anyone else no case is.")

    class Meta:
        model = Case
        fields = ["status", "stalking", "is_repeat", "reference", "flagged_repeat"]


@extend_schema_view(list=extend_schema(responses=CaseSerializer))
class CaseViewSet(RowSlicedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                  SliceViewSet):
    """MARAC cases in the caller's slice. Coordinators correct a case with PATCH
    (send the ETag of your GET as If-Match: a stale one is 412). One case shows every
    perpetrator, and coordinators its repeat flag. The victim's safe contact is shown to
    the case's advocacy participants, coordinators and the agency that referred the
    case; the children's dates of birth and schools to children's services on the case,
    coordinators and chairs (everyone else: name and age)."""

    slice_object = CASE
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    slice_actions = {"participants": "manage_participants", "remove_participant": "manage_participants"}
    queryset = cases_with_participants()
    list_queryset = plain_rows(Case.objects.all(), *CASE_ROW_FIELDS)
    # Rows the caller may see neither the safe contact nor the children in full of;
    # `row_serializers` picks a fuller one per row from the policy table (lists and
    # PATCH's answer), `detail_row_serializers` for one case (GET and its ETag), which
    # adds the perpetrators and, per case.view_repeat_flag, the repeat flag.
    serializer_class = CaseForOtherParticipantsSerializer
    row_serializers = CASE_ROW_SERIALIZERS
    detail_serializer_class = CaseDetailForOtherParticipantsSerializer
    detail_row_serializers = CASE_DETAIL_ROW_SERIALIZERS
    filterset_class = CaseFilter

    @extend_schema(responses=CaseDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    def get_serializer_class(self):
        if self.action == "partial_update":
            return CaseUpdateSerializer
        return super().get_serializer_class()

    def prepare_rows(self, rows):
        prepare_case_rows(rows)

    @extend_schema(responses=CaseSerializer)
    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(self.row_data([serializer.instance])[0])

    def perform_update(self, serializer):
        serializer.instance = update_case(serializer.instance, **serializer.validated_data)

    def _participants_response(self, case, status_code):
        return Response(ParticipantsSerializer({"participants": sorted(
            participant_grants().filter(content_object=case).values_list("group__agency", flat=True))}).data,
            status=status_code)

    @extend_schema(request=ParticipantSerializer, responses={201: ParticipantsSerializer, 200: ParticipantsSerializer})
    @action(detail=True, methods=["post"])
    def participants(self, request, pk=None):
        """Add an agency to the case: grants that agency its slice of the case."""
        case = self.get_object()
        body = ParticipantSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        added = add_participant(case, body.validated_data["agency"])
        return self._participants_response(case, status.HTTP_201_CREATED if added else status.HTTP_200_OK)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"participants/(?P<agency_id>[0-9]+)")
    def remove_participant(self, request, pk=None, agency_id=None):
        """Remove an agency from the case: revokes its slice of the case."""
        case = self.get_object()
        agency = get_object_or_404(Agency, pk=agency_id)
        if not remove_participant(case, agency):
            return Response({"detail": "That agency is not on this case."}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VictimHistoryViewSet(mixins.ListModelMixin, NestedSliceViewSet):
    """The case victim's history of details: each value the case's record took, the
    earlier one, who wrote it, from which referral, when. Participants see the fields
    the case shows them; coordinators and chairs every field, except that the safe
    contact's history (safe_contact, do_not_contact_via, do_not_contact_note) is shown
    only to a caller who may see the safe contact on the case (case.view_safe_contact)."""

    slice_object = VICTIM_HISTORY
    queryset = VictimDetailChange.objects.all()
    serializer_class = VictimHistorySerializer
    filterset_fields = ["field"]


class ResearchViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, NestedSliceViewSet):
    """Research contributions on a case: agency-only unless shared with the MARAC."""

    slice_object = RESEARCH
    queryset = ResearchContribution.objects.all()
    serializer_class = ResearchSerializer
    filterset_fields = ["shared_with_marac", "agency"]

    def perform_create(self, serializer):
        membership = self.request.user.membership
        serializer.instance = add_research(case=self.get_slice_parent(), agency=membership.agency,
                                           author=self.request.user, **serializer.validated_data)


class IncidentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, NestedSliceViewSet):
    """The case's incident log: police and advocacy participants."""

    slice_object = INCIDENT
    queryset = Incident.objects.all()
    serializer_class = IncidentSerializer
    filterset_fields = ["behaviour"]

    def perform_create(self, serializer):
        membership = self.request.user.membership
        serializer.instance = record_incident(case=self.get_slice_parent(), agency=membership.agency,
                                              recorded_by=self.request.user, **serializer.validated_data)
