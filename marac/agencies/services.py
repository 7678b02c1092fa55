"""Accounts: agencies and their users. One agency and one role per user; the user
joins the agency's group so that the agency's object grants reach them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .models import Agency, Membership

User = get_user_model()


@transaction.atomic
def create_agency(*, name: str, kind: str) -> Agency:
    group = Group.objects.create(name=f"agency:{name}"[:150])
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
