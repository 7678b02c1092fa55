"""Job rows: one database row per background job (e.g. building a meeting pack).

The row is the source of truth, not the broker: it is written in the requester's
transaction, dispatched to Celery on commit, and re-dispatched by a periodic sweep when
the broker was unreachable or a worker died. The handler's result commits in the same
transaction that marks the row done, so a job's result is produced exactly once however
often its message is delivered."""

from django.db import models
from django.db.models import Q


class JobStatus(models.TextChoices):
    PENDING = "pending", "pending"
    RUNNING = "running", "running"
    DONE = "done", "done"
    FAILED = "failed", "failed"


ACTIVE = (JobStatus.PENDING, JobStatus.RUNNING)


class Job(models.Model):
    kind = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)
    dedupe_key = models.CharField(max_length=128, null=True, blank=True,
                                  help_text="At most one active job per (kind, dedupe_key).")
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0, help_text="Deliveries that started running it.")
    completions = models.PositiveIntegerField(default=0, help_text="Times its result was committed (0 or 1).")
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "dispatched_at"], name="job_status_dispatched_idx")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "dedupe_key"], condition=Q(status__in=ACTIVE),
                                    name="job_one_active_per_key"),
        ]

    def __str__(self):
        return f"{self.kind}#{self.pk} {self.status}"
