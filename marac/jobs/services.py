"""Enqueue, run and re-dispatch job rows. A domain area declares a job kind with
`@job_handler("meeting_pack")` (the handler gets the Job and returns a JSON result),
requests one with `enqueue_job(...)` (answer 202 with the job), and the machinery here
does the rest: dispatch on commit, exactly-once result, re-dispatch by the sweep."""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import ACTIVE, Job, JobStatus

logger = logging.getLogger(__name__)

JobHandler = Callable[[Job], dict | None]
_handlers: dict[str, JobHandler] = {}

# A pending job whose message was sent this long ago without starting is sent again
# (duplicates are harmless); a running job this stale is presumed lost with its worker.
REDISPATCH_PENDING_AFTER = timedelta(minutes=10)
REDISPATCH_RUNNING_AFTER = timedelta(minutes=30)


def job_handler(kind: str) -> Callable[[JobHandler], JobHandler]:
    def register(fn: JobHandler) -> JobHandler:
        _handlers[kind] = fn
        return fn

    return register


def enqueue_job(kind: str, payload: dict | None = None, *, dedupe_key: str | None = None) -> Job:
    """Record the job and send it to the broker once the caller's transaction commits.
    With dedupe_key, an active job of the same kind and key is returned instead."""
    if kind not in _handlers:
        raise LookupError(f"No job handler for {kind!r}")
    if dedupe_key is not None:
        existing = Job.objects.filter(kind=kind, dedupe_key=dedupe_key, status__in=ACTIVE).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, payload=payload or {}, dedupe_key=dedupe_key)
    except IntegrityError:
        return Job.objects.get(kind=kind, dedupe_key=dedupe_key, status__in=ACTIVE)
    transaction.on_commit(lambda: dispatch([job.pk]))
    return job


def run_now_if_in_process(job: Job) -> bool:
    """With no broker (the embedded default: Celery runs tasks eagerly, in this process)
    the job would run here when the transaction commits anyway; run it now, so that the
    caller can answer its real result. The on-commit dispatch then finds it done."""
    from marac.celery import app

    if not app.conf.task_always_eager:
        return False
    run_job(job.pk)
    return True


def dispatch(job_ids: list[int]) -> int:
    """Send these jobs to the broker; an unreachable broker is logged, not raised: the
    rows stay pending and the sweep sends them later. Returns how many were sent."""
    from .tasks import run_job

    sent = []
    for job_id in job_ids:
        try:
            run_job.apply_async((job_id,), retry=False)
        except Exception as exc:  # kombu/redis connection errors: the broker is down
            logger.warning("Broker unreachable, job %s stays pending for the sweep: %s", job_id, exc)
            break
        sent.append(job_id)
    if sent:
        Job.objects.filter(pk__in=sent, status=JobStatus.PENDING).update(dispatched_at=timezone.now())
    return len(sent)


def dispatch_pending_jobs() -> int:
    """The periodic step: (re)send pending jobs never sent or sent long ago, and running
    jobs whose worker is presumed lost. Set-based; sending twice is harmless."""
    now = timezone.now()
    due = Job.objects.filter(
        Q(status=JobStatus.PENDING, dispatched_at__isnull=True)
        | Q(status=JobStatus.PENDING, dispatched_at__lt=now - REDISPATCH_PENDING_AFTER)
        | Q(status=JobStatus.RUNNING, started_at__lt=now - REDISPATCH_RUNNING_AFTER)
    ).order_by("created_at").values_list("pk", flat=True)
    return dispatch(list(due[:1000]))


def run_job(job_id: int) -> None:
    """What the Celery task does. Safe to run any number of times, concurrently too."""
    started = Job.objects.filter(pk=job_id, status__in=ACTIVE).update(
        status=JobStatus.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now())
    if not started:
        return  # done, failed or unknown: a redelivery after the fact
    try:
        with transaction.atomic():
            # The row lock serialises duplicate deliveries; the result and the "done"
            # mark commit together, or (worker killed, error) not at all.
            job = Job.objects.select_for_update().get(pk=job_id)
            if job.status != JobStatus.RUNNING:
                return
            result = _handlers[job.kind](job)
            Job.objects.filter(pk=job_id).update(status=JobStatus.DONE, result=result, error="",
                                                 completions=F("completions") + 1, finished_at=timezone.now())
    except Exception as exc:
        from django.db import DatabaseError

        if isinstance(exc, DatabaseError):
            raise  # the database is away: leave the row running for the sweep
        logger.exception("Job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, error=repr(exc)[:2000],
                                             finished_at=timezone.now())
