"""Referral to MARAC: scoring, the referral criteria, repeat detection and triage."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from marac.cases.models import Case, Perpetrator, Victim
from marac.cases.participants import add_participant
from marac.cases.services import (
    add_children,
    check_children,
    contact_channels,
    copy_children,
    copy_person,
    open_case,
    record_victim_details,
)
from marac.errors import DomainError

from .checklists import CHECKLISTS, DASH, HIGH_RISK_THRESHOLD, score
from .models import Referral, ReferralReason, ReferralStatus

POTENTIAL_ESCALATION_MIN_INCIDENTS = 3


def one_year_before(moment: datetime) -> datetime:
    """The same instant 12 months earlier (29 February falls back to the 28th)."""
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:
        return moment.replace(year=moment.year - 1, day=28)


def check_answers(tool: str, answers: dict[str, str]) -> None:
    """Every question of the tool answered exactly once, by number."""
    checklist = CHECKLISTS[tool]
    expected = set(checklist.question_numbers)
    given = set(answers)
    messages = []
    if missing := sorted(expected - given, key=int):
        messages.append(f"Missing answers for questions {', '.join(missing)} of {checklist.name}.")
    if unknown := sorted(given - expected, key=lambda k: (len(k), k)):
        messages.append(f"Unknown question numbers {', '.join(unknown)}: {tool} has questions 1 to {len(expected)}.")
    if messages:
        raise DomainError({"risk_checklist": {"answers": messages}})


def check_referral_criteria(*, reason: str, tool: str, risk_score: int, police_incidents: int | None,
                            victim_consented: bool | None, sharing_justification: str) -> None:
    """The MARAC referral criteria, and the justification needed to share without consent."""
    errors: dict[str, list[str]] = {}
    if reason == ReferralReason.VISIBLE_HIGH_RISK and (tool != DASH.tool or risk_score < HIGH_RISK_THRESHOLD):
        errors["reason"] = [
            f"Visible high risk needs a DASH score of {HIGH_RISK_THRESHOLD} or more; this checklist "
            f"({tool}) scores {risk_score}. Refer on professional judgement instead if the risk is high."
        ]
    if reason == ReferralReason.POTENTIAL_ESCALATION and (police_incidents or 0) < POTENTIAL_ESCALATION_MIN_INCIDENTS:
        errors["police_incidents_last_12_months"] = [
            f"Potential escalation needs {POTENTIAL_ESCALATION_MIN_INCIDENTS} or more police-reported "
            "incidents in the past 12 months."
        ]
    if victim_consented is not True and not sharing_justification.strip():
        # Unknown consent is not consent: sharing needs the same recorded justification.
        errors["sharing_justification"] = [
            "The victim has not consented (or consent is not known): record why sharing without "
            "consent is justified."
        ]
    if errors:
        raise DomainError(errors)


def find_repeat_case(*, first_name: str, last_name: str, date_of_birth: date, at: datetime) -> Case | None:
    """The victim's MARAC case referred within the previous 12 months, if any: a
    further referral for the same victim within 12 months of the last one is a repeat.
    Names compare case-insensitively."""
    return (
        Case.objects.filter(
            victim__first_name__iexact=first_name.strip(),
            victim__last_name__iexact=last_name.strip(),
            victim__date_of_birth=date_of_birth,
            referrals__status=ReferralStatus.ACCEPTED,
            referrals__created_at__gte=one_year_before(at),
        )
        .order_by("-referrals__created_at")
        .first()
    )


@transaction.atomic
def submit_referral(*, agency, user, victim: dict, perpetrator: dict, reason: str, risk_checklist: dict,
                    children_in_household: int | None = None, children: list[dict] = (), stalking: bool = False,
                    summary: str = "", police_incidents_last_12_months: int | None = None,
                    victim_aware: bool | None = None, victim_consented: bool | None = None,
                    sharing_justification: str = "", referrer_contact: str = "") -> Referral:
    """`children` lists the children in the household (first name, date of birth or
    age, school); `children_in_household` counts them, at least those listed."""
    tool, answers = risk_checklist["tool"], risk_checklist["answers"]
    check_answers(tool, answers)
    risk_score = score(answers)
    check_referral_criteria(reason=reason, tool=tool, risk_score=risk_score,
                            police_incidents=police_incidents_last_12_months,
                            victim_consented=victim_consented, sharing_justification=sharing_justification)
    children = list(children)
    children_in_household = check_children(children, children_in_household)
    victim = {**victim, "do_not_contact_via": contact_channels(victim.get("do_not_contact_via"))}
    now = timezone.now()
    # The referral keeps the people its referrer wrote, in its own rows: a repeat is
    # only linked to the earlier case, never given that case's stored victim record.
    repeat_of = find_repeat_case(first_name=victim["first_name"], last_name=victim["last_name"],
                                 date_of_birth=victim["date_of_birth"], at=now)
    referral = Referral.objects.create(
        referring_agency=agency,
        referred_by=user,
        referrer_contact=referrer_contact,
        victim=Victim.objects.create(**victim),
        perpetrator=Perpetrator.objects.create(**perpetrator),
        children_in_household=children_in_household,
        reason=reason,
        checklist_tool=tool,
        checklist_answers=answers,
        risk_score=risk_score,
        police_incidents_last_12_months=police_incidents_last_12_months,
        stalking=stalking,
        summary=summary,
        victim_aware=victim_aware,
        victim_consented=victim_consented,
        sharing_justification=sharing_justification,
        is_repeat=repeat_of is not None,
        case=repeat_of,
    )
    add_children(children, referral=referral)
    from .tasks import notify_coordinators_of_referral

    transaction.on_commit(lambda: notify_coordinators_of_referral.delay(referral.pk))
    return referral


def _require_submitted(referral: Referral) -> None:
    if referral.status != ReferralStatus.SUBMITTED:
        raise DomainError({"status": [f"This referral was already {referral.status}; only submitted referrals are triaged."]})


@transaction.atomic
def accept_referral(referral: Referral, *, by, meeting=None) -> Referral:
    """Create the case (or reopen the repeat's case), make the referring agency a
    participant and, when a meeting is given, list the case on its agenda.

    The case gets its own copies of the referral's people (victim, perpetrator and the
    children listed, `copy_children`). A repeat's case keeps its
    Victim row, which takes the submitted details as the current ones, and keeps its
    perpetrator: a case has one perpetrator, and another referral's account of that
    person does not replace the MARAC's record (the referral keeps its own)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_submitted(referral)
    facts = dict(
        children_in_household=referral.children_in_household,
        risk_score=referral.risk_score,
        is_repeat=referral.is_repeat,
        stalking=referral.stalking,
        summary=referral.summary,
    )
    if referral.case is None:
        case = open_case(victim=copy_person(referral.victim), perpetrator=copy_person(referral.perpetrator), **facts)
    else:
        record_victim_details(referral.case, referral.victim)
        case = open_case(existing=referral.case, **facts)
    copy_children(referral, case)
    add_participant(case, referral.referring_agency)
    if meeting is not None:
        from marac.meetings.services import add_to_agenda

        add_to_agenda(meeting, case)
    referral.case = case
    referral.status = ReferralStatus.ACCEPTED
    referral.triaged_by = by
    referral.triaged_at = timezone.now()
    referral.save(update_fields=["case", "status", "triaged_by", "triaged_at"])
    return referral


@transaction.atomic
def decline_referral(referral: Referral, *, by, reason: str) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_submitted(referral)
    if not reason.strip():
        raise DomainError({"reason": ["A declined referral needs a reason."]})
    referral.status = ReferralStatus.DECLINED
    referral.decline_reason = reason.strip()
    referral.triaged_by = by
    referral.triaged_at = timezone.now()
    referral.save(update_fields=["status", "decline_reason", "triaged_by", "triaged_at"])
    return referral

