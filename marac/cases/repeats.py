"""Repeats: the 12 months run from the last referral to MARAC, and SafeLives' "flag
and tag" (a further incident within those 12 months flags the case for the next agenda).

The last referral to MARAC is the latest referral accepted onto the case (by the date
it was referred): a declined referral, or one still awaiting triage, is not one.
"""

from datetime import datetime

from django.db.models import Max, Q
from django.utils import timezone

from .models import Case, CaseStatus, Incident, RepeatFlag


def one_year_before(moment: datetime) -> datetime:
    """The same instant 12 months earlier (29 February falls back to the 28th)."""
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:
        return moment.replace(year=moment.year - 1, day=28)


def last_referred_at():
    """Annotation on cases: when its last referral to MARAC was made."""
    from marac.referrals.models import ReferralStatus

    return Max("referrals__created_at", filter=Q(referrals__status=ReferralStatus.ACCEPTED))


def referred_within_year(cases, at: datetime):
    """Those cases whose last referral to MARAC was within the 12 months before `at`."""
    return cases.annotate(last_referred_at=last_referred_at()).filter(last_referred_at__gte=one_year_before(at))


def last_referral_to_marac(case: Case) -> datetime | None:
    return Case.objects.filter(pk=case.pk).annotate(last=last_referred_at()).values_list("last", flat=True).get()


def flag_repeat_incident(incident: Incident) -> RepeatFlag | None:
    """A further incident on an open case, within 12 months of its last referral to
    MARAC, flags the case as a repeat for its next agenda (one pending flag per case:
    later incidents before the listing do not add more)."""
    case = incident.case
    if case.status != CaseStatus.OPEN:
        return None
    last = last_referral_to_marac(case)
    if last is None or incident.occurred_at < last or one_year_before(incident.occurred_at) > last:
        return None
    reason = (f"Further incident on {timezone.localtime(incident.occurred_at):%d %B %Y} within 12 months of the "
              f"last referral to MARAC on {timezone.localtime(last):%d %B %Y}.")
    flag, _ = RepeatFlag.objects.get_or_create(case=case, listed_on=None, defaults={
        "incident": incident, "reason": reason, "last_referred_at": last})
    return flag


def list_repeat_flags(case: Case, agenda_item) -> int:
    """Listing the case on an agenda takes up its pending repeat flag: the flag now
    belongs to that agenda item, and the case counts as a repeat."""
    listed = RepeatFlag.objects.filter(case=case, listed_on__isnull=True).update(listed_on=agenda_item)
    if listed and not case.is_repeat:
        Case.objects.filter(pk=case.pk).update(is_repeat=True)
        case.is_repeat = True
    return listed


def pending_repeat_flag_q(prefix: str = "") -> Q:
    """Cases with a repeat flag not yet taken up by an agenda."""
    return Q(**{f"{prefix}pk__in": RepeatFlag.objects.filter(listed_on__isnull=True).values("case")})
