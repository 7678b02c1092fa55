"""Accounts: agencies and their users. One agency and one role per user; the user
joins the agency's group so that the agency's object grants reach them.

Platform administrators (superusers) hold no membership, so they never reach case
data: the rule is checked here (400 on the API), by Membership.save() and, on
PostgreSQL, by triggers on both tables (marac.agencies.models)."""

from datetime import date

import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from marac.errors import DomainError
from marac.maracs.services import maracs_for_role

from .models import MEMBER_CANNOT_BE_SUPERUSER, SUPERUSER_CANNOT_BE_MEMBER, Agency, Membership

User = get_user_model()


def group_name(agency_name: str) -> str:
    """The name of an agency's Group: "agency:<name>", unique as agency names are. A
    Group name holds 150 characters and an agency name 200, so a longer one keeps its
    first characters and ends with a digest of the whole name: two agencies whose names
    share their first 143 characters no longer get the same group name. Names that fit
    are unchanged, so existing groups need no migration."""
    name = f"agency:{agency_name}"
    max_length = Group._meta.get_field("name").max_length
    if len(name) <= max_length:
        return name
    digest = hashlib.sha256(agency_name.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{name[:max_length - len(digest) - 1]}~{digest}"


@transaction.atomic
def create_agency(*, name: str, kind: str) -> Agency:
    group = Group.objects.create(name=group_name(name))
    return Agency.objects.create(name=name, kind=kind, group=group)


@transaction.atomic
def create_user(*, username: str, password: str, agency: Agency, role: str, email: str = "", maracs=None,
                **extra) -> User:
    """Create a user in one agency with one role. The password is validated against
    the configured validators (raises django ValidationError). Coordinators and chairs
    serve `maracs` (default: the only active MARAC; see add_membership)."""
    if extra.get("is_superuser"):
        raise DomainError({"is_superuser": [SUPERUSER_CANNOT_BE_MEMBER]})
    user = User(username=username, email=email, **extra)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    add_membership(user, agency=agency, role=role, maracs=maracs)
    return user


@transaction.atomic
def add_membership(user, *, agency: Agency, role: str, maracs=None) -> Membership:
    """Give a user (not a platform administrator) their one agency and role. A
    coordinator or chair serves the MARACs named, or the only active one when none is
    named (400 on `maracs` when several are active); other roles serve none."""
    if user.is_superuser:
        raise DomainError({"user": [SUPERUSER_CANNOT_BE_MEMBER]})
    served = maracs_for_role(role, maracs)
    membership = Membership.objects.create(user=user, agency=agency, role=role)
    user.groups.add(agency.group)
    if served:
        membership.maracs.set(served)
    return membership


@transaction.atomic
def set_maracs(user, maracs) -> Membership:
    """Change the MARACs a coordinator or chair serves (platform administrators)."""
    membership = user.membership
    membership.maracs.set(maracs_for_role(membership.role, maracs))
    return membership


def check_may_be_superuser(user) -> None:
    """A member of an agency is never made a superuser (they would be both)."""
    if user.pk is not None and user.is_superuser and Membership.objects.filter(user_id=user.pk).exists():
        raise DomainError({"is_superuser": [MEMBER_CANNOT_BE_SUPERUSER]})


@transaction.atomic
def update_user(user, *, by=None, is_active: bool | None = None, maracs=None, **fields) -> User:
    """Change an account's details (and the MARACs a coordinator or chair serves);
    deactivating it also ends its access at once."""
    if maracs is not None:
        set_maracs(user, maracs)
    for name, value in fields.items():
        setattr(user, name, value)
    if fields:
        user.save(update_fields=list(fields))
    if is_active is False and user.is_active:
        deactivate_user(user, by=by)
    elif is_active is True and not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def deactivate_user(user, *, by=None) -> User:
    """Deactivate an account and revoke its API tokens and sessions in the same
    transaction, so nothing it already holds keeps working."""
    if by is not None and by.pk == user.pk:
        raise DomainError({"is_active": ["You cannot deactivate your own account."]})
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoke_access(user)
    return user


def revoke_access(user) -> int:
    """Delete every API token and every session of this user; returns how many."""
    return revoke_tokens(user) + end_sessions(user)


def revoke_tokens(user) -> int:
    return AuthToken.objects.filter(user_id=user.pk).delete()[0]


def end_sessions(user) -> int:
    """Sessions (the Django admin's) are signed blobs keyed by session id, not by
    user: read each live one and delete the user's."""
    user_id = str(user.pk)
    ended = [session.pk for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
             if str(session.get_decoded().get("_auth_user_id")) == user_id]
    if ended:
        Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def delete_expired_tokens(today: date | None = None) -> int:
    """Daily sweep step: expired tokens no longer authenticate; remove their rows."""
    return AuthToken.objects.filter(expiry__lte=timezone.now()).delete()[0]
