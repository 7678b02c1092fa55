from collections.abc import Mapping

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from marac.agencies.models import Agency
from marac.cases.models import Case
from marac.orders.models import (
    Breach,
    BreachStatus,
    ComplianceEvent,
    ComplianceEventKind,
    Order,
    OrderChange,
    OrderKind,
    OrderSource,
    OrderStatus,
    Requirement,
    RequirementKind,
    RequirementStatus,
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
    prohibitions = serializers.ListField(child=ProhibitionField(), required=False, default=list)
    notification_due = serializers.DateField(read_only=True, allow_null=True,
                                             help_text="served_on + 2 days: 3 days beginning with the day of service.")

    class Meta:
        model = Order
        fields = ["id", "case", "kind", "source", "status", "main_order", "applied_on", "granted_on", "served_on",
                  "expires_on", "notification_due", "notified_on", "sex_offender_register_exempt", "court",
                  "prohibitions", "decision_reason", "discharge_consent", "discharged_on", "ended_on", "end_reason",
                  "agency", "created_at", "updated_at"]
        read_only_fields = ["id", "ended_on", "end_reason", "agency", "created_at", "updated_at"]
        extra_kwargs = {"expires_on": {"help_text": "The last day in force; null = until further order."},
                        "discharge_consent": {"help_text": "Defendant and police both consent to discharge "
                                                           "(needed within 2 years of the order being made)."}}


@extend_schema_serializer(component_name="Order")  # documented as PatchedOrderRequest: only PATCH uses it
class OrderUpdateSerializer(OrderSerializer):
    """A PATCH body: no defaults (a field left out stays as it is) and none of the
    fields fixed when the order was recorded. Answers with the whole order."""

    case = kind = source = None
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    prohibitions = serializers.ListField(child=ProhibitionField(), required=False)
    fixed_fields = {name: "Cannot be changed once the order is recorded." for name in ("case", "kind", "source")}

    class Meta(OrderSerializer.Meta):
        fields = [f for f in OrderSerializer.Meta.fields if f not in ("case", "kind", "source")]

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
        fields = ["id", "order", "kind", "description", "responsible_agency", "due_date", "status", "created_at",
                  "updated_at"]
        read_only_fields = ["id", "order", "status", "created_at", "updated_at"]


class RequirementWithNotesSerializer(RequirementSerializer):
    """For police on the case and the responsible agency: also the private notes and
    the compliance events."""

    events = ComplianceEventSerializer(many=True, read_only=True)

    class Meta(RequirementSerializer.Meta):
        fields = [*RequirementSerializer.Meta.fields, "notes", "events"]
        read_only_fields = [*RequirementSerializer.Meta.read_only_fields, "notes", "events"]


@extend_schema_serializer(component_name="RequirementView")
class RequirementViewSchemaSerializer(RequirementSerializer):
    """Documentation only: a requirement as served. Rows are field-sliced (policy
    `requirement.view_notes`), so one schema with the private fields optional: every
    answer matches exactly it, with or without notes."""

    notes = serializers.CharField(required=False, help_text="Police on the case and the responsible agency only.")
    events = ComplianceEventSerializer(many=True, required=False,
                                       help_text="Police on the case and the responsible agency only.")

    class Meta(RequirementSerializer.Meta):
        fields = [*RequirementSerializer.Meta.fields, "notes", "events"]


class RequirementUpdateSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=RequirementStatus.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class BreachSerializer(StrictModelSerializer):
    response_seconds = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Seconds from the report to the first police response.")

    class Meta:
        model = Breach
        fields = ["id", "order", "occurred_at", "description", "status", "police_response", "reporting_agency",
                  "reported_by", "reported_at", "first_response_at", "response_seconds",
                  "response_overdue_flagged_at"]
        read_only_fields = ["id", "order", "status", "police_response", "reporting_agency", "reported_by",
                            "reported_at", "first_response_at", "response_overdue_flagged_at"]


class BreachUpdateSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=BreachStatus.choices, required=False)
    police_response = serializers.CharField(required=False, allow_blank=True)
