from celery import shared_task

from marac.notifications.services import coordinating_agencies, notify

from .models import Referral


@shared_task
def notify_coordinators_of_referral(referral_id: int) -> None:
    """Tell the coordinators of the referral's MARAC that a referral awaits triage.
    Idempotent: each notification has a key, so a redelivered task adds nothing."""
    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None:
        return
    kind = "repeat_referral" if referral.is_repeat else "new_referral"
    message = f"New {'repeat ' if referral.is_repeat else ''}referral {referral.pk} awaits triage."
    for agency in coordinating_agencies(referral.marac_id):
        notify(agency=agency, role="coordinator", kind=kind, message=message,
               dedupe_key=f"referral:{referral.pk}:agency:{agency.pk}", case=referral.case,
               object_type="referral", object_id=referral.pk)
