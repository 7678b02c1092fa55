"""GET /api/v1/reports/{data-return,spo-performance,actions}/: the figures of
marac.reports.figures for one subject (a MARAC or a police force) and a period, as JSON
or CSV (`Accept: text/csv` or `?format=csv`; small counts suppressed). Who may see which
report is the policy's `report` row, read against the subject (its `subjects`): the
permission class answers 403 to a role without the row, the slice's filter 404 for a
subject outside the caller's reach; each read is audited as a view of the subject."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response

from marac.agencies.models import Agency, AgencyKind
from marac.maracs.models import Marac
from marac.reports import figures
from permissions.policy import REPORT

from ..renderers import CSVRenderer, JSONRenderer
from ..viewsets import SliceViewSet
from .serializers import ForceReportQuerySerializer, MaracReportQuerySerializer, ReportSerializer


def _parameters(subject: str, description: str):
    return [
        OpenApiParameter(subject, OpenApiTypes.INT, required=True, description=description),
        OpenApiParameter("from", OpenApiTypes.DATE, description="First day of the period (both or neither of from "
                                                                 "and to; default: the last complete quarter)."),
        OpenApiParameter("to", OpenApiTypes.DATE, description="Last day of the period, included."),
    ]


def _responses():
    return {(200, "application/json"): ReportSerializer,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description=CSV)}


CSV = ("JSON, or CSV with `Accept: text/csv` or `?format=csv`: one line per figure (the actions report first one "
       "per agency); in the CSV only, a count from 1 to 4 is written \"fewer than 5\" and its share left blank.")


class ReportViewSet(SliceViewSet):
    """One report: its row in slice_actions names the policy action (a role without it
    is 403); `queryset` its subjects (by default: MARACs), the one the query serializer's
    `subject` parameter names looked up like any object (404 outside the caller's reach)."""

    slice_object = REPORT
    queryset = Marac.objects.all()
    query_serializer = MaracReportQuerySerializer
    compute = None
    renderer_classes = [JSONRenderer, CSVRenderer]
    pagination_class = None

    def report_view(self, request, *args, **kwargs):
        query = self.query_serializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        self.kwargs[self.lookup_field] = query.validated_data[self.query_serializer.subject]  # in the query, not the path
        subject = self.get_object()  # audited as a view of the subject
        start, end = ((query.validated_data["from"], query.validated_data["to"]) if "from" in query.validated_data
                      else figures.last_complete_quarter())
        return Response(type(self).compute(subject, start, end).as_dict())


@extend_schema(parameters=_parameters("marac", "The MARAC (its coordinators and chairs only)."),
               responses=_responses(), summary="The SafeLives MARAC data return")
class DataReturnViewSet(ReportViewSet):
    """The MARAC data return for a MARAC and a period: cases discussed, repeats,
    referrals by agency kind, children, victims' protected characteristics, each beside
    SafeLives' recommended value where one exists (settings.MARAC_RECOMMENDED). JSON, or
    CSV with `Accept: text/csv` or `?format=csv` (counts of 1 to 4 written "fewer than 5")."""

    slice_actions = {"report_view": "data_return"}
    audit_object_type = "marac"
    compute = staticmethod(figures.data_return)


@extend_schema(parameters=_parameters("agency", "The police force (its own officers and managers, and the "
                                                "coordinators and chairs of MARACs it sits on)."),
               responses=_responses(), summary="SPO and breach performance of a police force")
class SpoPerformanceViewSet(ReportViewSet):
    """SPO requests, orders, breaches and overdue notifications for a police force. JSON,
    or CSV with `Accept: text/csv` or `?format=csv` (counts of 1 to 4 written "fewer than 5")."""

    slice_actions = {"report_view": "spo_performance"}
    queryset = Agency.objects.filter(kind=AgencyKind.POLICE)
    query_serializer = ForceReportQuerySerializer
    audit_object_type = "agency"
    compute = staticmethod(figures.spo_performance)


@extend_schema(parameters=_parameters("marac", "The MARAC (its coordinators and chairs only)."),
               responses=_responses(), summary="Actions per agency")
class ActionsReportViewSet(ReportViewSet):
    """Per owning agency, the actions agreed at the MARAC's meetings in the period. JSON,
    or CSV with `Accept: text/csv` or `?format=csv` (counts of 1 to 4 written "fewer than 5")."""

    slice_actions = {"report_view": "actions"}
    audit_object_type = "marac"
    compute = staticmethod(figures.actions_report)
