"""Idempotency keys: the first response to a POST carrying `Idempotency-Key`, kept for
24 hours so that a client's retry gets the same answer and creates nothing new."""

from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64, help_text="sha256 of method, path and canonical body.")
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    response_headers = models.JSONField(default=dict)
    # What the first request created or acted on: a replay answers the stored body only
    # while the caller may still see it (api.trust).
    object_type = models.CharField(max_length=64, blank=True, default="")
    object_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_unique")]

    def __str__(self):
        return f"{self.user_id}:{self.key}"
