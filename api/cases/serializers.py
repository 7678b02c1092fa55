from rest_framework import serializers

from marac.agencies.models import Agency
from marac.cases.models import Behaviour, Case, Gender, Incident, Relationship, ResearchContribution

from ..serializers import StrictModelSerializer, StrictSerializer


class VictimSummarySerializer(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = serializers.DateField()
    gender = serializers.ChoiceField(choices=Gender.choices)
    postcode = serializers.CharField()


class PerpetratorSummarySerializer(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    relationship = serializers.ChoiceField(choices=Relationship.choices)


class CaseSerializer(serializers.ModelSerializer):
    victim = VictimSummarySerializer(read_only=True)
    perpetrator = PerpetratorSummarySerializer(read_only=True)
    participants = serializers.SerializerMethodField(help_text="Ids of the agencies on the case.")

    class Meta:
        model = Case
        fields = ["id", "reference", "victim", "perpetrator", "children_in_household", "risk_score", "is_repeat",
                  "stalking", "summary", "status", "participants", "created_at"]
        read_only_fields = fields

    def get_participants(self, case) -> list[int]:
        # Filled by the viewset's Prefetch of the participant grants: no query per row.
        return sorted(grant.agency_pk for grant in case.participant_grants)


class CaseUpdateSerializer(StrictModelSerializer):
    """PATCH /cases/{id}/ (coordinator). Answers with the full case."""

    class Meta:
        model = Case
        fields = ["status", "summary", "stalking", "children_in_household"]
        extra_kwargs = {"children_in_household": {"max_value": 30}}

    def to_representation(self, instance):
        return CaseSerializer(instance, context=self.context).data


class ParticipantSerializer(StrictSerializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())


class ParticipantsSerializer(serializers.Serializer):
    participants = serializers.ListField(child=serializers.IntegerField())


class ResearchSerializer(StrictModelSerializer):
    class Meta:
        model = ResearchContribution
        fields = ["id", "case", "agency", "author", "summary", "shared_with_marac", "withheld_note", "created_at"]
        read_only_fields = ["id", "case", "agency", "author", "created_at"]
        extra_kwargs = {"shared_with_marac": {"required": True}}


class IncidentSerializer(StrictModelSerializer):
    behaviour = serializers.ChoiceField(choices=Behaviour.choices,
                                        help_text="A stalking behaviour of s.2A(3) PHA 1997, or other.")

    class Meta:
        model = Incident
        fields = ["id", "case", "occurred_at", "behaviour", "description", "witnesses", "evidence", "agency",
                  "recorded_by", "created_at"]
        read_only_fields = ["id", "case", "agency", "recorded_by", "created_at"]
