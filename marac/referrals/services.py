"""Referral to MARAC: scoring, the referral criteria, repeat detection and triage."""

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from marac.cases.identity import is_likely_match, keys_of, same_victim_q
from marac.cases.models import Case, Perpetrator, Victim
from marac.cases.participants import add_participant
from marac.cases.repeats import last_referral_to_marac, one_year_before, referred_within_year
from marac.cases.services import (
    add_children,
    add_perpetrator,
    check_children,
    contact_channels,
    copy_children,
    copy_person,
    open_case,
    record_initial_victim_details,
    record_victim_details,
)
from marac.dates import birth_date_problem
from marac.errors import DomainError
from marac.maracs.services import resolve_marac

from .checklists import CHECKLISTS, DASH, HIGH_RISK_THRESHOLD, risk_level, score
from .models import Referral, ReferralReason, ReferralStatus

POTENTIAL_ESCALATION_MIN_INCIDENTS = 3
MEETING_OF_ANOTHER_MARAC = "This meeting is another MARAC's: list the case on a meeting of the referral's MARAC."
CASE_OF_ANOTHER_MARAC = "This case is another MARAC's: a referral is linked only to a case of its own MARAC."


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


def referral_criteria_problems(*, reason: str | None, tool: str | None, risk_score: int,
                               police_incidents: int | None, victim_consented: bool | None,
                               sharing_justification: str) -> dict[str, list[str]]:
    """What the MARAC referral criteria, and the justification needed to share without
    consent, find wrong with a referral, keyed by field (empty when nothing is): read
    by check_referral_criteria on submit and by the web form's score panel as answers
    are given, so the rule is stated once."""
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
    if victim_consented is not True and not (sharing_justification or "").strip():
        # Unknown consent is not consent: sharing needs the same recorded justification.
        errors["sharing_justification"] = [
            "The victim has not consented (or consent is not known): record why sharing without "
            "consent is justified."
        ]
    return errors


def check_referral_criteria(*, reason: str, tool: str, risk_score: int, police_incidents: int | None,
                            victim_consented: bool | None, sharing_justification: str) -> None:
    """The MARAC referral criteria, and the justification needed to share without consent."""
    errors = referral_criteria_problems(reason=reason, tool=tool, risk_score=risk_score,
                                        police_incidents=police_incidents, victim_consented=victim_consented,
                                        sharing_justification=sharing_justification)
    if errors:
        raise DomainError(errors)


def assess_referral(*, tool: str, answers: dict[str, str], reason: str | None = None,
                    police_incidents: int | None = None, victim_consented: bool | None = None,
                    sharing_justification: str = "") -> dict:
    """A referral's risk as it is being written (answers may still be missing): the
    score, the risk level the tool and reason give, how many questions are answered,
    and what the referral criteria find wrong so far. Nothing is written."""
    checklist = CHECKLISTS[tool]
    answers = {number: value for number, value in answers.items() if number in checklist.labels}
    risk_score = score(answers)
    return {
        "tool": tool,
        "tool_name": checklist.name,
        "score": risk_score,
        "risk_level": risk_level(tool, risk_score,
                                 professional_judgement=reason == ReferralReason.PROFESSIONAL_JUDGEMENT),
        "answered": len(answers),
        "questions": len(checklist.labels),
        "thresholds": checklist.thresholds,
        "problems": referral_criteria_problems(
            reason=reason, tool=tool, risk_score=risk_score, police_incidents=police_incidents,
            victim_consented=victim_consented, sharing_justification=sharing_justification),
    }


def check_birth_dates(*, victim: dict, perpetrator: dict) -> None:
    """The victim's and perpetrator's dates of birth are plausible (marac.dates)."""
    today = timezone.localdate()
    errors = {person: {"date_of_birth": [problem]} for person, details in (("victim", victim),
                                                                           ("perpetrator", perpetrator))
              if details.get("date_of_birth") and (problem := birth_date_problem(details["date_of_birth"], today))}
    if errors:
        raise DomainError(errors)


def _recent_cases_of_victim(*, first_name: str, last_name: str, date_of_birth: date, at: datetime,
                            aliases: Iterable[str] = ()):
    cases = Case.objects.filter(same_victim_q(keys=keys_of(first_name, last_name, aliases),
                                              date_of_birth=date_of_birth, prefix="victim__"))
    return referred_within_year(cases, at).order_by("-last_referred_at", "-pk")


def find_repeat_case(*, first_name: str, last_name: str, date_of_birth: date, at: datetime,
                     aliases: Iterable[str] = (), marac=None) -> Case | None:
    """The victim's case in MARAC (any MARAC when None) whose last referral to MARAC
    (the latest referral accepted onto it) was within the 12 months before `at`, if
    any: a further referral then is a repeat; after 12 months it is a new referral. The
    victim is the same when born on the same day and one of her names or aliases has
    the same key (marac.cases.identity: case, accents, spaces, hyphens and apostrophes
    ignored)."""
    cases = _recent_cases_of_victim(first_name=first_name, last_name=last_name, date_of_birth=date_of_birth,
                                    at=at, aliases=aliases)
    return (cases if marac is None else cases.filter(marac=marac)).first()


def find_previous_marac(*, first_name: str, last_name: str, date_of_birth: date, at: datetime,
                        aliases: Iterable[str] = (), marac) -> tuple | None:
    """A repeat found in ANOTHER MARAC: (that MARAC, the date of the victim's last
    referral to it) when she was referred there in the 12 months before `at`. Only
    the name and the date reach the receiving MARAC, never the other case."""
    found = (_recent_cases_of_victim(first_name=first_name, last_name=last_name, date_of_birth=date_of_birth,
                                     at=at, aliases=aliases).exclude(marac=marac)
             .values_list("marac", "last_referred_at").first())
    if found is None:
        return None
    from marac.maracs.models import Marac

    return Marac.objects.get(pk=found[0]), timezone.localdate(found[1])


def find_possible_duplicates(referral: Referral):
    """Other referrals for the same victim still awaiting triage by the same MARAC."""
    victim = referral.victim
    return (Referral.objects.filter(status=ReferralStatus.SUBMITTED, marac_id=referral.marac_id)
            .filter(same_victim_q(keys=keys_of(victim.first_name, victim.last_name, victim.aliases),
                                  date_of_birth=victim.date_of_birth, prefix="victim__"))
            .exclude(pk=referral.pk))


def likely_matches(referrals: Iterable[Referral]) -> dict[int, list[dict]]:
    """For each referral, the cases of its MARAC whose victim is born on the same day and
    has a similar name (marac.cases.identity.is_likely_match), except the case it is
    linked to: for the coordinator to confirm or rule out (link_referral). One query a
    page. Another MARAC's cases are never offered (`previous_marac` says she was there)."""
    referrals = list(referrals)
    births = {referral.victim.date_of_birth for referral in referrals}
    maracs = {referral.marac_id for referral in referrals}
    candidates: dict[tuple, list[Case]] = {}
    for case in (Case.objects.filter(victim__date_of_birth__in=births, marac_id__in=maracs).select_related("victim")
                 .only("reference", "marac_id", "victim__first_name", "victim__last_name", "victim__date_of_birth",
                       "victim__aliases").order_by("reference")):
        candidates.setdefault((case.marac_id, case.victim.date_of_birth), []).append(case)
    matches = {}
    for referral in referrals:
        victim = referral.victim
        keys = keys_of(victim.first_name, victim.last_name, victim.aliases)
        matches[referral.pk] = [
            {"case": case.pk, "reference": case.reference, "name": f"{case.victim.first_name} {case.victim.last_name}",
             "date_of_birth": case.victim.date_of_birth}
            for case in candidates.get((referral.marac_id, victim.date_of_birth), [])
            if case.pk != referral.case_id and is_likely_match(
                victim.first_name, victim.last_name, keys, case.victim.first_name, case.victim.last_name,
                keys_of(case.victim.first_name, case.victim.last_name, case.victim.aliases))]
    return matches


def duplicates_of(referrals: Iterable[Referral]) -> dict[int, list[int]]:
    """`possible_duplicate_of` ids for a page of referrals, in one query."""
    ids = [referral.pk for referral in referrals]
    pairs = Referral.possible_duplicate_of.through.objects.filter(from_referral_id__in=ids).order_by(
        "to_referral_id").values_list("from_referral_id", "to_referral_id")
    found: dict[int, list[int]] = {pk: [] for pk in ids}
    for referral_id, other_id in pairs:
        found[referral_id].append(other_id)
    return found


@transaction.atomic
def submit_referral(*, agency, user, victim: dict, perpetrator: dict, reason: str, risk_checklist: dict,
                    children_in_household: int | None = None, children: list[dict] = (), stalking: bool = False,
                    summary: str = "", police_incidents_last_12_months: int | None = None,
                    victim_aware: bool | None = None, victim_consented: bool | None = None,
                    sharing_justification: str = "", referrer_contact: str = "", marac=None) -> Referral:
    """`children` lists the children in the household (first name, date of birth or
    age, school); `children_in_household` counts them, at least those listed. `marac`:
    the MARAC it is sent to (required when several are active; marac.maracs.services).
    A repeat is looked for in that MARAC; one found only in another MARAC is recorded
    as `previous_marac` (its name and the date), and the referral opens a case here."""
    marac = resolve_marac(marac)
    tool, answers = risk_checklist["tool"], risk_checklist["answers"]
    check_birth_dates(victim=victim, perpetrator=perpetrator)
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
    identity = dict(first_name=victim["first_name"], last_name=victim["last_name"],
                    date_of_birth=victim["date_of_birth"], aliases=victim.get("aliases", ()), at=now)
    repeat_of = find_repeat_case(**identity, marac=marac)
    previous = None if repeat_of is not None else find_previous_marac(**identity, marac=marac)
    referral = Referral.objects.create(
        marac=marac,
        previous_marac=previous and previous[0],
        previous_marac_referred_on=previous and previous[1],
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
    referral.possible_duplicate_of.add(*find_possible_duplicates(referral))
    add_children(children, referral=referral)
    from .tasks import notify_coordinators_of_referral

    transaction.on_commit(lambda: notify_coordinators_of_referral.delay(referral.pk))
    return referral


def _require_submitted(referral: Referral) -> None:
    if referral.status != ReferralStatus.SUBMITTED:
        raise DomainError({"status": [f"This referral was already {referral.status}; only submitted referrals are triaged."]})


def _case_to_attach(referral: Referral) -> Case | None:
    """The case a referral joins on accept: the one it is linked to (a repeat, or a
    coordinator's link) or, unless a coordinator decided its link, the case a possible
    duplicate of it was accepted onto: two referrals for one victim make one case."""
    if referral.case_id is not None or referral.link_decided_at is not None:
        return referral.case
    duplicate = (referral.possible_duplicate_of.filter(status=ReferralStatus.ACCEPTED, case__isnull=False)
                 .order_by("triaged_at", "pk").select_related("case").first())
    return None if duplicate is None else duplicate.case


@transaction.atomic
def accept_referral(referral: Referral, *, by, meeting=None) -> Referral:
    """Create the case (or reopen the repeat's case), make the referring agency a
    participant and, when a meeting is given, list the case on its agenda.

    The case gets its own copies of the referral's people (victim, perpetrator and the
    children listed, `copy_children`). A case the referral joins
    keeps its Victim row, which takes the submitted details as the current ones (the
    earlier ones stay in the victim's history), and keeps its perpetrators: a person the
    case does not have yet is added as a further perpetrator, never written over another.

    The rows pairing the referral with its possible duplicates are locked (in id order)
    first, so two of them accepted at once still make one case: the second waits and
    joins the first's. (The referral rows themselves are locked by the request in
    whichever order they arrive, so locking the other referral could deadlock.)"""
    pairs = Referral.possible_duplicate_of.through.objects.filter(
        Q(from_referral_id=referral.pk) | Q(to_referral_id=referral.pk))
    list(pairs.select_for_update().order_by("pk").values_list("pk", flat=True))
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_submitted(referral)
    if meeting is not None and meeting.marac_id != referral.marac_id:
        raise DomainError({"meeting": [MEETING_OF_ANOTHER_MARAC]})
    facts = dict(
        children_in_household=referral.children_in_household,
        risk_score=referral.risk_score,
        is_repeat=referral.is_repeat,
        stalking=referral.stalking,
        summary=referral.summary,
    )
    case = _case_to_attach(referral)
    if case is not None and case.marac_id != referral.marac_id:
        case = None  # linked before a transfer moved it: a new case in this MARAC
    if case is None:
        case = open_case(victim=copy_person(referral.victim), perpetrator=copy_person(referral.perpetrator),
                         marac_id=referral.marac_id, **facts)
        record_initial_victim_details(case, referral=referral, recorded_by=referral.referred_by)
    else:
        case = Case.objects.select_for_update().select_related("victim", "perpetrator").get(pk=case.pk)
        record_victim_details(case, referral.victim, referral=referral, recorded_by=referral.referred_by)
        add_perpetrator(case, referral.perpetrator, referral=referral, added_by=by)
        facts["is_repeat"] = case.is_repeat or referral.is_repeat
        case = open_case(existing=case, **facts)
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
def link_referral(referral: Referral, *, case: Case | None, by) -> Referral:
    """A coordinator's decision on which case a referral awaiting triage is for (None:
    none of them, it is not a match). The decision is recorded (who, when); the
    referral is a repeat when that case's last referral to MARAC was within the 12
    months before it was made."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_submitted(referral)
    if case is not None and case.marac_id != referral.marac_id:
        raise DomainError({"case": [CASE_OF_ANOTHER_MARAC]})
    last = None if case is None else last_referral_to_marac(case)
    referral.case = case
    referral.is_repeat = last is not None and last >= one_year_before(referral.created_at)
    referral.link_decided_by = by
    referral.link_decided_at = timezone.now()
    referral.save(update_fields=["case", "is_repeat", "link_decided_by", "link_decided_at"])
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

