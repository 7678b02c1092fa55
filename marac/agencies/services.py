"""Accounts: agencies and their users. One agency and one role per user; the user
joins the agency's group so that the agency's object grants reach them."""

import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .models import Agency, Membership

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
def create_user(*, username: str, password: str, agency: Agency, role: str, email: str = "", **extra) -> User:
    """Create a user in one agency with one role. The password is validated against
    the configured validators (raises django ValidationError)."""
    user = User(username=username, email=email, **extra)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    Membership.objects.create(user=user, agency=agency, role=role)
    user.groups.add(agency.group)
    return user
