"""MARAC-to-MARAC transfers: a case moves to the MARAC of the area the victim moved to
(SafeLives' Marac to Marac referral process). The transfer row is the record both
MARACs keep of it: the sending MARAC reads it after the case has left its reach."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class TransferReason(models.TextChoices):
    """Why the case goes to another MARAC. A victim moves between areas "whether
    temporarily or permanently" (SafeLives); anything else is explained in the note."""

    MOVED_PERMANENTLY = "moved_permanently", "Victim has moved permanently to the receiving MARAC's area"
    MOVED_TEMPORARILY = "moved_temporarily", ("Victim has moved temporarily to the receiving MARAC's area "
                                              "(refuge, family, temporary accommodation)")
    OTHER = "other", "Other (explained in the note)"


class TransferStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class CaseTransfer(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="transfers")
    from_marac = models.ForeignKey("maracs.Marac", on_delete=models.PROTECT, related_name="transfers_out")
    to_marac = models.ForeignKey("maracs.Marac", on_delete=models.PROTECT, related_name="transfers_in")
    status = models.CharField(max_length=8, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    reason = models.CharField(max_length=32, choices=TransferReason.choices)
    note = models.TextField(blank=True, help_text="The sending coordinator's note (required when the reason is other).")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    # The receiving MARAC's meeting whose agenda listed the case on accept.
    meeting = models.ForeignKey("meetings.Meeting", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="transfers")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One pending transfer per case, whatever the race.
            models.UniqueConstraint(fields=["case"], condition=Q(status="pending"),
                                    name="one_pending_transfer_per_case"),
            models.CheckConstraint(condition=~Q(from_marac=F("to_marac")), name="transfer_to_another_marac"),
        ]
        indexes = [models.Index(fields=["from_marac", "-requested_at"], name="transfer_from_idx"),
                   models.Index(fields=["to_marac", "-requested_at"], name="transfer_to_idx")]

    def __str__(self):
        return f"Transfer of case {self.case_id} to MARAC {self.to_marac_id} ({self.status})"
