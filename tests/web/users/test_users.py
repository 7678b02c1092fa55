"""Users: managers administer their own agency's accounts (list, add, deactivate,
reactivate) with the API's assignable-roles rule; platform administrators everyone's."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, make_agency, make_user, token_for

pytestmark = pytest.mark.django_db
User = get_user_model()


def _new(username="new.person", **overrides):
    body = {"first_name": "New", "last_name": "Person", "username": username, "email": "",
            "password": "a-long-new-passphrase-5", "role": Role.PRACTITIONER}
    body.update(overrides)
    return body


def test_managers_see_their_own_agencys_users_only(web):
    agency = make_agency(AgencyKind.HOUSING)
    manager = make_user(agency, Role.MANAGER)
    colleague = make_user(agency)
    stranger = make_user(make_agency())
    page = web(manager).get("/users/").content.decode()
    assert colleague.username in page and stranger.username not in page and "Add a user" in page


def test_a_manager_adds_a_practitioner_to_their_own_agency_and_it_is_audited(web):
    agency = make_agency(AgencyKind.HOUSING)
    manager = make_user(agency, Role.MANAGER)
    response = web(manager).post("/users/new/", _new(agency=make_agency().pk))  # an agency field is ignored
    created = User.objects.get(username="new.person")
    assert response.status_code == 302 and response["Location"] == f"/users/{created.pk}/"
    assert created.membership.agency == agency and created.membership.role == Role.PRACTITIONER
    assert ("create", "user", str(created.pk)) in AuditEvent.objects.values_list("action", "object_type", "object_id")


def test_managers_may_give_only_the_roles_the_api_lets_them_assign(web):
    manager = make_user(make_agency(), Role.MANAGER)
    client = web(manager)
    form = client.get("/users/new/").content.decode()
    assert 'value="practitioner"' in form and 'value="manager"' in form and 'value="coordinator"' not in form
    response = client.post("/users/new/", _new(role=Role.COORDINATOR))
    assert response.status_code == 400 and b"Select a valid choice" in response.content
    assert not User.objects.filter(username="new.person").exists()


def test_a_new_user_is_refused_a_taken_username_or_a_password_like_their_name(web):
    manager = make_user(make_agency(), Role.MANAGER)
    make_user(username="taken.name")
    client = web(manager)
    taken = client.post("/users/new/", _new(username="Taken.Name"))
    assert b"A user with that username already exists." in taken.content
    alike = client.post("/users/new/", _new(password="NewPerson123"))
    assert b"too similar" in alike.content
    assert User.objects.filter(username__iexact="new.person").count() == 0


def test_the_new_user_form_renders_without_logging_a_field_it_does_not_have(web, web_as, caplog):
    """A manager's form has no agency or MARAC fields: rendering it must not look them up
    (crispy-forms logs a warning with a KeyError for a field of its layout the form lacks)."""
    manager = make_user(make_agency(AgencyKind.HOUSING), Role.MANAGER)
    admin, _ = web_as("platform_admin")
    with caplog.at_level(logging.WARNING):
        statuses = [web(manager).get("/users/new/").status_code,
                    web(manager).post("/users/new/", _new(first_name="")).status_code,
                    admin.get("/users/new/").status_code]
    assert statuses == [200, 400, 200]
    # django.request logs the 400 itself; nothing else may log.
    assert [record.getMessage() for record in caplog.records if record.name != "django.request"] == []


def test_practitioners_cannot_add_users(web):
    response = web(make_user()).get("/users/new/")
    assert response.status_code == 403 and b"You cannot do this" in response.content


def test_deactivating_an_account_ends_its_sessions_and_tokens(web):
    agency = make_agency()
    manager = make_user(agency, Role.MANAGER)
    colleague = make_user(agency)
    token_for(colleague)
    their_client = web()
    their_client.post("/sign-in/", {"username": colleague.username, "password": TEST_PASSWORD})
    response = web(manager).post(f"/users/{colleague.pk}/deactivate/")
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_active and not AuthToken.objects.filter(user=colleague).exists()
    assert their_client.get("/").status_code == 302
    assert web(manager).post(f"/users/{colleague.pk}/reactivate/").status_code == 302
    colleague.refresh_from_db()
    assert colleague.is_active


def test_a_manager_cannot_change_a_coordinators_account_of_their_agency(web):
    agency = make_agency(AgencyKind.MARAC_COORDINATION)
    manager = make_user(agency, Role.MANAGER)
    coordinator = make_user(agency, Role.COORDINATOR)
    assert web(manager).post(f"/users/{coordinator.pk}/deactivate/").status_code == 403
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_another_agencys_user_is_not_found_for_a_manager(web):
    manager = make_user(make_agency(), Role.MANAGER)
    stranger = make_user(make_agency())
    assert web(manager).get(f"/users/{stranger.pk}/").status_code == 404
    assert web(manager).post(f"/users/{stranger.pk}/deactivate/").status_code == 404


def test_nobody_deactivates_their_own_account(web):
    manager = make_user(make_agency(), Role.MANAGER)
    client = web(manager)
    response = client.post(f"/users/{manager.pk}/deactivate/", follow=True)
    assert b"You cannot deactivate your own account." in response.content
    manager.refresh_from_db()
    assert manager.is_active


def test_platform_admins_add_users_to_any_agency_with_any_role(web_as):
    client, _ = web_as("platform_admin")
    agency = make_agency(AgencyKind.MARAC_COORDINATION)
    response = client.post("/users/new/", _new(role=Role.COORDINATOR, agency=agency.pk))
    assert response.status_code == 302
    created = User.objects.get(username="new.person")
    assert created.membership.role == Role.COORDINATOR and created.membership.agency == agency


def test_the_user_list_reads_a_fixed_number_of_queries_whatever_its_length(web):
    agency = make_agency()
    client = web(make_user(agency, Role.MANAGER))
    client.get("/users/")
    with CaptureQueriesContext(connection) as few:
        client.get("/users/")
    for _ in range(20):
        make_user(agency)
    with CaptureQueriesContext(connection) as many:
        client.get("/users/")
    assert len(many) == len(few) == 4
