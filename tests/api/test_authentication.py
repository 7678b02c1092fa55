"""Token authentication reads the token, its user, membership and agency in one
statement, and gives exactly the objects the ORM's select_related would. Tokens are
django-rest-knox's: stored as a digest, expiring, revocable."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken

from api.authentication import token_with_holder
from marac.agencies.models import AgencyKind, Role
from tests.factories import make_agency, make_platform_admin, make_user, token_for

pytestmark = pytest.mark.django_db


def _field_values(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields}


def test_the_token_holder_is_what_the_orm_reads_in_one_query():
    user = make_user(make_agency(AgencyKind.HOUSING, name="Housing Ltd"), Role.MANAGER)
    user.last_login = timezone.now()
    user.save()
    key = token_for(user)
    expected = AuthToken.objects.select_related("user__membership__agency").get(digest=hash_token(key))
    with CaptureQueriesContext(connection) as queries:
        token = token_with_holder(key)
        membership = token.user.membership
        agency = membership.agency
    assert len(queries) == 1
    assert _field_values(token) == _field_values(expected)
    assert _field_values(token.user) == _field_values(expected.user)
    assert _field_values(membership) == _field_values(expected.user.membership)
    assert _field_values(agency) == _field_values(expected.user.membership.agency)
    assert token.user.last_login.tzinfo is not None and agency.name == "Housing Ltd"
    assert membership.user is token.user and not token.user._state.adding and token.user._state.db == "default"


def test_a_user_without_membership_is_known_to_have_none_without_another_query():
    admin = make_platform_admin()
    token = token_with_holder(token_for(admin))
    with CaptureQueriesContext(connection) as queries:
        assert getattr(token.user, "membership", None) is None
    assert len(queries) == 0
    assert token.user.is_superuser


def test_an_unknown_key_finds_nobody():
    make_user(make_agency())
    assert token_with_holder("0" * 64) is None
    assert token_with_holder("") is None


@pytest.mark.parametrize("garbage", ["\x00" * 64, "a" * 63 + "\x00", "A" * 64, "g" * 64, "a" * 65, "é" * 64,
                                     "\ud800", "0" * 10_000])
def test_a_malformed_token_finds_nobody_without_asking_the_database(garbage):
    with CaptureQueriesContext(connection) as queries:
        assert token_with_holder(garbage) is None
    assert len(queries) == 0


def test_an_expired_token_finds_nobody():
    user = make_user(make_agency())
    key = token_for(user)
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - timedelta(seconds=1))
    assert token_with_holder(key) is None


def test_a_token_without_expiry_still_authenticates():
    """knox allows `expiry IS NULL` (no TTL): the statement must keep accepting it."""
    user = make_user(make_agency())
    _, key = AuthToken.objects.create(user=user, expiry=None)
    assert token_with_holder(key).user == user
