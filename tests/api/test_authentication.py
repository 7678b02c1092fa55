"""Token authentication reads the token, its user, membership and agency in one
statement, and gives exactly the objects the ORM's select_related would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

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
    expected = Token.objects.select_related("user__membership__agency").get(key=key)
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
    assert token_with_holder("0" * 40) is None
    assert token_with_holder("") is None
