"""The permission matrix for the account endpoints, generated from the policy table:
every role of every agency kind, and platform admins."""

import pytest
from django.contrib.auth import get_user_model

from marac.agencies.models import Agency, AgencyKind, Role
from permissions.actor import PLATFORM_ADMIN
from permissions.policy import ASSIGNABLE_ROLES
from tests.factories import make_agency, make_platform_admin, make_user
from tests.permissions.matrix import permits, principals

pytestmark = pytest.mark.django_db
User = get_user_model()

PRINCIPALS = [pytest.param(role, kind, id=f"{role}-{kind}") for role, kind in principals()]


def actor_for(role, kind):
    if role == PLATFORM_ADMIN:
        return make_platform_admin(), None
    agency = make_agency(kind)
    return make_user(agency, role), agency


@pytest.mark.parametrize("role,kind", PRINCIPALS)
def test_agency_create_follows_policy(api, role, kind):
    user, _ = actor_for(role, kind)
    response = api(user).post("/api/v1/agencies/", {"name": "Matrix Agency", "kind": "housing"}, format="json")
    allowed = permits("agency", "create", role, kind, {})
    assert response.status_code == (201 if allowed else 403)
    assert Agency.objects.filter(name="Matrix Agency").exists() == allowed


@pytest.mark.parametrize("role,kind", PRINCIPALS)
def test_agency_list_follows_policy(api, role, kind):
    user, _ = actor_for(role, kind)
    other = make_agency(AgencyKind.HEALTH)
    ids = {row["id"] for row in api(user).get("/api/v1/agencies/").json()["results"]}
    assert (other.pk in ids) == permits("agency", "view", role, kind, {"own_agency": False})


@pytest.mark.parametrize("new_role", Role.values)
@pytest.mark.parametrize("own", [True, False], ids=["own-agency", "other-agency"])
@pytest.mark.parametrize("role,kind", PRINCIPALS)
def test_user_create_follows_policy(api, role, kind, own, new_role):
    user, agency = actor_for(role, kind)
    target = agency if (own and agency is not None) else make_agency(AgencyKind.POLICE)
    body = {"username": "matrix.user", "password": "correct-horse-battery", "agency": target.pk, "role": new_role}
    response = api(user).post("/api/v1/users/", body, format="json")
    facts = {"own_agency": target == agency}
    principal = PLATFORM_ADMIN if role == PLATFORM_ADMIN else role
    allowed = permits("user", "create", role, kind, facts) and new_role in ASSIGNABLE_ROLES.get(principal, ())
    assert response.status_code == (201 if allowed else 403), response.content
    assert User.objects.filter(username="matrix.user").exists() == allowed


@pytest.mark.parametrize("role,kind", PRINCIPALS)
def test_user_list_follows_policy(api, role, kind):
    user, agency = actor_for(role, kind)
    colleague = make_user(agency) if agency else None
    stranger = make_user(make_agency(AgencyKind.HEALTH))
    names = {row["username"] for row in api(user).get("/api/v1/users/").json()["results"]}
    assert (stranger.username in names) == permits("user", "view", role, kind, {"own_agency": False})
    if colleague:
        assert (colleague.username in names) == permits("user", "view", role, kind, {"own_agency": True})


@pytest.mark.parametrize("target_role", Role.values)
@pytest.mark.parametrize("own", [True, False], ids=["own-agency", "other-agency"])
@pytest.mark.parametrize("role,kind", PRINCIPALS)
def test_user_change_follows_policy(api, role, kind, own, target_role):
    """PATCH {is_active: false}: 404 outside the caller's view of users, 403 inside it
    unless the "change" row allows it and the caller may hand out the account's role."""
    user, agency = actor_for(role, kind)
    target = make_user(agency if (own and agency is not None) else make_agency(AgencyKind.POLICE), target_role)
    response = api(user).patch(f"/api/v1/users/{target.pk}/", {"is_active": False}, format="json")
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
