from django.db import models


class NotificationQuerySet(models.QuerySet):
    def for_role(self, role: str | None):
        """Those addressed to every role of the agency, or to this role."""
        return self.filter(models.Q(role="") | models.Q(role=role or ""))


class Notification(models.Model):
    """A message to an agency (optionally to one role in it). `dedupe_key` makes every
    producer idempotent: the same reminder is never raised twice."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="notifications")
    role = models.CharField(max_length=16, blank=True, help_text="Only users of this role; blank for all.")
    kind = models.CharField(max_length=48)
    message = models.TextField()
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    object_type = models.CharField(max_length=32, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "-created_at"])]
