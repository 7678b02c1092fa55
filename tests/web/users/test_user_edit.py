"""Correcting an account's name and email: managers for their own agency's accounts of
the roles they may give, platform administrators for anyone's (and the MARACs a
coordinator or chair serves), as PATCH /api/v1/users/{id}/ (the same policy rows
`user.change` and `user.assign_maracs`, the role limit and update_user)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from marac.maracs.services import default_marac, update_marac
from tests.factories import make_agency, make_marac, make_platform_admin, make_user
from tests.web.orders.helpers import form_errors

pytestmark = pytest.mark.django_db
User = get_user_model()


def details(**overrides):
    return {"first_name": "Priya", "last_name": "Shah", "email": "priya.shah@example.org", **overrides}


def names(user):
    user = User.objects.get(pk=user.pk)
    return user.first_name, user.last_name, user.email


def test_a_manager_corrects_a_colleagues_name_and_email_from_the_change_link_and_it_is_audited(web):
    agency = make_agency(AgencyKind.HOUSING)
    manager = make_user(agency, Role.MANAGER)
    colleague = make_user(agency, first_name="Pryia", last_name="Sha")
    client = web(manager)
    page = client.get(f"/users/{colleague.pk}/").content.decode()
    assert f'href="/users/{colleague.pk}/edit/"' in page and "Change<span class=\"govuk-visually-hidden\"> name" in page
    form = client.get(f"/users/{colleague.pk}/edit/").content.decode()
    assert f'value="{colleague.first_name}"' in form and 'for="id_email"' in form and 'for="id_last_name"' in form
    response = client.post(f"/users/{colleague.pk}/edit/", details())
    assert response.status_code == 302 and response["Location"] == f"/users/{colleague.pk}/"
    assert names(colleague) == ("Priya", "Shah", "priya.shah@example.org")
    assert AuditEvent.objects.filter(action="update", object_type="user", object_id=str(colleague.pk),
                                     user_id=manager.pk, operation="web:user-edit").exists()
    assert "Priya Shah" in client.get(response["Location"]).content.decode()


def test_platform_admins_correct_anyones_details(web):
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    response = web(make_platform_admin()).post(f"/users/{coordinator.pk}/edit/", details(email=""))
    assert response.status_code == 302
    assert names(coordinator) == ("Priya", "Shah", "")


def test_a_manager_corrects_their_own_details(web):
    manager = make_user(make_agency(), Role.MANAGER)
    assert web(manager).post(f"/users/{manager.pk}/edit/", details()).status_code == 302
    assert names(manager)[:2] == ("Priya", "Shah")


@pytest.mark.parametrize("data,field,message", [
    (details(email="not-an-email"), "email", "Enter an email address like name@example.org"),
    (details(first_name=""), "first_name", "Enter their first name"),
    (details(last_name="x" * 151), "last_name", "at most 150 characters"),
])
def test_details_with_errors_show_the_summary_and_the_message_beside_the_field_and_write_nothing(
        web, data, field, message):
    agency = make_agency()
    manager = make_user(agency, Role.MANAGER)
    colleague = make_user(agency)
    before, events = names(colleague), AuditEvent.objects.count()
    response = web(manager).post(f"/users/{colleague.pk}/edit/", data)
    assert response.status_code == 400
    assert message in form_errors(response)
    html = response.content.decode()
    beside = html[html.index(f'id="div_id_{field}"'):]
    assert message in beside[:beside.index("</div>", beside.index("govuk-error-message"))]
    assert "<title>Error: " in html
    assert names(colleague) == before and AuditEvent.objects.count() == events


def test_outside_the_slice_not_found_inside_but_not_permitted_refused(web):
    agency = make_agency(AgencyKind.MARAC_COORDINATION)
    manager = make_user(agency, Role.MANAGER)
    coordinator = make_user(agency, Role.COORDINATOR)
    practitioner = make_user(agency)
    stranger = make_user(make_agency())
    # A role the manager may not give: 403, no Change link.
    assert "/edit/" not in web(manager).get(f"/users/{coordinator.pk}/").content.decode()
    refused = web(manager).post(f"/users/{coordinator.pk}/edit/", details())
    assert refused.status_code == 403 and b"You cannot do this" in refused.content
    # A practitioner sees a colleague's account but changes nothing.
    assert "/edit/" not in web(practitioner).get(f"/users/{manager.pk}/").content.decode()
    assert web(practitioner).get(f"/users/{manager.pk}/edit/").status_code == 403
    # Another agency's account: not found.
    missing = web(manager).get(f"/users/{stranger.pk}/edit/")
    assert missing.status_code == 404 and b"Page not found" in missing.content
    assert names(coordinator) != ("Priya", "Shah", "priya.shah@example.org")
    assert names(stranger) != ("Priya", "Shah", "priya.shah@example.org")


def test_the_edit_page_reads_a_fixed_number_of_queries_whatever_the_agencys_size(web):
    agency = make_agency()
    manager = make_user(agency, Role.MANAGER)
    colleague = make_user(agency)
    client = web(manager)
    client.get(f"/users/{colleague.pk}/edit/")
    counts = []
    for more in (0, 10):
        for _ in range(more):
            make_user(agency)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/users/{colleague.pk}/edit/").status_code == 200
        counts.append(len(queries))
    # session, the user (its membership and agency joined), the account in the slice and
    # the change row's EXISTS.
    assert counts[0] == counts[1] == 4


def test_platform_admins_change_the_maracs_a_coordinator_serves_and_managers_are_not_offered_them(web):
    north = default_marac()
    south = make_marac("Southshire")
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[north])
    admin = web(make_platform_admin())
    form = admin.get(f"/users/{coordinator.pk}/edit/").content.decode()
    assert "MARACs they serve" in form and f'value="{south.pk}"' in form
    response = admin.post(f"/users/{coordinator.pk}/edit/", details(maracs=[north.pk, south.pk]))
    assert response.status_code == 302
    assert set(coordinator.membership.maracs.all()) == {north, south}
    # A practitioner's edit page never asks, nor does a manager's.
    practitioner = make_user(make_agency())
    assert "MARACs they serve" not in admin.get(f"/users/{practitioner.pk}/edit/").content.decode()
    manager = make_user(coordinator.membership.agency, Role.MANAGER)
    assert "MARACs they serve" not in web(manager).get(f"/users/{manager.pk}/edit/").content.decode()


def test_an_inactive_marac_is_refused_beside_the_field_and_nothing_changes(web):
    north = default_marac()
    closed = make_marac("Closed MARAC")
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[north, closed])
    update_marac(closed, is_active=False)  # served before it closed: still offered, to be unticked
    response = web(make_platform_admin()).post(f"/users/{coordinator.pk}/edit/",
                                               details(maracs=[north.pk, closed.pk]))
    assert response.status_code == 400 and "Closed MARAC" in form_errors(response)
    assert names(coordinator) != ("Priya", "Shah", "priya.shah@example.org")
    assert set(coordinator.membership.maracs.all()) == {north, closed}
