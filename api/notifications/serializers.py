from rest_framework import serializers

from marac.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "message", "role", "case", "object_type", "object_id", "created_at", "read_at"]
        read_only_fields = fields
