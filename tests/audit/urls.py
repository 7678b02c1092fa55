"""A viewset shaped like the meeting-pack endpoints of another branch, to prove the base
viewset's audit hook for custom actions (downloads)."""

from django.urls import include, path
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from api.cases.serializers import CaseSerializer
from api.cases.views import cases_with_participants
from api.viewsets import SliceViewSet


class PackLikeViewSet(mixins.RetrieveModelMixin, SliceViewSet):
    slice_target = "case"
    slice_actions = {"download": "view", "files": "view"}
    audit_actions = {"download": "download", "files": None}
    queryset = cases_with_participants()
    serializer_class = CaseSerializer

    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        case = self.get_object()
        return Response({"file": f"pack-{case.pk}.pdf"})

    @action(detail=True, methods=["get"])
    def files(self, request, pk=None):
        case = self.get_object()
        self.audit("download", [case.pk], object_type="meeting_pack_pdf")
        self.audit("download", [case.pk], object_type="meeting_pack_json")
        return Response({"files": 2})


router = SimpleRouter()
router.register("packlike", PackLikeViewSet, basename="packlike")
urlpatterns = [path("", include(router.urls)), path("api/v1/", include("api.urls"))]
