"""Who a victim is, for matching referrals to cases and to each other.

A name is compared as a key: decomposed (NFKD) with the combining marks dropped, case
folded, and everything but letters and digits removed, so "Anne-Marie O'Neil" and
"anne marie oneil" have the same key ("annemarieoneil"). The key of the whole name is
stored on the Victim (`name_key`, indexed with the date of birth) and the keys of her
known aliases in VictimAlias rows, so matching is one indexed query, never a scan.
"""

import unicodedata
from collections.abc import Iterable
from datetime import date

from django.db.models import Q


def normalise_name(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def name_key(first_name: str, last_name: str = "") -> str:
    return normalise_name(f"{first_name} {last_name}")


def keys_of(first_name: str, last_name: str, aliases: Iterable[str] = ()) -> set[str]:
    """The keys one person is known by: her name and each alias."""
    return {key for key in (name_key(first_name, last_name), *(normalise_name(a) for a in aliases)) if key}


def same_victim_q(*, keys: set[str], date_of_birth: date, prefix: str = "") -> Q:
    """Victims (reached through `prefix`, e.g. "victim__") born on that date whose name
    or any alias has one of these keys."""
    from .models import VictimAlias

    return Q(**{f"{prefix}date_of_birth": date_of_birth}) & (
        Q(**{f"{prefix}name_key__in": keys})
        | Q(**{f"{prefix}pk__in": VictimAlias.objects.filter(key__in=keys).values("victim")})
    )


def _alike(a: str, b: str) -> bool:
    """The same name part, or one the start of the other (Anne / Anne-Marie, O'Neil / O'Neill)."""
    a, b = normalise_name(a), normalise_name(b)
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


def is_likely_match(first_name: str, last_name: str, keys: set[str], other_first: str, other_last: str,
                    other_keys: set[str]) -> bool:
    """For people born on the same day: the same name or alias, or a first name or a
    last name alike (the same, or one the start of the other), so a changed surname,
    a shortened first name or a misspelt surname still shows. A hint for the
    coordinator, never a link by itself."""
    return bool(keys & other_keys) or _alike(last_name, other_last) or _alike(first_name, other_first)


def same_person(a, b) -> bool:
    """Two records of a perpetrator name the same person: the same name key, and dates
    of birth that do not differ (either may be unknown)."""
    return (name_key(a.first_name, a.last_name) == name_key(b.first_name, b.last_name)
            and (a.date_of_birth is None or b.date_of_birth is None or a.date_of_birth == b.date_of_birth))
