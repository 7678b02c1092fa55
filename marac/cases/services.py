"""Cases and what agencies add to them."""

from types import SimpleNamespace

from django.db import connections, transaction
from django.utils import timezone

from marac.errors import DomainError

from .identity import normalise_name, same_person
from .models import (
    Case,
    CasePerpetrator,
    CaseStatus,
    Child,
    ContactChannel,
    Gender,
    Incident,
    Perpetrator,
    ResearchContribution,
    Victim,
    VictimDetailChange,
    child_age,
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
                        "do_not_contact_via", "do_not_contact_note",
                        "ethnicity", "minority_ethnic", "disability", "lgbt")
# What the case shows every participant of the victim (api.cases VictimSummarySerializer):
# their history is shown to the same callers; the rest only to coordinators and chairs.
VICTIM_FIELDS_SHOWN_ON_CASE = ("first_name", "last_name", "date_of_birth", "gender", "postcode")
# How (not) to contact the victim: their history only to those who may see them on the
# case (policy row case.view_safe_contact; api.cases VictimHistoryViewSet).
SAFE_CONTACT_FIELDS = ("safe_contact", "do_not_contact_via", "do_not_contact_note")


def _given(field: str, value) -> bool:
    """Blank, unknown (null), an empty list and `not_known` mean the referrer did not say."""
    return value not in ("", None, []) and not (field == "gender" and value == Gender.NOT_KNOWN)


def contact_channels(channels) -> list[str]:
    """The "do not contact via" list as stored: known channels, each once, in the
    enumeration's order."""
    given = set(channels or ())
    if unknown := sorted(given - set(ContactChannel.values)):
        raise DomainError({"do_not_contact_via": [f"Unknown contact channel {', '.join(unknown)}."]})
    return [channel for channel in ContactChannel.values if channel in given]


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


CHILD_AGE_LIMIT = 18  # a child in the household is under 18


def _child_errors(child: dict, today) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not str(child.get("first_name") or "").strip():
        errors["first_name"] = ["A child needs a first name."]
    born, age = child.get("date_of_birth"), child.get("age")
    if born is None and age is None:
        errors["date_of_birth"] = ["Give the child's date of birth or, if it is not known, their age."]
    elif born is not None:
        known = Child(date_of_birth=born).age_on(today)
        if born > today:
            errors["date_of_birth"] = ["A date of birth cannot be in the future."]
        elif known >= CHILD_AGE_LIMIT:
            errors["date_of_birth"] = [f"A child in the household is under {CHILD_AGE_LIMIT}."]
        elif age is not None and age != known:
            errors["age"] = [f"The date of birth makes this child {known}, not {age}."]
    elif not 0 <= age < CHILD_AGE_LIMIT:
        errors["age"] = [f"A child in the household is under {CHILD_AGE_LIMIT}."]
    return errors


def check_children(children: list[dict], children_in_household: int | None) -> int:
    """The children listed on a referral, and the household count they imply: the
    count may be larger (not every child need be named) but never smaller; not given,
    it is the number listed."""
    today = timezone.localdate()
    errors: dict = {}
    # Keyed by the child's position, as DRF reports a list's invalid items.
    if per_child := {index: found for index, child in enumerate(children) if (found := _child_errors(child, today))}:
        errors["children"] = per_child
    if children_in_household is not None and children_in_household < len(children):
        errors["children_in_household"] = [
            f"{len(children)} children are listed: the household has at least that many."]
    if errors:
        raise DomainError(errors)
    return len(children) if children_in_household is None else children_in_household


def add_children(children: list[dict], *, referral=None, case: Case | None = None) -> list[Child]:
    today = timezone.localdate()
    return Child.objects.bulk_create([
        Child(referral=referral, case=case, first_name=child["first_name"].strip(),
              date_of_birth=child.get("date_of_birth"),
              age_given=None if child.get("date_of_birth") else child.get("age"),
              age_given_on=None if child.get("date_of_birth") else today,
              school=child.get("school", "").strip())
        for child in children])


def _same_child(one: Child, other: Child) -> bool:
    return (one.first_name.casefold() == other.first_name.casefold()
            and (one.date_of_birth == other.date_of_birth or None in (one.date_of_birth, other.date_of_birth)))


def child_row(first_name, date_of_birth, age_given, age_given_on, school, today) -> SimpleNamespace:
    """A child as a page lists it: first_name, date_of_birth, school and their `age` TODAY."""
    return SimpleNamespace(first_name=first_name, date_of_birth=date_of_birth, school=school,
                           age=child_age(date_of_birth, age_given, age_given_on, today))


def attach_children(cases: list) -> None:
    """Each case's children as `case.child_rows`, plain rows (first_name, date_of_birth,
    school, and their `age` today): a page of cases (model instances or plain rows) in
    one query. Written as SQL, as `attach_participant_ids` is, because every case list
    runs it: the page's ids go as one array on PostgreSQL, and no ORM query is built."""
    by_case = {case.pk: [] for case in cases}
    if by_case:
        connection = connections[Child.objects.db]
        ids = list(by_case)
        if connection.vendor == "postgresql":
            in_ids, id_params = "= ANY(%s)", [ids]
        else:
            in_ids, id_params = f"IN ({', '.join(['%s'] * len(ids))})", ids
        today = timezone.localdate()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT case_id, first_name, date_of_birth, age_given, age_given_on, school "
                           f"FROM {Child._meta.db_table} WHERE case_id {in_ids} ORDER BY id", id_params)
            for case_id, first_name, born, age_given, age_given_on, school in cursor.fetchall():
                by_case[case_id].append(child_row(first_name, born, age_given, age_given_on, school, today))
    for case in cases:
        case.child_rows = by_case[case.pk]


def copy_children(referral, case: Case) -> list[Child]:
    """On accept, the case gets its own copies of the children the referral lists. A
    repeat's case keeps the children it knows and gains those it does not (same first
    name and date of birth, ignoring case, is the same child); its household count is
    never below the children it lists."""
    known = list(case.children.all())
    new = [child for child in referral.children.all() if not any(_same_child(child, seen) for seen in known)]
    copies = Child.objects.bulk_create([
        Child(case=case, first_name=child.first_name, date_of_birth=child.date_of_birth, age_given=child.age_given,
              age_given_on=child.age_given_on, school=child.school)
        for child in new])
    listed = len(known) + len(copies)
    if case.children_in_household < listed:
        case.children_in_household = listed
        case.save(update_fields=["children_in_household", "updated_at"])
    return copies


CHANGEABLE_CASE_FIELDS = ("status", "summary", "stalking", "children_in_household")


def update_case(case: Case, **changes) -> Case:
    """A coordinator's correction of the case record (status, summary, stalking flag,
    children in the household: never fewer than the children it lists)."""
    unknown = set(changes) - set(CHANGEABLE_CASE_FIELDS)
    if unknown:
        raise DomainError({name: ["This field cannot be changed here."] for name in sorted(unknown)})
    count = changes.get("children_in_household")
    if count is not None and count < (listed := case.children.count()):
        raise DomainError({"children_in_household": [
            f"{listed} children are listed on this case: the household has at least that many."]})
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
