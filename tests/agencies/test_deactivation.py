"""PATCH /api/v1/users/{id}/ {is_active: false}: platform admins for anyone, managers for
their own agency's practitioners and managers. Deactivating ends the account's access
at once: its tokens and sessions are revoked in the same transaction."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from knox.models import AuthToken

from marac.agencies.models import AgencyKind, Role
from marac.agencies.services import deactivate_user
from marac.audit.models import AuditEvent
from marac.errors import DomainError
from tests.factories import TEST_PASSWORD, make_agency, make_platform_admin, make_user, token_for

pytestmark = pytest.mark.django_db
User = get_user_model()


def deactivate(api, caller, user):
    return api(caller).patch(f"/api/v1/users/{user.pk}/", {"is_active": False}, format="json")


def session_users():
    return sorted(session.get_decoded().get("_auth_user_id") for session in Session.objects.all())


def test_deactivating_revokes_every_token_and_session_of_the_account():
    user, bystander = make_user(make_agency()), make_user(make_agency())
    for _ in range(2):
        token_for(user)
        Client().force_login(user)
    token_for(bystander)
    Client().force_login(bystander)
    deactivate_user(user)
    user.refresh_from_db()
    assert not user.is_active
    assert not AuthToken.objects.filter(user=user).exists()
    assert AuthToken.objects.filter(user=bystander).count() == 1
    assert session_users() == [str(bystander.pk)]


def test_a_deactivated_accounts_token_is_401_at_once(api):
    police = make_agency(AgencyKind.POLICE)
    manager, officer = make_user(police, Role.MANAGER), make_user(police)
    officers_client = api(officer)
    assert officers_client.get("/api/v1/me/").status_code == 200
    response = deactivate(api, manager, officer)
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    assert officers_client.get("/api/v1/me/").status_code == 401
    login = api().post("/api/v1/auth/token/", {"username": officer.username, "password": TEST_PASSWORD},
                       format="json")
    assert login.status_code == 400 and "token" not in login.json()


def test_platform_admin_deactivates_a_coordinator_and_reactivates_it(api):
    admin, coordinator = make_platform_admin(), make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    assert deactivate(api, admin, coordinator).status_code == 200
    response = api(admin).patch(f"/api/v1/users/{coordinator.pk}/", {"is_active": True}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is True
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_a_manager_deactivates_own_agency_practitioners_and_managers(api):
    housing = make_agency(AgencyKind.HOUSING)
    manager = make_user(housing, Role.MANAGER)
    for role in (Role.PRACTITIONER, Role.MANAGER):
        colleague = make_user(housing, role)
        assert deactivate(api, manager, colleague).status_code == 200
        colleague.refresh_from_db()
        assert not colleague.is_active


def test_a_manager_cannot_reach_another_agencys_account(api):
    manager, stranger = make_user(make_agency(), Role.MANAGER), make_user(make_agency())
    token_for(stranger)
    assert deactivate(api, manager, stranger).status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active and AuthToken.objects.filter(user=stranger).exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.CHAIR])
def test_a_manager_cannot_deactivate_a_coordinator_or_chair_of_its_agency(api, role):
    agency = make_agency(AgencyKind.MARAC_COORDINATION)
    manager, target = make_user(agency, Role.MANAGER), make_user(agency, role)
    assert deactivate(api, manager, target).status_code == 403
    target.refresh_from_db()
    assert target.is_active


def test_a_practitioner_cannot_deactivate_a_colleague(api):
    agency = make_agency()
    practitioner, colleague = make_user(agency), make_user(agency)
    assert deactivate(api, practitioner, colleague).status_code == 403
    colleague.refresh_from_db()
    assert colleague.is_active


def test_nobody_deactivates_their_own_account(api):
    manager = make_user(make_agency(), Role.MANAGER)
    response = deactivate(api, manager, manager)
    assert response.status_code == 400 and "is_active" in response.json()
    manager.refresh_from_db()
    assert manager.is_active
    with pytest.raises(DomainError):
        deactivate_user(manager, by=manager)


def test_only_is_active_and_email_can_be_patched(api):
    admin, user = make_platform_admin(), make_user(make_agency())
    response = api(admin).patch(f"/api/v1/users/{user.pk}/", {"role": Role.COORDINATOR, "username": "x"},
                                format="json")
    assert response.status_code == 400 and set(response.json()) == {"role", "username"}
    response = api(admin).patch(f"/api/v1/users/{user.pk}/", {"email": "new@example.org"}, format="json")
    assert response.status_code == 200 and response.json()["email"] == "new@example.org"


def test_is_active_is_read_only_on_create(api):
    admin = make_platform_admin()
    response = api(admin).post("/api/v1/users/", {"username": "fresh", "password": TEST_PASSWORD, "is_active": False,
                                                  "agency": make_agency().pk, "role": Role.PRACTITIONER}, format="json")
    assert response.status_code == 201 and response.json()["is_active"] is True


def test_account_writes_through_the_api_are_audited(api):
    admin, agency = make_platform_admin(), make_agency()
    created = api(admin).post("/api/v1/users/", {"username": "audited", "password": TEST_PASSWORD,
                                                 "agency": agency.pk, "role": Role.MANAGER}, format="json").json()
    new_agency = api(admin).post("/api/v1/agencies/", {"name": "Audited Agency", "kind": "health"},
                                 format="json").json()
    deactivate(api, admin, User.objects.get(pk=created["id"]))
    events = {(e.action, e.object_type, e.object_id, e.user_id) for e in AuditEvent.objects.all()}
    assert events == {("create", "user", str(created["id"]), admin.pk),
                      ("create", "agency", str(new_agency["id"]), admin.pk),
                      ("update", "user", str(created["id"]), admin.pk)}


def test_a_stale_if_match_deactivates_nothing(api):
    admin, user = make_platform_admin(), make_user(make_agency())
    client = api(admin)
    etag = client.get(f"/api/v1/users/{user.pk}/")["ETag"]
    assert client.patch(f"/api/v1/users/{user.pk}/", {"email": "a@example.org"}, format="json").status_code == 200
    response = client.patch(f"/api/v1/users/{user.pk}/", {"is_active": False}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    user.refresh_from_db()
    assert user.is_active
