"""The permission matrix for the account endpoints, generated from the policy table:
every role of every agency kind, and platform admins. One caller per class, every check
below (each account role, own agency or another) run as it, each in a savepoint rolled
back (tests/permissions/matrix.assert_world_follows_policy)."""

from functools import partial
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from marac.agencies.models import Agency, AgencyKind, Role
from permissions.actor import PLATFORM_ADMIN
from permissions.policy import ASSIGNABLE_ROLES
from tests.factories import make_agency, make_platform_admin, make_user
from tests.permissions.matrix import assert_world_follows_policy, permits, principals

pytestmark = pytest.mark.django_db
User = get_user_model()

PRINCIPALS = [pytest.param(role, kind, id=f"{role}-{kind}") for role, kind in principals()]


def actor_for(role, kind):
    if role == PLATFORM_ADMIN:
        return make_platform_admin(), None
    agency = make_agency(kind)
    return make_user(agency, role), agency


def agency_create_follows_policy(client, w):
    role, kind = w.role, w.kind
    response = client.post("/api/v1/agencies/", {"name": "Matrix Agency", "kind": "housing"}, format="json")
    allowed = permits("agency", "create", role, kind, {})
    assert response.status_code == (201 if allowed else 403)
    assert Agency.objects.filter(name="Matrix Agency").exists() == allowed


def agency_list_follows_policy(client, w):
    role, kind = w.role, w.kind
    other = make_agency(AgencyKind.HEALTH)
    ids = {row["id"] for row in client.get("/api/v1/agencies/").json()["results"]}
    assert (other.pk in ids) == permits("agency", "view", role, kind, {"own_agency": False})


def user_create_follows_policy(client, w, own, new_role):
    role, kind, agency = w.role, w.kind, w.agency
    target = agency if (own and agency is not None) else make_agency(AgencyKind.POLICE)
    body = {"username": "matrix.user", "password": "correct-horse-battery", "agency": target.pk, "role": new_role}
    response = client.post("/api/v1/users/", body, format="json")
    facts = {"own_agency": target == agency}
    principal = PLATFORM_ADMIN if role == PLATFORM_ADMIN else role
    allowed = permits("user", "create", role, kind, facts) and new_role in ASSIGNABLE_ROLES.get(principal, ())
    assert response.status_code == (201 if allowed else 403), response.content
    assert User.objects.filter(username="matrix.user").exists() == allowed


def user_list_follows_policy(client, w):
    role, kind, agency = w.role, w.kind, w.agency
    colleague = make_user(agency) if agency else None
    stranger = make_user(make_agency(AgencyKind.HEALTH))
    names = {row["username"] for row in client.get("/api/v1/users/").json()["results"]}
    assert (stranger.username in names) == permits("user", "view", role, kind, {"own_agency": False})
    if colleague:
        assert (colleague.username in names) == permits("user", "view", role, kind, {"own_agency": True})


def user_change_follows_policy(client, w, own, target_role):
    """PATCH {is_active: false}: 404 outside the caller's view of users, 403 inside it
    unless the "change" row allows it and the caller may hand out the account's role."""
    role, kind, agency = w.role, w.kind, w.agency
    target = make_user(agency if (own and agency is not None) else make_agency(AgencyKind.POLICE), target_role)
    response = client.patch(f"/api/v1/users/{target.pk}/", {"is_active": False}, format="json")
    facts = {"own_agency": own and agency is not None}
    principal = PLATFORM_ADMIN if role == PLATFORM_ADMIN else role
    if not permits("user", "view", role, kind, facts):
        expected = 404
    elif permits("user", "change", role, kind, facts) and target_role in ASSIGNABLE_ROLES.get(principal, ()):
        expected = 200
    else:
        expected = 403
    assert response.status_code == expected, response.content
    target.refresh_from_db()
    assert target.is_active == (expected != 200)


CHECKS = [
    agency_create_follows_policy,
    agency_list_follows_policy,
    user_list_follows_policy,
    *(partial(user_create_follows_policy, own=own, new_role=new_role)
      for own in (True, False) for new_role in Role.values),
    *(partial(user_change_follows_policy, own=own, target_role=target_role)
      for own in (True, False) for target_role in Role.values),
]


@pytest.mark.parametrize("role,kind", PRINCIPALS)
def test_accounts_follow_policy(api, role, kind):
    user, agency = actor_for(role, kind)
    w = SimpleNamespace(role=role, kind=kind, actor=user, agency=agency, where="in its own agency")
    assert_world_follows_policy(api(user), w, checks=CHECKS)
