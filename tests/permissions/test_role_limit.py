"""The accounts' role limit (USER.role_limit in permissions/policy.py), enforced by the
permission class: a manager gives and changes only the roles ASSIGNABLE_ROLES lets it,
and the 403 says which role, before anything is written."""

import pytest
from django.contrib.auth import get_user_model

from marac.agencies.models import AgencyKind, Role
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_a_manager_may_not_give_the_coordinator_role(api):
    manager = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.MANAGER)
    body = {"username": "new.coordinator", "password": "correct-horse-battery",
            "agency": manager.membership.agency_id, "role": Role.COORDINATOR}
    response = api(manager).post("/api/v1/users/", body, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "You may not give the role 'coordinator'."
    assert not User.objects.filter(username="new.coordinator").exists()


def test_a_manager_may_not_change_a_chairs_account(api):
    agency = make_agency(AgencyKind.MARAC_COORDINATION)
    manager, chair = make_user(agency, Role.MANAGER), make_user(agency, Role.CHAIR)
    response = api(manager).patch(f"/api/v1/users/{chair.pk}/", {"email": "chair@example.org"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "You may not change an account with the role 'chair'."
    chair.refresh_from_db()
    assert chair.email != "chair@example.org"


def test_an_invalid_role_is_the_serializers_400_not_a_403(api):
    manager = make_user(make_agency(AgencyKind.HOUSING), Role.MANAGER)
    body = {"username": "new.person", "password": "correct-horse-battery",
            "agency": manager.membership.agency_id, "role": "overlord"}
    response = api(manager).post("/api/v1/users/", body, format="json")
    assert response.status_code == 400 and "role" in response.json()
