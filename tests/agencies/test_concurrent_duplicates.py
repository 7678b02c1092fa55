"""One username, one agency name: the database keeps them unique, and a request that lost
the race to a concurrent one is a 400 on the field, not a 500. Agency groups stay
unique when agency names are longer than a group name can hold."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from rest_framework.validators import UniqueValidator

from api.accounts.serializers import UserSerializer
from marac.agencies.models import Agency, AgencyKind, Membership
from marac.agencies.services import create_agency, group_name
from tests.factories import make_agency, make_platform_admin, make_user
from tests.trust.test_concurrency import client_for, run_concurrently

User = get_user_model()
ALREADY_EXISTS = ["Another record already has this value."]


def user_body(agency, username="new.user"):
    return {"username": username, "password": "correct-horse-battery", "agency": agency.pk, "role": "practitioner"}


# ---- Names longer than a group name ------------------------------------------------------


@pytest.mark.django_db
def test_two_agencies_whose_names_share_their_first_143_characters_are_both_created(api):
    client = api(make_platform_admin())
    shared = "Northshire Integrated Domestic Abuse and Stalking Advocacy Service " * 3
    names = [shared[:143] + " (north)", shared[:143] + " (south)"]
    for name in names:
        response = client.post("/api/v1/agencies/", {"name": name, "kind": "advocacy"}, format="json")
        assert response.status_code == 201, response.content
    groups = [Agency.objects.get(name=name).group for name in names]
    assert groups[0] != groups[1]
    assert all(len(group.name) <= 150 for group in groups)


@pytest.mark.django_db
def test_an_agency_name_that_fits_keeps_its_group_name():
    assert create_agency(name="Northshire Police", kind=AgencyKind.POLICE).group.name == "agency:Northshire Police"
    assert group_name("x" * 143) == "agency:" + "x" * 143  # 150 characters exactly: unchanged


def test_a_long_agency_name_gets_a_stable_group_name():
    assert group_name("y" * 200) == group_name("y" * 200)
    assert group_name("y" * 200) != group_name("y" * 199)
    assert len(group_name("y" * 200)) == 150


# ---- Duplicates ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_duplicate_agency_name_is_400_on_the_name(api):
    client = api(make_platform_admin())
    assert client.post("/api/v1/agencies/", {"name": "Northshire Police", "kind": "police"},
                       format="json").status_code == 201
    response = client.post("/api/v1/agencies/", {"name": "Northshire Police", "kind": "police"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["name"]
    assert Agency.objects.filter(name="Northshire Police").count() == 1


@pytest.mark.django_db
def test_an_agency_name_taken_after_the_uniqueness_check_is_400_and_writes_nothing(api):
    """The race, made deterministic: the serializer's check passes (as it does for two
    requests at once) and the database refuses the second row."""
    make_agency(AgencyKind.POLICE, name="Northshire Police")
    client = api(make_platform_admin())
    groups = Group.objects.count()
    with mock.patch.object(UniqueValidator, "__call__", return_value=None):
        response = client.post("/api/v1/agencies/", {"name": "Northshire Police",
                                                                         "kind": "police"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ALREADY_EXISTS}
    assert Agency.objects.filter(name="Northshire Police").count() == 1
    assert Group.objects.count() == groups


@pytest.mark.django_db
def test_a_username_taken_after_the_uniqueness_check_is_400_and_writes_nothing(api):
    agency = make_agency()
    make_user(agency, username="new.user")
    with mock.patch.object(UserSerializer, "validate_username", lambda self, value: value), \
            mock.patch("marac.agencies.services.check_username_free", lambda username: None):
        response = api(make_platform_admin()).post("/api/v1/users/", user_body(agency), format="json")
    assert response.status_code == 400
    assert response.json() == {"username": ALREADY_EXISTS}
    assert User.objects.filter(username="new.user").count() == 1
    assert Membership.objects.filter(user__username="new.user").count() == 1


@pytest.mark.django_db
def test_other_integrity_errors_are_not_disguised_as_bad_input(api):
    """Only a unique violation is the client's doing; a broken foreign key is a bug."""
    from django.db import IntegrityError

    from api.errors import unique_violation_field

    assert unique_violation_field(IntegrityError("FOREIGN KEY constraint failed")) is None
    assert unique_violation_field(IntegrityError("NOT NULL constraint failed: auth_user.username")) is None


# ---- The real race, on PostgreSQL -----------------------------------------------------------

needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent sessions need PostgreSQL")


@pytest.mark.concurrency
@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_12_concurrent_user_creations_with_one_username_give_one_201_and_400s():
    agency = make_agency()
    admin = make_platform_admin()
    responses = run_concurrently(12, lambda i: client_for(admin).post("/api/v1/users/", user_body(agency),
                                                                      format="json"))
    statuses = sorted(getattr(response, "status_code", response) for response in responses)
    assert statuses == [201] + [400] * 11, statuses
    assert User.objects.filter(username="new.user").count() == 1


@pytest.mark.concurrency
@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_12_concurrent_agency_creations_with_one_name_give_one_201_and_400s():
    admin = make_platform_admin()
    responses = run_concurrently(12, lambda i: client_for(admin).post(
        "/api/v1/agencies/", {"name": "Northshire Police", "kind": "police"}, format="json"))
    statuses = sorted(getattr(response, "status_code", response) for response in responses)
    assert statuses == [201] + [400] * 11, statuses
    assert Agency.objects.filter(name="Northshire Police").count() == 1
