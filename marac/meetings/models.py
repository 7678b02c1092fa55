from django.conf import settings
from django.db import models
from django.db.models import Q

from marac.maracs.models import BelongsToMarac


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled"
    HELD = "held"
    CLOSED = "closed"


class Meeting(BelongsToMarac, models.Model):
    # The MARAC holding the meeting: only its cases go on the agenda.
    marac = models.ForeignKey("maracs.Marac", on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_meetings")
    status = models.CharField(max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Minutes: date and chair are above; the rest is recorded at or after the meeting.
    agencies_present = models.ManyToManyField("agencies.Agency", blank=True, related_name="meetings_attended")
    apologies = models.ManyToManyField("agencies.Agency", blank=True, related_name="meetings_apologised")
    minutes = models.TextField(blank=True, help_text="Information shared and decisions, meeting-wide.")
    confidentiality_statement = models.TextField(
        blank=True, help_text="The statement the minutes and pack carry; fixed when the meeting is created.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="agenda_case_once_per_meeting")]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


INCOMPLETE_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Action(models.Model):
    """One action of a case's action plan, agreed at a meeting and owned by one agency."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="owned_actions")
    due_date = models.DateField()
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["owner_agency", "status", "due_date"], name="action_owner_status_due_idx"),
            models.Index(fields=["status", "due_date"], name="action_status_due_idx"),
        ]


class ActionUpdate(models.Model):
    """Append-only history of an action: who changed what, when."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    status_from = models.CharField(max_length=16, choices=ActionStatus.choices)
    status_to = models.CharField(max_length=16, choices=ActionStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class CarryOverReason(models.TextChoices):
    CIRCUMSTANCES_CHANGED = "circumstances_changed", "Circumstances changed"
    AGENCY_DID_NOT_ACT = "agency_did_not_act", "Agency did not act"


class ActionCarryOver(models.Model):
    """An incomplete action carried into a later meeting of its case; the coordinator
    records why it was not completed. Until then `reason`, `recorded_by` and
    `recorded_at` are NULL (never "", which is not a reason)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="carry_overs")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="carried_actions")
    reason = models.CharField(max_length=32, choices=CarryOverReason.choices, null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)
    carried_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting__date", "id"]
        constraints = [models.UniqueConstraint(fields=["action", "meeting"], name="action_carried_once_per_meeting")]


class PackStatus(models.TextChoices):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


class MeetingPack(models.Model):
    """One build of a meeting pack. The row exists (pending) before its task is
    dispatched; the task is keyed by this row's id and is idempotent."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    status = models.CharField(max_length=8, choices=PackStatus.choices, default=PackStatus.PENDING)
    reason = models.TextField(blank=True, help_text="Why the build failed.")
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the pack content it was requested for.")
    pdf = models.FileField(upload_to="packs/", blank=True)
    json = models.FileField(upload_to="packs/", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    # The chair's sign-off of this build: the content it vouches for is `fingerprint`.
    # A later change of content is a new build (a new row), unsigned until signed again.
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_fingerprint = models.CharField(max_length=64, blank=True,
                                          help_text="The content fingerprint the chair signed off.")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # At most one build in flight per meeting, whatever the race.
            models.UniqueConstraint(fields=["meeting"], condition=Q(status="pending"), name="one_pending_pack_per_meeting"),
        ]

    @property
    def signed(self) -> bool:
        return (self.status == PackStatus.READY and self.signed_off_at is not None
                and self.signed_fingerprint == self.fingerprint)
