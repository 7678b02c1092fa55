"""The primary navigation offers an area only to the roles the policy lets use it: the
Reports entry appears for a role and agency kind holding a grant of any row of the
policy's `report` row (read here from the policy table, not from the navigation code)."""

import pytest

from marac.agencies.models import Role
from permissions.actor import PLATFORM_ADMIN
from permissions.policy import slice_object
from tests.permissions.matrix import has_applicable_grant
from tests.web.matrix import distinguished_kinds

pytestmark = pytest.mark.django_db

REPORTS_LINK = 'class="govuk-service-navigation__link" href="/reports/"'


def may_see_a_report(role: str, kind: str | None) -> bool:
    return any(has_applicable_grant("report", action, role, kind) for action in slice_object("report").rows)


@pytest.mark.parametrize("role", Role.values)
def test_the_reports_entry_is_shown_to_exactly_the_roles_that_may_see_a_report(web_as, role):
    shown = {}
    for kind in distinguished_kinds():
        client, _ = web_as(role, kind)
        shown[kind] = REPORTS_LINK in client.get("/").content.decode()
    expected = {kind: may_see_a_report(role, kind) for kind in distinguished_kinds()}
    assert shown == expected


def test_platform_administrators_have_no_reports_entry(web_as):
    client, _ = web_as(PLATFORM_ADMIN)
    assert not may_see_a_report(PLATFORM_ADMIN, None)
    assert REPORTS_LINK not in client.get("/").content.decode()


def test_the_entry_follows_the_policy_for_known_roles(web_as):
    """Spot checks that the table above is not vacuous: a housing practitioner sees no
    Reports, a coordinator and a police manager do."""
    assert REPORTS_LINK not in web_as(Role.PRACTITIONER, "housing")[0].get("/").content.decode()
    assert REPORTS_LINK in web_as(Role.COORDINATOR, "marac_coordination")[0].get("/").content.decode()
    assert REPORTS_LINK in web_as(Role.MANAGER, "police")[0].get("/").content.decode()
