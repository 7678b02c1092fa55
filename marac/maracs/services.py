"""MARACs: the directory, and which MARAC a referral, meeting or coordinator belongs to
when the client names none.

A deployment with one active MARAC behaves as before MARACs existed: nobody has to
name it. A deployment that has not recorded any MARAC yet gets one, named by the
`MARAC_NAME` setting, the first time one is needed. With several active, the client
names it (400 otherwise)."""

from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction

from marac.errors import DomainError

from .models import Marac

NAME_THE_MARAC = "More than one MARAC is active: name the MARAC."
MARAC_NOT_ACTIVE = "This MARAC is not active."
NO_ACTIVE_MARAC = "No MARAC is active: a platform administrator activates one first."
ONLY_COORDINATORS_AND_CHAIRS_SERVE = "Only coordinators and chairs serve MARACs."
SERVE_AT_LEAST_ONE = "A coordinator or chair serves at least one MARAC."


def default_marac() -> Marac:
    """The MARAC named by the `MARAC_NAME` setting, recorded the first time it is needed
    (existing data was migrated into it)."""
    marac = Marac.objects.filter(name=settings.MARAC_NAME).first()
    if marac is not None:
        return marac
    try:
        with transaction.atomic():
            return Marac.objects.create(name=settings.MARAC_NAME)
    except IntegrityError:  # recorded by a concurrent request
        return Marac.objects.get(name=settings.MARAC_NAME)


def only_active_marac() -> Marac | None:
    """The one active MARAC; None when several are active or none is. Where no MARAC
    has been recorded at all, the default one is."""
    active = list(Marac.objects.filter(is_active=True).order_by("pk")[:2])
    if len(active) == 1:
        return active[0]
    if not active and not Marac.objects.exists():
        return default_marac()
    return None


def default_marac_id() -> int | None:
    """The MARAC of a referral, case or meeting saved without one (BelongsToMarac)."""
    marac = only_active_marac()
    return None if marac is None else marac.pk


def resolve_marac(marac: Marac | None, *, field: str = "marac") -> Marac:
    """The MARAC a new referral or meeting belongs to: the one named (it must be
    active), else the only active one (400 naming FIELD when there are several)."""
    if marac is None:
        marac = only_active_marac()
        if marac is None:
            several = Marac.objects.filter(is_active=True).exists()
            raise DomainError({field: [NAME_THE_MARAC if several else NO_ACTIVE_MARAC]})
        return marac
    if not marac.is_active:
        raise DomainError({field: [MARAC_NOT_ACTIVE]})
    return marac


def serves_maracs(role: str) -> bool:
    from marac.agencies.models import Role

    return role in (Role.COORDINATOR, Role.CHAIR)


def maracs_for_role(role: str, maracs: Iterable[Marac] | None, *, field: str = "maracs") -> list[Marac]:
    """The MARACs a user of ROLE serves: coordinators and chairs serve those named (each
    active), or the only active MARAC when none is named; other roles serve none."""
    maracs = None if maracs is None else list(maracs)
    if not serves_maracs(role):
        if maracs:
            raise DomainError({field: [ONLY_COORDINATORS_AND_CHAIRS_SERVE]})
        return []
    if not maracs:
        marac = only_active_marac()
        if marac is None:
            several = Marac.objects.filter(is_active=True).exists()
            raise DomainError({field: [NAME_THE_MARAC if several else NO_ACTIVE_MARAC]})
        return [marac]
    if inactive := sorted(m.name for m in maracs if not m.is_active):
        raise DomainError({field: [f"{MARAC_NOT_ACTIVE[:-1]}: {', '.join(inactive)}."]})
    return list(dict.fromkeys(maracs))


def create_marac(**fields) -> Marac:
    return Marac.objects.create(**fields)


def update_marac(marac: Marac, **fields) -> Marac:
    for name, value in fields.items():
        setattr(marac, name, value)
    if fields:
        marac.save(update_fields=list(fields))
    return marac


def served_marac_ids(membership_id: int | None):
    """The MARACs a membership serves, as a subquery: the "marac" scope condition."""
    from marac.agencies.models import Membership

    return Membership.maracs.through.objects.filter(membership_id=membership_id).values("marac_id")
