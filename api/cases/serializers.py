from django.conf import settings
from django.utils import timezone
from rest_framework import serializers

from marac.agencies.models import Agency
from marac.cases.models import Behaviour, Case, Gender, Incident, Relationship, ResearchContribution
from marac.cases.participants import attach_participant_ids

from ..fields import DateField
from ..serializers import StrictModelSerializer, StrictSerializer


class VictimSummarySerializer(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = DateField()
    gender = serializers.ChoiceField(choices=Gender.choices)
    postcode = serializers.CharField()


class PerpetratorSummarySerializer(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = DateField(allow_null=True)
    relationship = serializers.ChoiceField(choices=Relationship.choices)


def _iso_date(value):
    return None if value is None else value.isoformat()


def _created_at_field() -> serializers.DateTimeField:
    """How a case's `created_at` is written out: the field ModelSerializer builds for it,
    with the current time zone read once. Built once per page, so that writing a row
    neither builds the serializer's fields (a deep copy of every declared field) nor
    looks the time zone up again (a context-local read, per row)."""
    return serializers.DateTimeField(
        read_only=True, default_timezone=timezone.get_current_timezone() if settings.USE_TZ else None)


# What CaseSerializer writes, as fields the case list reads as plain rows
# (api.listing.plain_rows); its output is pinned equal to the generic walk over Cases.
CASE_ROW_FIELDS = (
    "id", "reference",
    "victim__first_name", "victim__last_name", "victim__date_of_birth", "victim__gender", "victim__postcode",
    "perpetrator__first_name", "perpetrator__last_name", "perpetrator__date_of_birth", "perpetrator__relationship",
    "children_in_household", "risk_score", "is_repeat", "stalking", "summary", "status", "created_at",
)


class CaseListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        cases = list(data.all() if hasattr(data, "all") else data)
        attach_participant_ids([case for case in cases if not hasattr(case, "participant_ids")])
        self.child.created_at_field = _created_at_field()
        return super().to_representation(cases)


class CaseSerializer(serializers.ModelSerializer):
    victim = VictimSummarySerializer(read_only=True)
    perpetrator = PerpetratorSummarySerializer(read_only=True)
    participants = serializers.SerializerMethodField(help_text="Ids of the agencies on the case.")
    created_at_field = None  # set per page by CaseListSerializer

    class Meta:
        model = Case
        fields = ["id", "reference", "victim", "perpetrator", "children_in_household", "risk_score", "is_repeat",
                  "stalking", "summary", "status", "participants", "created_at"]
        read_only_fields = fields
        list_serializer_class = CaseListSerializer

    def to_representation(self, case):
        """The same output as ModelSerializer's generic walk over the fields (pinned by
        tests/api/test_case_list_cost.py), built directly: the case list serialises 50
        of these per request, and the generic walk was a third of its time. `case` is
        a Case or, on the list, a plain row of CASE_ROW_FIELDS."""
        victim, perpetrator = case.victim, case.perpetrator
        created_at_field = self.created_at_field or _created_at_field()
        return {
            "id": case.pk,
            "reference": case.reference,
            "victim": {
                "first_name": victim.first_name,
                "last_name": victim.last_name,
                "date_of_birth": _iso_date(victim.date_of_birth),
                "gender": victim.gender,
                "postcode": victim.postcode,
            },
            "perpetrator": {
                "first_name": perpetrator.first_name,
                "last_name": perpetrator.last_name,
                "date_of_birth": _iso_date(perpetrator.date_of_birth),
                "relationship": perpetrator.relationship,
            },
            "children_in_household": case.children_in_household,
            "risk_score": case.risk_score,
            "is_repeat": case.is_repeat,
            "stalking": case.stalking,
            "summary": case.summary,
            "status": case.status,
            "participants": self.get_participants(case),
            "created_at": created_at_field.to_representation(case.created_at),
        }

    def generic_representation(self, case):
        return super().to_representation(case)

    def get_participants(self, case) -> list[int]:
        # A page gets them all in one query (CaseListSerializer): no query per row.
        if not hasattr(case, "participant_ids"):
            attach_participant_ids([case])
        return case.participant_ids


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
