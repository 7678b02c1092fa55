from rest_framework import serializers

from marac.cases.models import Case
from marac.support.models import SupportPlan, SupportPlanChange, SupportPlanStatus

from ..fields import SlicedPrimaryKeyRelatedField
from ..serializers import StrictModelSerializer


class SupportPlanSerializer(StrictModelSerializer):
    case = SlicedPrimaryKeyRelatedField(slice_target="case", queryset=Case.objects.all())
    needs = serializers.ListField(child=serializers.CharField(max_length=500), required=False, default=list)
    safety_measures = serializers.ListField(child=serializers.CharField(max_length=500), required=False, default=list)
    status = serializers.ChoiceField(choices=SupportPlanStatus.choices, default=SupportPlanStatus.ACTIVE)

    class Meta:
        model = SupportPlan
        fields = ["id", "case", "agency", "needs", "safety_measures", "goals", "next_review", "status", "created_by",
                  "created_at", "updated_at"]
        read_only_fields = ["id", "agency", "created_by", "created_at", "updated_at"]

    def validate(self, attrs):
        if self.instance is not None and "case" in self.initial_data:
            raise serializers.ValidationError({"case": ["A plan stays with its case."]})
        return attrs


class SupportPlanChangeSerializer(serializers.ModelSerializer):
    changes = serializers.DictField(help_text="{field: [before, after]}")

    class Meta:
        model = SupportPlanChange
        fields = ["id", "changes", "by", "at"]
        read_only_fields = fields
