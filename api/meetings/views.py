from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from marac.meetings.models import (
    INCOMPLETE_ACTION_STATUSES,
    Action,
    ActionCarryOver,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    Meeting,
    MeetingPack,
    MeetingStatus,
    PackStatus,
)
from marac.meetings.packs import request_pack, sign_off_pack
from marac.meetings.services import (
    add_to_agenda,
    create_action,
    create_meeting,
    record_carry_over,
    update_action,
    update_meeting,
)
from permissions.policy import ACTION, AGENDA_ITEM, MEETING, PACK

from ..rowslice import RowSlicedMixin
from ..viewsets import NestedSliceViewSet, SliceViewSet
from .serializers import (
    ActionChangeSerializer,
    ActionCreateSerializer,
    ActionSerializer,
    AgendaItemCreateSerializer,
    AgendaItemSerializer,
    CarryOverSerializer,
    MeetingCreateSerializer,
    MeetingSchemaSerializer,
    MeetingSerializer,
    MeetingSummarySerializer,
    MeetingUpdateSerializer,
    PackSerializer,
)


class PdfRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; errors are still JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else JSONRenderer().render(data)


class MeetingFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=MeetingStatus.choices)
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields = ["status", "date_from", "date_to"]


@extend_schema_view(
    list=extend_schema(responses=MeetingSchemaSerializer,
                       description="Meetings in the caller's slice: agencies see the meetings listing a case "
                                   "they are on (date, chair, status only); coordinators and chairs see all, "
                                   "with attendance and minutes."),
    retrieve=extend_schema(responses=MeetingSchemaSerializer),
)
class MeetingViewSet(RowSlicedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, SliceViewSet):
    """MARAC meetings. Coordinators create them; coordinators and chairs record
    status, attendance and minutes; the chair and coordinators generate the pack."""

    slice_object = MEETING
    # The pack is a sub-resource of the meeting: its rows are read against it (404 to
    # those who may not see packs, 403 to those who may see but not do this).
    slice_actions = {
        "pack": {"get": (PACK, "view"), "post": (PACK, "create")},
        "pack_sign_off": (PACK, "sign_off"),
        "pack_pdf": (PACK, "view"),
        "pack_json": (PACK, "view"),
    }
    audit_actions = {"pack_pdf": "download", "pack_json": "download"}
    queryset = Meeting.objects.prefetch_related("agencies_present", "apologies")
    # Attendance, apologies and minutes per row where `meeting.view_minutes` allows.
    serializer_class = MeetingSummarySerializer
    row_serializers = [("view_minutes", MeetingSerializer)]
    filterset_class = MeetingFilter

    def get_serializer_class(self):
        # The create's body (its `marac` is the parent the permission class reads).
        return MeetingCreateSerializer if self.action == "create" else super().get_serializer_class()

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSchemaSerializer})
    def create(self, request):
        """Schedule a meeting (coordinators, of a MARAC they serve)."""
        body = MeetingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = create_meeting(by=request.user, **body.validated_data)
        return Response(MeetingSerializer(meeting, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=MeetingUpdateSerializer, responses=MeetingSchemaSerializer)
    def partial_update(self, request, pk=None):
        """Status (scheduled -> held -> closed), attendance and minutes. Closing needs
        minutes and the agencies present; a closed meeting no longer changes."""
        meeting = self.get_object()
        body = MeetingUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = update_meeting(meeting, **body.validated_data)
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(MeetingSerializer(meeting, context=self.get_serializer_context()).data)

    # The pack (its rows are read against the meeting: see slice_actions) --------

    @extend_schema(methods=["GET"], request=None,
                   responses={200: PackSerializer, 404: OpenApiResponse(description="No pack, or not yours to see.")})
    @extend_schema(methods=["POST"], request=None,
                   responses={202: OpenApiResponse(PackSerializer, description="Pending: built in the background."),
                              200: OpenApiResponse(PackSerializer, description="Ready (built in this request, or "
                                                   "the ready pack is current), or failed with its reason.")})
    @action(detail=True, methods=["get", "post"])
    def pack(self, request, pk=None):
        """POST: build the meeting pack (chair, coordinators). The answer is the pack's
        real status: 202 while it is built in the background (while one is pending no
        second build starts), 200 once it is ready (built in the request when there is no
        broker; or nothing changed since the last ready pack). GET: the latest pack's
        status, sign-off and download links."""
        if request.method == "POST":
            meeting = self.get_object()
            pack, _ = request_pack(meeting, by=request.user)
            code = status.HTTP_202_ACCEPTED if pack.status == PackStatus.PENDING else status.HTTP_200_OK
            return Response(PackSerializer(pack, context=self.get_serializer_context()).data, status=code)
        meeting = self.get_object()
        pack = meeting.packs.first()
        if pack is None:
            return Response({"detail": "No pack has been requested for this meeting."},
                            status=status.HTTP_404_NOT_FOUND)
        return Response(PackSerializer(pack, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={200: PackSerializer,
                                            404: OpenApiResponse(description="No pack, or not yours to see.")})
    @action(detail=True, methods=["post"], url_path="pack/sign-off", url_name="pack-sign-off")
    def pack_sign_off(self, request, pk=None):
        """The meeting's chair signs off its latest pack, against the pack's content
        fingerprint (other chairs and coordinators 403). A later build with changed
        content is unsigned until signed off again. 400 while the latest build is not ready."""
        meeting = self.get_object()
        try:
            pack = sign_off_pack(meeting, by=request.user)
        except MeetingPack.DoesNotExist:
            raise Http404 from None
        return Response(PackSerializer(pack, context=self.get_serializer_context()).data)

    def _download(self, field: str, content_type: str):
        meeting = self.get_object()
        pack = meeting.packs.filter(status=PackStatus.READY).first()
        if pack is None or not getattr(pack, field):
            raise Http404
        name = getattr(pack, field).name
        return FileResponse(default_storage.open(name, "rb"), as_attachment=True, content_type=content_type,
                            filename=f"marac-meeting-{meeting.date:%Y-%m-%d}-pack-{pack.pk}.{field}")

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="pack/pdf", url_name="pack-pdf",
            renderer_classes=[JSONRenderer, PdfRenderer])
    def pack_pdf(self, request, pk=None):
        """The latest ready pack as PDF (chair, coordinators; 404 to everyone else)."""
        return self._download("pdf", "application/pdf")

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], url_path="pack/json", url_name="pack-json")
    def pack_json(self, request, pk=None):
        """The latest ready pack as a JSON document (chair, coordinators; 404 to everyone else)."""
        return self._download("json", "application/json")


class AgendaViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, NestedSliceViewSet):
    """A meeting's agenda. Agencies see the items of the cases they are on."""

    slice_object = AGENDA_ITEM
    parent_lookup_kwarg = "meeting_pk"
    queryset = AgendaItem.objects.select_related("case")
    serializer_class = AgendaItemSerializer
    filterset_fields = ["case"]

    @extend_schema(request=AgendaItemCreateSerializer,
                   responses={201: AgendaItemSerializer,
                              200: OpenApiResponse(AgendaItemSerializer, description="Already listed.")})
    def create(self, request, meeting_pk=None):
        """List a case (coordinators). A closed meeting is 400; its incomplete actions
        from earlier meetings carry over to this one."""
        body = AgendaItemCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        meeting = self.get_slice_parent()
        existed = AgendaItem.objects.filter(meeting=meeting, case=body.validated_data["case"]).exists()
        item = add_to_agenda(meeting, body.validated_data["case"])
        return Response(AgendaItemSerializer(item).data,
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class OverdueFilter(filters.BooleanFilter):
    def filter(self, qs, value):
        if value is None:
            return qs
        overdue = {"status__in": INCOMPLETE_ACTION_STATUSES, "due_date__lt": timezone.localdate()}
        return qs.filter(**overdue) if value else qs.exclude(**overdue)


class ActionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ActionStatus.choices)
    owner_agency = filters.NumberFilter()
    case = filters.NumberFilter()
    meeting = filters.NumberFilter()
    overdue = OverdueFilter(help_text="true: past due and not done or cancelled.")

    class Meta:
        model = Action
        fields = ["status", "owner_agency", "case", "meeting", "overdue"]


class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SliceViewSet):
    """Action plans: seen by every participant of the case; changed by the owner agency
    or a coordinator (403 to other participants); created by coordinators and chairs."""

    slice_object = ACTION
    slice_actions = {"carry_over": "record_carry_over"}
    queryset = Action.objects.prefetch_related(
        Prefetch("updates", queryset=ActionUpdate.objects.order_by("at", "id")),
        Prefetch("carry_overs", queryset=ActionCarryOver.objects.order_by("carried_at", "id")),
    )
    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        # The create's body (its `case` is the parent the permission class reads).
        return ActionCreateSerializer if self.action == "create" else ActionSerializer

    @extend_schema(request=ActionCreateSerializer, responses={201: ActionSerializer})
    def create(self, request):
        body = ActionCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        act = create_action(by=request.user, **body.validated_data)
        return Response(ActionSerializer(self.get_queryset().get(pk=act.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ActionChangeSerializer, responses=ActionSerializer)
    def partial_update(self, request, pk=None):
        """New status and/or a progress update; each is kept with who and when."""
        act = self.get_object()
        body = ActionChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        update_action(act, by=request.user, **body.validated_data)
        return Response(ActionSerializer(self.get_queryset().get(pk=act.pk)).data)

    @extend_schema(request=CarryOverSerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"], url_path="carry-over")
    def carry_over(self, request, pk=None):
        """Record why an incomplete action carried into a later meeting (coordinators):
        `circumstances_changed` or `agency_did_not_act`."""
        act = self.get_object()
        body = CarryOverSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        record_carry_over(act, by=request.user, **body.validated_data)
        return Response(ActionSerializer(self.get_queryset().get(pk=act.pk)).data)
