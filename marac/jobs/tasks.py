from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_job(job_id: int) -> None:
    """Thin: the job row says what to do; services.run_job makes it exactly-once."""
    services.run_job(job_id)


@shared_task
def dispatch_pending_jobs() -> int:
    return services.dispatch_pending_jobs()
