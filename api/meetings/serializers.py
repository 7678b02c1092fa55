from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from marac.agencies.models import Agency, Role
from marac.cases.models import Case
from marac.maracs.models import Marac
from marac.meetings.models import (
    INCOMPLETE_ACTION_STATUSES,
    Action,
    ActionCarryOver,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    CarryOverReason,
    Meeting,
    MeetingPack,
    MeetingStatus,
    PackStatus,
)

from ..fields import DateField, DateTimeField, SlicedPrimaryKeyRelatedField
from ..serializers import StrictSerializer

User = get_user_model()


def chairs():
    return User.objects.filter(membership__role=Role.CHAIR, is_active=True)


class MeetingSummarySerializer(serializers.ModelSerializer):
    """What an agency on one of the meeting's cases sees of the meeting."""

    class Meta:
        model = Meeting
        fields = ["id", "marac", "date", "chair", "status"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    """The full meeting with its minutes: coordinators and chairs."""

    agencies_present = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    apologies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "marac", "date", "chair", "status", "agencies_present", "apologies", "minutes",
                  "confidentiality_statement", "created_by", "created_at", "updated_at"]
        read_only_fields = fields


@extend_schema_serializer(component_name="Meeting")
class MeetingSchemaSerializer(serializers.Serializer):
    """Documentation only: the shape of a meeting as served. Rows are field-sliced
    (policy `meeting.view_minutes`), so the minutes fields are optional here."""

    id = serializers.IntegerField()
    marac = serializers.IntegerField(help_text="The MARAC holding the meeting: only its cases go on the agenda.")
    date = DateField()
    chair = serializers.IntegerField(help_text="The chair's user id.")
    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    agencies_present = serializers.ListField(child=serializers.IntegerField(), required=False,
                                             help_text="Coordinators and chairs only.")
    apologies = serializers.ListField(child=serializers.IntegerField(), required=False,
                                      help_text="Coordinators and chairs only.")
    minutes = serializers.CharField(required=False, help_text="Coordinators and chairs only.")
    confidentiality_statement = serializers.CharField(required=False, help_text="Coordinators and chairs only.")
    created_by = serializers.IntegerField(required=False, help_text="Coordinators and chairs only.")
    created_at = DateTimeField(required=False, help_text="Coordinators and chairs only.")
    updated_at = DateTimeField(required=False, help_text="Coordinators and chairs only.")


class MeetingCreateSerializer(StrictSerializer):
    marac = serializers.PrimaryKeyRelatedField(
        queryset=Marac.objects.all(), required=False,
        help_text="The MARAC holding the meeting, one the coordinator serves. Required when more than one MARAC is "
                  "active; not sent, the only active one.")
    date = DateField()
    chair = serializers.PrimaryKeyRelatedField(queryset=chairs(), help_text="A user with the chair role.",
                                               error_messages={"does_not_exist": "No chair with id {pk_value}."})


class MeetingUpdateSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=MeetingStatus.choices, required=False,
                                     help_text="Forward only: scheduled, held, closed.")
    date = DateField(required=False)
    chair = serializers.PrimaryKeyRelatedField(queryset=chairs(), required=False)
    minutes = serializers.CharField(required=False, allow_blank=True)
    agencies_present = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), many=True, required=False)
    apologies = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), many=True, required=False)


class AgendaItemSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="case.reference", read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "case", "reference", "position", "added_at"]
        read_only_fields = fields


class AgendaItemCreateSerializer(StrictSerializer):
    case = SlicedPrimaryKeyRelatedField(slice_target="case", queryset=Case.objects.all())


class PackSerializer(serializers.ModelSerializer):
    pdf = serializers.SerializerMethodField(help_text="Download link once ready.")
    json = serializers.SerializerMethodField(help_text="Download link once ready.")
    signed = serializers.BooleanField(read_only=True,
                                      help_text="The meeting's chair signed off this build's content.")
    fingerprint = serializers.CharField(read_only=True, help_text="SHA-256 of the pack's content.")

    class Meta:
        model = MeetingPack
        fields = ["id", "meeting", "status", "reason", "pdf", "json", "generated_at", "requested_at", "requested_by",
                  "fingerprint", "signed", "signed_off_by", "signed_off_at"]
        read_only_fields = fields

    def _link(self, pack, kind) -> str | None:
        if pack.status != PackStatus.READY:
            return None
        from django.urls import reverse

        url = reverse(f"meeting-pack-{kind}", args=[pack.meeting_id])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_pdf(self, pack) -> str | None:
        return self._link(pack, "pdf")

    def get_json(self, pack) -> str | None:
        return self._link(pack, "json")


class ActionUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionUpdate
        fields = ["id", "by", "agency", "at", "status_from", "status_to", "note"]
        read_only_fields = fields


class ActionCarryOverSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionCarryOver
        fields = ["id", "meeting", "reason", "note", "recorded_by", "recorded_at", "carried_at"]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField(help_text="Past its due date and not done or cancelled.")
    updates = ActionUpdateSerializer(many=True, read_only=True, help_text="Every update, oldest first.")
    carry_overs = ActionCarryOverSerializer(many=True, read_only=True,
                                            help_text="Later meetings it carried into, and why.")

    class Meta:
        model = Action
        fields = ["id", "case", "meeting", "description", "owner_agency", "due_date", "status", "overdue",
                  "created_by", "created_at", "updated_at", "updates", "carry_overs"]
        read_only_fields = fields

    def get_overdue(self, action) -> bool:
        return action.status in INCOMPLETE_ACTION_STATUSES and action.due_date < timezone.localdate()


class ActionCreateSerializer(StrictSerializer):
    case = SlicedPrimaryKeyRelatedField(slice_target="case", queryset=Case.objects.all())
    meeting = SlicedPrimaryKeyRelatedField(slice_target="meeting", queryset=Meeting.objects.all())
    description = serializers.CharField()
    owner_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(),
                                                      help_text="Must be a participant of the case.")
    due_date = DateField()


class ActionChangeSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    update = serializers.CharField(required=False, allow_blank=True, help_text="A progress note, kept in the history.")


class CarryOverSerializer(StrictSerializer):
    meeting = SlicedPrimaryKeyRelatedField(slice_target="meeting", queryset=Meeting.objects.all(),
                                           help_text="The later meeting the action carried into.")
    reason = serializers.ChoiceField(choices=CarryOverReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
