"""A platform administrator (superuser) never holds a membership, and a member is
never made a superuser: otherwise an admin could give itself an agency and read case
data as it. Enforced by the domain services, the models and, on PostgreSQL, triggers."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from marac.agencies.models import Membership, Role
from marac.agencies.services import add_membership, create_user
from marac.errors import DomainError
from tests.factories import TEST_PASSWORD, make_agency, make_platform_admin, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()

needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")


def test_a_superuser_cannot_be_given_a_membership_by_the_service():
    admin = make_platform_admin()
    with pytest.raises(DomainError) as raised:
        add_membership(admin, agency=make_agency(), role=Role.COORDINATOR)
    assert "user" in raised.value.messages
    assert not Membership.objects.filter(user=admin).exists()


def test_a_user_cannot_be_created_as_a_superuser_member():
    with pytest.raises(DomainError):
        create_user(username="both", password=TEST_PASSWORD, agency=make_agency(), role=Role.CHAIR,
                    is_superuser=True)
    assert not User.objects.filter(username="both").exists()


def test_a_superuser_cannot_be_given_a_membership_by_the_model():
    admin = make_platform_admin()
    with pytest.raises(ValidationError):
        Membership.objects.create(user=admin, agency=make_agency(), role=Role.COORDINATOR)
    assert not Membership.objects.filter(user=admin).exists()


def test_a_member_cannot_be_made_a_superuser():
    member = make_user(make_agency(), Role.COORDINATOR)
    member.is_superuser = True
    with pytest.raises(DomainError) as raised:
        member.save()
    assert "is_superuser" in raised.value.messages
    member.refresh_from_db()
    assert not member.is_superuser


def test_createsuperuser_still_makes_a_platform_admin(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", TEST_PASSWORD)
    call_command("createsuperuser", interactive=False, username="root", email="root@example.org", verbosity=0)
    root = User.objects.get(username="root")
    assert root.is_superuser and not Membership.objects.filter(user=root).exists()


@pytest.mark.postgres
@needs_postgres
def test_the_database_refuses_a_membership_for_a_superuser():
    admin = make_platform_admin()
    with pytest.raises(IntegrityError, match="cannot hold an agency membership"), transaction.atomic():
        # bulk_create skips Membership.save(): only the trigger stands in the way.
        Membership.objects.bulk_create([Membership(user=admin, agency=make_agency(), role=Role.COORDINATOR)])
    assert not Membership.objects.filter(user=admin).exists()


@pytest.mark.postgres
@needs_postgres
def test_the_database_refuses_to_make_a_member_a_superuser():
    member = make_user(make_agency(), Role.COORDINATOR)
    with pytest.raises(IntegrityError, match="cannot be made a platform administrator"), transaction.atomic():
        User.objects.filter(pk=member.pk).update(is_superuser=True)  # no save(), no signal
    member.refresh_from_db()
    assert not member.is_superuser
