"""A transfer as each MARAC is shown it. The sending MARAC keeps its record of the
transfer (who asked, the note, who decided); the receiving MARAC gets a summary of the
case, enough to decide and nothing more. Which one a row gets is the policy's choice
(`transfer.view_record`, `transfer.view_summary`: api.rowslice), never an `if`."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from marac.maracs.models import Marac
from marac.meetings.models import Meeting
from marac.transfers.models import CaseTransfer, TransferReason, TransferStatus

from ..fields import DateField, SlicedPrimaryKeyRelatedField
from ..serializers import StrictSerializer

RISK_LEVELS = ["high", "medium", "standard", "not_graded"]
SENDING_ONLY = " The sending MARAC's coordinators and chairs only (policy row transfer.view_record)."
RECEIVING_ONLY = " The receiving MARAC's coordinators and chairs only (policy row transfer.view_summary)."


class NewTransferSerializer(StrictSerializer):
    """POST /cases/{id}/transfers/: the sending coordinator's request."""

    to_marac = serializers.PrimaryKeyRelatedField(queryset=Marac.objects.all(),
                                                  help_text="The MARAC of the area the victim moved to.")
    reason = serializers.ChoiceField(choices=TransferReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text="Required when the reason is `other`.")


class AcceptTransferSerializer(StrictSerializer):
    meeting = SlicedPrimaryKeyRelatedField(
        slice_target="meeting", queryset=Meeting.objects.all(), required=False, allow_null=True,
        help_text="One of the receiving MARAC's meetings: the case is listed on its agenda and its open actions "
                  "carried over. Not given: the receiving MARAC's next meeting (today or later, not closed), if any.")


class DeclineTransferSerializer(StrictSerializer):
    reason = serializers.CharField(help_text="Why the receiving MARAC declines the transfer.")


class TransferVictimSerializer(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = DateField()


class TransferBaseSerializer(serializers.ModelSerializer):
    """What both MARACs see of a transfer."""

    reference = serializers.CharField(source="case.reference", read_only=True, help_text="The case's reference.")
    from_marac_name = serializers.CharField(source="from_marac.name", read_only=True)
    to_marac_name = serializers.CharField(source="to_marac.name", read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = CaseTransfer
        fields = ["id", "reference", "status", "reason", "from_marac", "from_marac_name", "to_marac", "to_marac_name",
                  "requested_at", "decided_at", "decline_reason", "meeting"]
        read_only_fields = fields


class TransferRecordSerializer(TransferBaseSerializer):
    """The sending MARAC's record: also the case, the note and who asked and decided."""

    class Meta(TransferBaseSerializer.Meta):
        fields = [*TransferBaseSerializer.Meta.fields, "case", "note", "requested_by", "decided_by"]
        read_only_fields = fields


class TransferSummarySerializer(TransferBaseSerializer):
    """The receiving MARAC's summary: the victim's name and date of birth, the risk level
    and the number of open actions."""

    victim = TransferVictimSerializer(source="case.victim", read_only=True)
    risk_level = serializers.ChoiceField(choices=RISK_LEVELS, read_only=True)
    open_action_count = serializers.IntegerField(read_only=True)

    class Meta(TransferBaseSerializer.Meta):
        fields = [*TransferBaseSerializer.Meta.fields, "victim", "risk_level", "open_action_count"]
        read_only_fields = fields


class TransferRecordAndSummarySerializer(TransferSummarySerializer):
    """For a coordinator or chair serving both MARACs."""

    class Meta(TransferBaseSerializer.Meta):
        fields = [*TransferSummarySerializer.Meta.fields, "case", "note", "requested_by", "decided_by"]
        read_only_fields = fields


@extend_schema_serializer(component_name="CaseTransfer")
class TransferSchemaSerializer(TransferBaseSerializer):
    """Documentation only: a transfer as served. Rows are field-sliced by side, so one
    schema with each side's fields optional."""

    status = serializers.ChoiceField(choices=TransferStatus.choices)
    reason = serializers.ChoiceField(choices=TransferReason.choices)
    case = serializers.IntegerField(required=False, help_text="The case's id." + SENDING_ONLY)
    note = serializers.CharField(required=False, help_text="The sending coordinator's note." + SENDING_ONLY)
    requested_by = serializers.IntegerField(required=False, help_text="The coordinator who asked." + SENDING_ONLY)
    decided_by = serializers.IntegerField(required=False, allow_null=True,
                                          help_text="The receiving coordinator who decided." + SENDING_ONLY)
    victim = TransferVictimSerializer(required=False, help_text="The victim's name and date of birth." + RECEIVING_ONLY)
    risk_level = serializers.ChoiceField(choices=RISK_LEVELS, required=False,
                                         help_text="The case's current risk level." + RECEIVING_ONLY)
    open_action_count = serializers.IntegerField(required=False,
                                                 help_text="The case's incomplete actions." + RECEIVING_ONLY)

    class Meta(TransferBaseSerializer.Meta):
        fields = [*TransferBaseSerializer.Meta.fields, "case", "note", "requested_by", "decided_by", "victim",
                  "risk_level", "open_action_count"]
        read_only_fields = [*TransferBaseSerializer.Meta.fields]


TRANSFER_ROW_SERIALIZERS = [
    (("view_record", "view_summary"), TransferRecordAndSummarySerializer),
    ("view_record", TransferRecordSerializer),
    ("view_summary", TransferSummarySerializer),
]
