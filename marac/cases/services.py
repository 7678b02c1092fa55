"""Cases and what agencies add to them."""

from django.db import transaction
from django.utils import timezone

from marac.errors import DomainError

from .identity import normalise_name, same_person
from .models import (
    Case,
    CasePerpetrator,
    CaseStatus,
    Gender,
    Incident,
    Perpetrator,
    ResearchContribution,
    Victim,
    VictimDetailChange,
)
from .repeats import flag_repeat_incident


def next_reference(case: Case) -> str:
    return f"MARAC-{case.created_at:%Y}-{case.pk:06d}"


@transaction.atomic
def open_case(*, existing: Case | None = None, **facts) -> Case:
    """Create a case, or reopen an existing one with the latest referral's facts."""
    if existing is not None:
        for field, value in facts.items():
            setattr(existing, field, value)
        existing.status = CaseStatus.OPEN
        existing.save()
        return existing
    case = Case.objects.create(reference=f"pending-{timezone.now().timestamp()}", **facts)
    case.reference = next_reference(case)
    case.save(update_fields=["reference"])
    return case


def copy_person(person: Victim | Perpetrator) -> Victim | Perpetrator:
    """A new row with the same details. A case never shares a Victim or Perpetrator row
    with a referral: what an agency wrote on its referral and what the MARAC keeps on
    the case then change independently, and neither can be read through the other."""
    details = {field.attname: getattr(person, field.attname)
               for field in person._meta.concrete_fields if not field.primary_key}
    return type(person).objects.create(**details)


VICTIM_DETAIL_FIELDS = ("first_name", "last_name", "date_of_birth", "gender", "postcode", "safe_contact",
                        "ethnicity", "minority_ethnic", "disability", "lgbt")
# What the case shows every participant of the victim (api.cases VictimSummarySerializer):
# their history is shown to the same callers; the rest only to coordinators and chairs.
VICTIM_FIELDS_SHOWN_ON_CASE = ("first_name", "last_name", "date_of_birth", "gender", "postcode")


def _given(field: str, value) -> bool:
    """Blank, unknown (null) and `not_known` mean the referrer did not say."""
    return value not in ("", None) and not (field == "gender" and value == Gender.NOT_KNOWN)


def _history_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _history_row(case, field, old, new, *, referral, recorded_by, at) -> VictimDetailChange:
    return VictimDetailChange(case=case, field=field, old_value=_history_value(old), new_value=_history_value(new),
                              shown_on_case=field in VICTIM_FIELDS_SHOWN_ON_CASE, recorded_by=recorded_by,
                              recorded_at=at, referral=referral)


def record_initial_victim_details(case: Case, *, referral=None, recorded_by=None) -> None:
    """The victim's history starts with what the referral that opened the case gave."""
    victim, now = case.victim, timezone.now()
    VictimDetailChange.objects.bulk_create([
        _history_row(case, field, None, getattr(victim, field), referral=referral, recorded_by=recorded_by, at=now)
        for field in VICTIM_DETAIL_FIELDS if _given(field, getattr(victim, field))])


def record_victim_details(case: Case, submitted: Victim, *, referral=None, recorded_by=None) -> Victim:
    """A repeat referral's victim details, once accepted, become the case's current ones,
    copied onto the case's own Victim row (never by pointing the case at the referral's
    row). What the referrer did not give keeps the value the case already holds, so a
    partial referral cannot erase a known safe contact. Each value replaced stays in the
    victim's history (VictimDetailChange: old and new value, who wrote it, from which
    referral, when); a name replaced stays one of her aliases, so she is still matched on it."""
    victim, now = case.victim, timezone.now()
    old_name = f"{victim.first_name} {victim.last_name}"
    changed, history = [], []
    for field in VICTIM_DETAIL_FIELDS:
        value, old = getattr(submitted, field), getattr(victim, field)
        if _given(field, value) and old != value:
            history.append(_history_row(case, field, old, value, referral=referral, recorded_by=recorded_by, at=now))
            setattr(victim, field, value)
            changed.append(field)
    aliases = list(victim.aliases)
    known = {normalise_name(name) for name in aliases} | {normalise_name(f"{victim.first_name} {victim.last_name}")}
    for name in [old_name, *submitted.aliases]:
        if normalise_name(name) and normalise_name(name) not in known:
            aliases.append(name)
            known.add(normalise_name(name))
    if aliases != victim.aliases:
        victim.aliases = aliases
        changed.append("aliases")
    if changed:
        victim.save(update_fields=changed)
        VictimDetailChange.objects.bulk_create(history)
    return victim


def add_perpetrator(case: Case, person: Perpetrator, *, referral=None, added_by=None) -> CasePerpetrator | None:
    """A referral's perpetrator joins the case's perpetrators (as a copy the case owns)
    unless the case already has that person: nobody already recorded is written over."""
    known = [case.perpetrator, *case.further_perpetrators.all()]
    if any(same_person(person, other) for other in known):
        return None
    return CasePerpetrator.objects.create(case=case, perpetrator=copy_person(person), referral=referral,
                                          added_by=added_by)


CHANGEABLE_CASE_FIELDS = ("status", "summary", "stalking", "children_in_household")


def update_case(case: Case, **changes) -> Case:
    """A coordinator's correction of the case record (status, summary, stalking flag,
    children in the household)."""
    unknown = set(changes) - set(CHANGEABLE_CASE_FIELDS)
    if unknown:
        raise DomainError({name: ["This field cannot be changed here."] for name in sorted(unknown)})
    for field, value in changes.items():
        setattr(case, field, value)
    case.save(update_fields=[*changes, "updated_at"])
    return case


def add_research(*, case: Case, agency, author, summary: str, shared_with_marac: bool,
                 withheld_note: str = "") -> ResearchContribution:
    if not summary.strip():
        raise DomainError({"summary": ["Research needs a summary."]})
    return ResearchContribution.objects.create(case=case, agency=agency, author=author, summary=summary,
                                               shared_with_marac=shared_with_marac, withheld_note=withheld_note)


@transaction.atomic
def record_incident(*, case: Case, agency, recorded_by, occurred_at, behaviour: str, description: str,
                    witnesses: str = "", evidence: str = "") -> Incident:
    """Log an incident; one within 12 months of the case's last referral to MARAC flags
    the case as a repeat for its next agenda (marac.cases.repeats)."""
    if occurred_at > timezone.now():
        raise DomainError({"occurred_at": ["An incident cannot be in the future."]})
    incident = Incident.objects.create(case=case, agency=agency, recorded_by=recorded_by, occurred_at=occurred_at,
                                       behaviour=behaviour, description=description, witnesses=witnesses,
                                       evidence=evidence)
    flag_repeat_incident(incident)
    return incident
