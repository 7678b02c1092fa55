"""Fixtures for the web app's Django test-client tests.

`web(user)` is a Django test client signed in as that user (a real session, CSRF not
enforced, like a browser that already holds the token); `web_as(role, kind)` makes a
member of a new agency of that kind and returns (client, user). Users come from
tests/factories, so they are built through the domain services."""

import pytest
from django.test import Client

from marac.agencies.models import AgencyKind, Role
from tests.factories import make_agency, make_platform_admin, make_user


@pytest.fixture
def web():
    def client_for(user=None, enforce_csrf_checks=False) -> Client:
        client = Client(enforce_csrf_checks=enforce_csrf_checks)
        if user is not None:
            client.force_login(user)
        return client

    return client_for


@pytest.fixture
def web_as(web):
    def signed_in(role: str = Role.PRACTITIONER, kind: str = AgencyKind.POLICE, agency=None):
        if role == "platform_admin":
            user = make_platform_admin()
        else:
            user = make_user(agency or make_agency(kind), role)
        return web(user), user

    return signed_in
