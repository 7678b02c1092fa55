from celery import shared_task

from .packs import build_pack


@shared_task
def build_meeting_pack(pack_id: int) -> str | None:
    """Build one meeting pack job (a MeetingPack row). Idempotent, keyed by the job id."""
    return build_pack(pack_id)
