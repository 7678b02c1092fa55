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


@pytest.mark.concurrency
@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["membership", "promotion"])
def test_a_concurrent_membership_and_promotion_cannot_both_commit(first):
    """Each trigger alone sees only committed rows: the membership trigger locks the user
    row, so the other transaction waits for it and then sees its write."""
    import threading

    from django.db import connections

    user = User.objects.create_user(f"racer-{first}", password=TEST_PASSWORD)
    agency = make_agency()
    writes = {
        "membership": lambda: Membership.objects.bulk_create([Membership(user=user, agency=agency, role=Role.CHAIR)]),
        "promotion": lambda: User.objects.filter(pk=user.pk).update(is_superuser=True),
    }
    second = "promotion" if first == "membership" else "membership"
    written, release, outcome = threading.Event(), threading.Event(), {}

    def hold_first():
        try:
            with transaction.atomic():
                writes[first]()
                written.set()
                release.wait(30)
        finally:
            connections.close_all()

    def try_second():
        try:
            with transaction.atomic():
                writes[second]()
            outcome["second"] = "committed"
        except IntegrityError:
            outcome["second"] = "refused"
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_first)
    holder.start()
    assert written.wait(30)
    challenger = threading.Thread(target=try_second)
    challenger.start()
    challenger.join(1)
    assert challenger.is_alive()  # waiting for the first transaction's lock
    release.set()
    holder.join(30)
    challenger.join(30)
    assert outcome == {"second": "refused"}
    user.refresh_from_db()
    assert not (user.is_superuser and Membership.objects.filter(user=user).exists())
