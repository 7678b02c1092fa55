"""The risk checklists as clients need them to build a form: question numbers, our own
short labels and the scoring thresholds. Not case data, so not audited."""

import hashlib
import json

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from marac.referrals.checklists import CHECKLISTS, Checklist
from marac.referrals.models import ChecklistTool


class ChecklistQuestionSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The question's number on the published form; "
                                                "answers are keyed by it as a string (\"14\").")
    label = serializers.CharField(help_text="Our short label (never the published wording).")


class ChecklistThresholdsSerializer(serializers.Serializer):
    high = serializers.IntegerField(help_text="A score at or above this is high risk.")
    medium = serializers.IntegerField(help_text="A score at or above this (and below high) is medium risk.")


class ChecklistSerializer(serializers.Serializer):
    tool = serializers.ChoiceField(choices=ChecklistTool.choices)
    name = serializers.CharField()
    questions = ChecklistQuestionSerializer(many=True, help_text="In the published question order.")
    thresholds = ChecklistThresholdsSerializer(allow_null=True,
                                               help_text="Null for a checklist that is not graded (S-DASH).")


def checklist_data(checklist: Checklist) -> dict:
    return {"tool": checklist.tool, "name": checklist.name,
            "questions": [{"number": int(number), "label": label} for number, label in checklist.labels.items()],
            "thresholds": checklist.thresholds}


class ChecklistViewSet(viewsets.ViewSet):
    """The DASH and S-DASH checklists (any signed-in user)."""

    permission_classes = [IsAuthenticated]
    lookup_field = "tool"

    @extend_schema(responses=ChecklistSerializer(many=True))
    def list(self, request):
        return Response([checklist_data(checklist) for checklist in CHECKLISTS.values()])

    @extend_schema(responses=ChecklistSerializer,
                   parameters=[OpenApiParameter("tool", str, OpenApiParameter.PATH, enum=sorted(CHECKLISTS))])
    def retrieve(self, request, tool=None):
        if tool not in CHECKLISTS:
            raise Http404
        data = checklist_data(CHECKLISTS[tool])
        # The checklist's version, like every single-object read's ETag.
        version = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:40]
        return Response(data, headers={"ETag": f'"{version}"'})
