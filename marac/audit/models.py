"""The append-only audit trail: who saw or changed which case record, when, from where.

Append-only three ways: the model refuses save() of an existing row and delete(); its
queryset refuses update() and delete(); and on PostgreSQL a trigger (django-pgtrigger
`Protect`) rejects any UPDATE or DELETE on the table, whatever the client.
"""

import pgtrigger
from django.db import models


class AuditAction(models.TextChoices):
    VIEW = "view", "view"
    CREATE = "create", "create"
    UPDATE = "update", "update"
    DELETE = "delete", "delete"
    DOWNLOAD = "download", "download"


class AppendOnlyError(Exception):
    """Audit events are never changed or removed."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    # bulk_update goes through update(); _raw_delete is what cascades use.
    def _raw_delete(self, using):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    # Plain ids, not foreign keys: an event outlives the user, agency or object it names,
    # and no cascade can ever reach this table.
    user_id = models.BigIntegerField(null=True, db_index=True)
    username = models.CharField(max_length=150, blank=True)
    agency_id = models.BigIntegerField(null=True, db_index=True)
    action = models.CharField(max_length=8, choices=AuditAction.choices)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    operation = models.CharField(max_length=64, blank=True, help_text="The API operation, e.g. 'accept'.")
    request_id = models.CharField(max_length=64, blank=True)
    client_address = models.GenericIPAddressField(null=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["agency_id", "-at"], name="audit_agency_at_idx"),
        ]
        triggers = [
            pgtrigger.Protect(name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or self.user_id} {self.action} {self.object_type}:{self.object_id}"
