"""The reports' query parameters and answers (documentation of the JSON shape; the
figures themselves come from marac.reports.figures)."""

from rest_framework import serializers

from ..fields import DateField
from ..filters import BIGGEST
from ..serializers import StrictSerializer


class ReportQuerySerializer(StrictSerializer):
    """?from=&to= (both days included); without them, the last complete quarter. A
    subclass names the subject's parameter (`subject`)."""

    subject = "marac"
    from_ = DateField(required=False, help_text="First day of the period (default: the last complete quarter's).")
    to = DateField(required=False, help_text="Last day of the period (default: the last complete quarter's).")
    format = serializers.ChoiceField(choices=["json", "csv"], required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields[self.subject] = serializers.IntegerField(min_value=1, max_value=BIGGEST)
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, attrs):
        if "from" in attrs and "to" in attrs and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": ["The period ends before it starts: to is before from."]})
        if ("from" in attrs) != ("to" in attrs):
            missing = "to" if "from" in attrs else "from"
            raise serializers.ValidationError({missing: ["Send both from and to, or neither (the last quarter)."]})
        return attrs


class MaracReportQuerySerializer(ReportQuerySerializer):
    subject = "marac"


class ForceReportQuerySerializer(ReportQuerySerializer):
    subject = "agency"


class ReportSubjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The figure's name (README, Reports).")
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="A count (unit count), or days or hours; null when "
                                                               "there is nothing to measure (a median of nothing).")
    unit = serializers.ChoiceField(choices=["count", "days", "hours"])
    share = serializers.FloatField(allow_null=True, help_text="The count as a fraction of the report's base "
                                                              "(cases discussed, referrals, requests...); null when "
                                                              "it has none.")
    recommended_min = serializers.FloatField(allow_null=True, help_text="SafeLives' recommended lowest value (a "
                                                                        "share, or a count for volume); null: none.")
    recommended_max = serializers.FloatField(allow_null=True, help_text="SafeLives' recommended highest value.")


class AgencyActionsSerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    agency_name = serializers.CharField()
    agency_kind = serializers.CharField()
    owned = serializers.IntegerField()
    completed_on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    carried_over_did_not_act = serializers.IntegerField()


class ReportSerializer(serializers.Serializer):
    report = serializers.ChoiceField(choices=["data_return", "spo_performance", "actions"])
    subject = ReportSubjectSerializer(help_text="The MARAC (data return, actions) or police force (SPO performance).")
    from_ = DateField()
    to = DateField()
    figures = FigureSerializer(many=True)
    rows = AgencyActionsSerializer(many=True, help_text="The actions report: one row per owning agency; else empty.")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields
