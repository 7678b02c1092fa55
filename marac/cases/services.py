"""Cases and what agencies add to them."""

from django.db import transaction
from django.utils import timezone

from marac.errors import DomainError

from .models import Case, CaseStatus, Gender, Incident, Perpetrator, ResearchContribution, Victim


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


def _given(field: str, value) -> bool:
    """Blank, unknown (null) and `not_known` mean the referrer did not say."""
    return value not in ("", None) and not (field == "gender" and value == Gender.NOT_KNOWN)


def record_victim_details(case: Case, submitted: Victim) -> Victim:
    """A repeat referral's victim details, once accepted, become the case's current ones,
    copied onto the case's own Victim row (never by pointing the case at the referral's
    row). What the referrer did not give keeps the value the case already holds, so a
    partial referral cannot erase a known safe contact.

    The seam for the victim's history of details: keep the row being replaced here."""
    victim = case.victim
    changed = []
    for field in VICTIM_DETAIL_FIELDS:
        value = getattr(submitted, field)
        if _given(field, value) and getattr(victim, field) != value:
            setattr(victim, field, value)
            changed.append(field)
    if changed:
        victim.save(update_fields=changed)
    return victim


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


def record_incident(*, case: Case, agency, recorded_by, occurred_at, behaviour: str, description: str,
                    witnesses: str = "", evidence: str = "") -> Incident:
    if occurred_at > timezone.now():
        raise DomainError({"occurred_at": ["An incident cannot be in the future."]})
    return Incident.objects.create(case=case, agency=agency, recorded_by=recorded_by, occurred_at=occurred_at,
                                   behaviour=behaviour, description=description, witnesses=witnesses,
                                   evidence=evidence)
