from collections.abc import Mapping

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from marac.agencies.models import Agency
from marac.cases.models import Case, Perpetrator
from marac.orders.models import (
    Breach,
    BreachKind,
    BreachStatus,
    ComplianceEvent,
    ComplianceEventKind,
    NotifiableChange,
    NotifiableChangeKind,
    Order,
    OrderChange,
    OrderKind,
    OrderSource,
    OrderStatus,
    Requirement,
    RequirementKind,
    RequirementStatus,
    SpoRequest,
)

from ..fields import DateField, SlicedPrimaryKeyRelatedField
from ..serializers import StrictModelSerializer, StrictSerializer


class ProhibitionSerializer(StrictSerializer):
    text = serializers.CharField(help_text="The term, e.g. no contact by any means, including through third parties.")
    locality = serializers.CharField(required=False, allow_blank=True, default="",
                                     help_text="Blank: the term applies across the UK.")
    ends_on = DateField(required=False, allow_null=True, default=None,
                        help_text="The term's own last day; null: the order's period.")


@extend_schema_field({
    "oneOf": [
        {"type": "string", "description": "A UK-wide term with the order's own period."},
        {"type": "object", "required": ["text"], "properties": {
            "text": {"type": "string"}, "locality": {"type": "string"},
            "ends_on": {"type": "string", "format": "date", "nullable": True}}},
    ],
    "description": "On input a plain string or {text, locality?, ends_on?}; always returned as an object.",
})
class ProhibitionField(serializers.Field):
    """A term of the order: a plain string, or {text, locality, ends_on}."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = {"text": data}
        if not isinstance(data, Mapping):
            raise serializers.ValidationError("A prohibition is a string or {text, locality, ends_on}.")
        term = ProhibitionSerializer(data=data)
        term.is_valid(raise_exception=True)
        return dict(term.validated_data)

    def to_representation(self, value):
        return {"text": value["text"], "locality": value.get("locality", ""), "ends_on": value.get("ends_on")}


class OrderSerializer(StrictModelSerializer):
    case = SlicedPrimaryKeyRelatedField(slice_target="case", queryset=Case.objects.all())
    kind = serializers.ChoiceField(choices=OrderKind.choices)
    source = serializers.ChoiceField(choices=OrderSource.choices, default=OrderSource.POLICE_APPLICATION)
    status = serializers.ChoiceField(choices=OrderStatus.choices, default=OrderStatus.CONSIDERING)
    main_order = SlicedPrimaryKeyRelatedField(
        slice_target="order", queryset=Order.objects.all(), required=False, allow_null=True,
        help_text="For an interim order: the full order (main application) it bridges; it ends when that is decided.")
    defendant = serializers.PrimaryKeyRelatedField(
        queryset=Perpetrator.objects.all(), required=False, allow_null=True,
        error_messages={"does_not_exist": "The defendant must be a perpetrator of the order's case."},
        help_text="The perpetrator the order is against; by default the case's perpetrator.")
    prohibitions = serializers.ListField(child=ProhibitionField(), required=False, default=list)
    spo_request = SlicedPrimaryKeyRelatedField(
        slice_target="spo_request", queryset=SpoRequest.objects.all(), required=False, allow_null=True,
        help_text="The request for an SPO (on the same case) this order answers: recording the order, whatever its "
                  "status (considering, applied, or declined with a reason), answers the request. Fixed once set.")
    notification_due = serializers.DateField(
        read_only=True, allow_null=True,
        help_text="The last day for the initial notification (s.9): served_on + 2 days (3 days beginning with the "
                  "day of service); from register_ended_on when later; null before service, while the defendant is "
                  "exempt through the sex offenders register, and for a full order that replaces an interim order.")

    class Meta:
        model = Order
        fields = ["id", "case", "kind", "source", "status", "main_order", "defendant", "reference", "applied_on",
                  "decided_on", "conviction_or_acquittal_on", "granted_on", "served_on", "expires_on",
                  "notification_due", "notified_on", "sex_offender_register_exempt", "register_ended_on",
                  "replaces_interim", "court", "prohibitions", "decision_reason", "discharge_consent",
                  "discharged_on", "ended_on", "end_reason", "spo_request", "agency", "created_at", "updated_at"]
        read_only_fields = ["id", "replaces_interim", "ended_on", "end_reason", "agency", "created_at", "updated_at"]
        extra_kwargs = {"expires_on": {"help_text": "The last day in force; null = until further order."},
                        "discharge_consent": {"help_text": "Defendant and police both consent to discharge "
                                                           "(needed within 2 years of the order being made)."}}


@extend_schema_serializer(component_name="Order")  # documented as PatchedOrderRequest: only PATCH uses it
class OrderUpdateSerializer(OrderSerializer):
    """A PATCH body: no defaults (a field left out stays as it is) and none of the
    fields fixed when the order was recorded. Answers with the whole order."""

    case = kind = source = defendant = None
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    prohibitions = serializers.ListField(child=ProhibitionField(), required=False)
    fixed_fields = {name: "Cannot be changed once the order is recorded."
                    for name in ("case", "kind", "source", "defendant")}

    class Meta(OrderSerializer.Meta):
        fields = [f for f in OrderSerializer.Meta.fields if f not in ("case", "kind", "source", "defendant")]

    def to_representation(self, instance):
        return OrderSerializer(instance, context=self.context).data


class OrderChangeSerializer(serializers.ModelSerializer):
    changes = serializers.DictField(help_text="{field: [before, after]}")

    class Meta:
        model = OrderChange
        fields = ["id", "kind", "changes", "by", "agency", "at"]
        read_only_fields = fields


class ComplianceEventSerializer(StrictModelSerializer):
    kind = serializers.ChoiceField(choices=ComplianceEventKind.choices)

    class Meta:
        model = ComplianceEvent
        fields = ["id", "kind", "occurred_on", "details", "recorded_by", "created_at"]
        read_only_fields = ["id", "recorded_by", "created_at"]


class RequirementSerializer(StrictModelSerializer):
    """What every agency that sees a requirement sees: kind, who delivers it, dates, status."""

    kind = serializers.ChoiceField(choices=RequirementKind.choices)
    responsible_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())

    class Meta:
        model = Requirement
        fields = ["id", "order", "kind", "description", "responsible_agency", "due_date", "starts_on", "ends_on",
                  "status", "created_at", "updated_at"]
        read_only_fields = ["id", "order", "status", "created_at", "updated_at"]


class DefendantSerializer(serializers.ModelSerializer):
    """Enough to identify the person the requirement is delivered to: nothing else of the case."""

    class Meta:
        model = Perpetrator
        fields = ["first_name", "last_name", "date_of_birth"]
        read_only_fields = fields


class RequirementOrderSerializer(serializers.ModelSerializer):
    """The order a requirement belongs to: its reference and period (no victim, no case)."""

    class Meta:
        model = Order
        fields = ["id", "reference", "kind", "status", "granted_on", "expires_on", "ended_on"]
        read_only_fields = fields


class RequirementWithNotesSerializer(RequirementSerializer):
    """For police on the case and the responsible agency: also the private notes, the
    compliance events, and who the defendant is and the order's reference and period
    (so an agency that is not on the case can identify whom it delivers the requirement to)."""

    events = ComplianceEventSerializer(many=True, read_only=True)
    defendant = DefendantSerializer(source="order.defendant", read_only=True, allow_null=True)
    order_details = RequirementOrderSerializer(source="order", read_only=True)

    class Meta(RequirementSerializer.Meta):
        fields = [*RequirementSerializer.Meta.fields, "notes", "events", "defendant", "order_details"]
        read_only_fields = [*RequirementSerializer.Meta.read_only_fields, "notes", "events", "defendant",
                            "order_details"]


@extend_schema_serializer(component_name="RequirementView")
class RequirementViewSchemaSerializer(RequirementSerializer):
    """Documentation only: a requirement as served. Rows are field-sliced (policy
    `requirement.view_notes`), so one schema with the private fields optional: every
    answer matches exactly it, with or without notes."""

    notes = serializers.CharField(required=False, help_text="Police on the case and the responsible agency only.")
    events = ComplianceEventSerializer(many=True, required=False,
                                       help_text="Police on the case and the responsible agency only.")
    defendant = DefendantSerializer(required=False, allow_null=True,
                                    help_text="Police on the case and the responsible agency only.")
    order_details = RequirementOrderSerializer(required=False,
                                               help_text="Police on the case and the responsible agency only.")

    class Meta(RequirementSerializer.Meta):
        fields = [*RequirementSerializer.Meta.fields, "notes", "events", "defendant", "order_details"]


class RequirementUpdateSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=RequirementStatus.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class BreachSerializer(StrictModelSerializer):
    kind = serializers.ChoiceField(
        choices=BreachKind.choices, default=BreachKind.PROHIBITION,
        help_text="What was breached: a prohibition, a positive requirement, or the notification requirements "
                  "(failing to notify, SPA s.9/s.11).")
    requirement = serializers.PrimaryKeyRelatedField(
        queryset=Requirement.objects.all(), required=False, allow_null=True,
        error_messages={"does_not_exist": "The requirement named must be one of this order's."},
        help_text="For a requirement breach: which positive requirement.")
    response_seconds = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Seconds from the report to the first police response.")
    response_minutes = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Whole minutes from the report to the first police response.")

    class Meta:
        model = Breach
        fields = ["id", "order", "kind", "requirement", "occurred_at", "description", "status", "police_response",
                  "reporting_agency", "reported_by", "reported_at", "first_response_at", "response_seconds",
                  "response_minutes", "response_overdue_flagged_at"]
        read_only_fields = ["id", "order", "status", "police_response", "reporting_agency", "reported_by",
                            "reported_at", "first_response_at", "response_overdue_flagged_at"]


class BreachUpdateSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=BreachStatus.choices, required=False)
    police_response = serializers.CharField(required=False, allow_blank=True)


class NotifiableChangeSerializer(StrictModelSerializer):
    kind = serializers.ChoiceField(choices=NotifiableChangeKind.choices)
    due_on = DateField(
        read_only=True,
        help_text="changed_on + 2 days: within 3 days beginning with the day of the change (s.9(3)-(4)).")

    class Meta:
        model = NotifiableChange
        fields = ["id", "order", "kind", "changed_on", "due_on", "notified_on", "details", "recorded_by",
                  "created_at"]
        read_only_fields = ["id", "order", "recorded_by", "created_at"]


class NotifiableChangeUpdateSerializer(StrictSerializer):
    notified_on = DateField(required=False, allow_null=True)
    details = serializers.CharField(required=False, allow_blank=True)


class SpoRequestSerializer(StrictModelSerializer):
    """A request that police consider an SPO, and the police's answer: the order that
    names it (its status: considering, applied, granted... or declined with its reason)."""

    requested_on = DateField(help_text="The day the request was made; not in the future.")
    requested_by_victim = serializers.BooleanField(default=False, help_text="The victim herself asked.")
    order = serializers.SerializerMethodField(help_text="The order police recorded in answer; null until answered.")
    outcome = serializers.SerializerMethodField(help_text="The answering order's status; null until answered.")
    decision_reason = serializers.SerializerMethodField(
        help_text="Why police decided not to apply (the order's decision_reason); null unless declined.")

    class Meta:
        model = SpoRequest
        fields = ["id", "case", "requested_on", "requested_by_victim", "note", "agency", "requested_by",
                  "created_at", "answered_at", "response_overdue_flagged_at", "order", "outcome", "decision_reason"]
        read_only_fields = ["id", "case", "agency", "requested_by", "created_at", "answered_at",
                            "response_overdue_flagged_at"]

    @staticmethod
    def _order(request):
        return getattr(request, "order", None) if request.pk else None

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_order(self, request):
        order = self._order(request)
        return order.pk if order else None

    @extend_schema_field({"allOf": [{"$ref": "#/components/schemas/OrderStatusEnum"}], "nullable": True})
    def get_outcome(self, request):
        order = self._order(request)
        return order.status if order else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_decision_reason(self, request):
        order = self._order(request)
        return order.decision_reason if order and order.status == OrderStatus.DECLINED else None
