from celery import shared_task

from .sweep import run_daily_sweep


@shared_task
def daily_sweep() -> dict[str, int]:
    return run_daily_sweep()
