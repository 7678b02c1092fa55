from celery import shared_task

from .sweeps import escalate_unanswered_breaches as escalate


@shared_task
def escalate_unanswered_breaches() -> int:
    """Beat runs this every 15 minutes (settings.CELERY_BEAT_SCHEDULE)."""
    return escalate()
