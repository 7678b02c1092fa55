"""The Django admin is the account directory only: a platform administrator finds no
case data, no API token and no way to become a member there, and everything it does
there is audited."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from knox.models import AuthToken

from marac.agencies.models import Agency, AgencyKind, Membership, Role
from marac.audit.admin import AuditedAdmin
from marac.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, make_agency, make_platform_admin, make_user, token_for

pytestmark = pytest.mark.django_db
User = get_user_model()

ACCOUNT_MODELS = {Agency, Membership, User}


@pytest.fixture
def admin_client():
    superuser = make_platform_admin()
    client = Client()
    client.force_login(superuser)
    client.superuser = superuser
    return client


def test_only_account_models_are_in_the_admin():
    assert set(admin.site._registry) == ACCOUNT_MODELS


def test_every_registered_admin_is_audited():
    assert all(isinstance(model_admin, AuditedAdmin) for model_admin in admin.site._registry.values())


@pytest.mark.parametrize("model", [m for m in apps.get_models() if m not in ACCOUNT_MODELS],
                         ids=lambda m: m._meta.label)
def test_case_data_and_token_pages_are_404_for_a_superuser(admin_client, model):
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    for path in (base, f"{base}add/", f"{base}1/change/"):
        assert admin_client.get(path).status_code == 404, path


def test_no_admin_page_shows_a_token(admin_client):
    user = make_user(make_agency())
    token = token_for(user)
    for path in ("/admin/", f"/admin/auth/user/{user.pk}/change/", "/admin/auth/user/",
                 "/admin/agencies/membership/"):
        response = admin_client.get(path)
        assert response.status_code == 200, path
        assert token not in response.content.decode() and token[:15] not in response.content.decode()
        assert b"auth_token" not in response.content.lower() and b"knox" not in response.content.lower()


def test_membership_admin_offers_no_superuser(admin_client):
    member_to_be = User.objects.create_user("new.coordinator", password=TEST_PASSWORD)
    page = admin_client.get("/admin/agencies/membership/add/").content.decode()
    page = page[page.index('name="user"'):page.index("</select>", page.index('name="user"'))]  # the user choices
    assert f'value="{member_to_be.pk}"' in page
    assert f'value="{admin_client.superuser.pk}"' not in page
    agency = make_agency(AgencyKind.MARAC_COORDINATION)
    response = admin_client.post("/admin/agencies/membership/add/",
                                 {"user": admin_client.superuser.pk, "agency": agency.pk, "role": Role.COORDINATOR})
    assert response.status_code == 200  # the form again, with the error
    assert not Membership.objects.filter(user=admin_client.superuser).exists()


def test_a_membership_added_in_the_admin_joins_the_agency_and_is_audited(admin_client):
    user = User.objects.create_user("new.chair", password=TEST_PASSWORD)
    agency = make_agency(AgencyKind.MARAC_COORDINATION)
    response = admin_client.post("/admin/agencies/membership/add/",
                                 {"user": user.pk, "agency": agency.pk, "role": Role.CHAIR})
    assert response.status_code == 302, response.content
    membership = Membership.objects.get(user=user)
    assert user.groups.filter(pk=agency.group_id).exists()
    event = AuditEvent.objects.get(object_type="membership")
    assert (event.action, event.object_id, event.operation, event.user_id) == (
        "create", str(membership.pk), "admin:add", admin_client.superuser.pk)


def test_admin_cannot_make_a_member_a_superuser(admin_client):
    member = make_user(make_agency(), Role.COORDINATOR)
    page = admin_client.get(f"/admin/auth/user/{member.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    response = admin_client.post(f"/admin/auth/user/{member.pk}/change/", _user_form(member, is_superuser="on"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_superuser


def test_admin_add_change_and_delete_are_audited(admin_client):
    response = admin_client.post("/admin/agencies/agency/add/", {"name": "Audited Homes", "kind": "housing"})
    assert response.status_code == 302
    agency = Agency.objects.get(name="Audited Homes")
    admin_client.post(f"/admin/agencies/agency/{agency.pk}/change/", {"name": "Audited Homes Ltd", "kind": "housing"})
    admin_client.post(f"/admin/agencies/agency/{agency.pk}/delete/", {"post": "yes"})
    assert not Agency.objects.filter(pk=agency.pk).exists()
    events = AuditEvent.objects.filter(object_type="agency", object_id=str(agency.pk)).order_by("id")
    assert [(e.action, e.operation, e.user_id, e.username) for e in events] == [
        (action, operation, admin_client.superuser.pk, admin_client.superuser.username)
        for action, operation in [("create", "admin:add"), ("update", "admin:change"), ("delete", "admin:delete")]]
    assert all(e.client_address == "127.0.0.1" for e in events)


def test_admin_bulk_delete_is_audited(admin_client):
    agencies = [make_agency(name=f"Spare {i}") for i in range(2)]
    response = admin_client.post("/admin/agencies/agency/", {
        "action": "delete_selected", "_selected_action": [a.pk for a in agencies], "post": "yes"})
    assert response.status_code == 302
    assert set(AuditEvent.objects.filter(object_type="agency", action="delete").values_list("object_id", flat=True)) \
        == {str(a.pk) for a in agencies}


def test_deactivating_in_the_admin_revokes_tokens_and_sessions(admin_client):
    member = make_user(make_agency())
    token = token_for(member)
    Client().force_login(member)
    response = admin_client.post(f"/admin/auth/user/{member.pk}/change/", _user_form(member, is_active=""))
    assert response.status_code == 302, response.content
    member.refresh_from_db()
    assert not member.is_active
    assert not AuthToken.objects.filter(user=member).exists()
    assert [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()] == [str(admin_client.superuser.pk)]
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert AuditEvent.objects.filter(object_type="user", object_id=str(member.pk), operation="admin:change").exists()


def _user_form(user, **changes):
    form = {"username": user.username, "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email, "is_active": "on" if user.is_active else "", "is_staff": "",
            "last_login_0": "", "last_login_1": "",
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"), "date_joined_1": "00:00:00"}
    form.update(changes)
    # An unticked checkbox is not sent at all.
    return {k: v for k, v in form.items() if not (k.startswith("is_") and v == "")}


def test_admin_audit_ignores_a_client_supplied_forwarded_for(admin_client, settings):
    settings.MARAC_TRUSTED_PROXIES = 0
    admin_client.post("/admin/agencies/agency/add/", {"name": "Spoofed Homes", "kind": "housing"},
                      HTTP_X_FORWARDED_FOR="203.0.113.9")
    event = AuditEvent.objects.get(object_type="agency", operation="admin:add")
    assert event.client_address == "127.0.0.1"


def test_admin_audit_reads_the_address_our_proxy_saw(admin_client, settings):
    settings.MARAC_TRUSTED_PROXIES = 1
    admin_client.post("/admin/agencies/agency/add/", {"name": "Proxied Homes", "kind": "housing"},
                      HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    event = AuditEvent.objects.get(object_type="agency", operation="admin:add")
    assert event.client_address == "203.0.113.9"
