from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from marac.cases.models import Case
from marac.support.models import SupportPlan, SupportPlanChange, SupportPlanStatus
from marac.support.services import ENTRY_MAX_LENGTH

from ..fields import SlicedPrimaryKeyRelatedField
from ..serializers import StrictModelSerializer


class SupportPlanSerializer(StrictModelSerializer):
    case = SlicedPrimaryKeyRelatedField(slice_target="case", queryset=Case.objects.all())
    needs = serializers.ListField(child=serializers.CharField(max_length=ENTRY_MAX_LENGTH), required=False,
                                  default=list)
    safety_measures = serializers.ListField(child=serializers.CharField(max_length=ENTRY_MAX_LENGTH), required=False,
                                            default=list)
    status = serializers.ChoiceField(choices=SupportPlanStatus.choices, default=SupportPlanStatus.ACTIVE)

    class Meta:
        model = SupportPlan
        fields = ["id", "case", "agency", "needs", "safety_measures", "goals", "next_review", "status", "created_by",
                  "created_at", "updated_at"]
        read_only_fields = ["id", "agency", "created_by", "created_at", "updated_at"]


@extend_schema_serializer(component_name="SupportPlan")  # documented as PatchedSupportPlanRequest: only PATCH uses it
class SupportPlanUpdateSerializer(SupportPlanSerializer):
    """A PATCH body: no defaults (leaving `status` out never reopens a closed plan) and
    no `case`. Answers with the whole plan."""

    case = None
    needs = serializers.ListField(child=serializers.CharField(max_length=ENTRY_MAX_LENGTH), required=False)
    safety_measures = serializers.ListField(child=serializers.CharField(max_length=ENTRY_MAX_LENGTH), required=False)
    status = serializers.ChoiceField(choices=SupportPlanStatus.choices, required=False)
    fixed_fields = {"case": "A plan stays with its case."}

    class Meta(SupportPlanSerializer.Meta):
        fields = [f for f in SupportPlanSerializer.Meta.fields if f != "case"]

    def to_representation(self, instance):
        return SupportPlanSerializer(instance, context=self.context).data


class SupportPlanChangeSerializer(serializers.ModelSerializer):
    changes = serializers.DictField(help_text="{field: [before, after]}")

    class Meta:
        model = SupportPlanChange
        fields = ["id", "changes", "by", "at"]
        read_only_fields = fields
