from rest_framework import serializers

from marac.audit.models import AuditAction, AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id", allow_null=True, help_text="The acting user's id.")
    agency = serializers.IntegerField(source="agency_id", allow_null=True,
                                      help_text="The acting user's agency at the time.")
    action = serializers.ChoiceField(choices=AuditAction.choices)

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "user", "username", "agency", "action", "object_type", "object_id", "operation",
                  "request_id", "client_address"]
        read_only_fields = fields
