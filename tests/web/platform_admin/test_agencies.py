"""Platform administrators' agency pages: the API's `agency.create` row and service."""

import pytest

from marac.agencies.models import Agency, AgencyKind, Role
from marac.audit.models import AuditEvent
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


def test_platform_admins_list_and_add_agencies_audited(web_as):
    client, _ = web_as("platform_admin")
    make_agency(AgencyKind.HEALTH, name="Northshire Health")
    assert "Northshire Health" in client.get("/platform/agencies/").content.decode()
    response = client.post("/platform/agencies/new/", {"name": "Northshire Homes", "kind": AgencyKind.HOUSING})
    assert response.status_code == 302
    agency = Agency.objects.get(name="Northshire Homes")
    assert agency.kind == AgencyKind.HOUSING and agency.group_id is not None
    assert ("create", "agency", str(agency.pk)) in AuditEvent.objects.values_list("action", "object_type", "object_id")


def test_an_agency_name_is_unique_and_nothing_is_written_on_error(web_as):
    client, _ = web_as("platform_admin")
    make_agency(name="Taken")
    response = client.post("/platform/agencies/new/", {"name": "Taken", "kind": "nonsense"})
    page = response.content.decode()
    assert response.status_code == 400 and "An agency with that name already exists." in page
    assert "Select a valid choice" in page and "There is a problem" in page
    assert Agency.objects.filter(name="Taken").count() == 1


@pytest.mark.parametrize("role", Role.values)
def test_members_cannot_reach_the_platform_pages(web, role):
    client = web(make_user(make_agency(), role))
    assert client.get("/platform/agencies/").status_code == 403
    assert client.post("/platform/agencies/new/", {"name": "X", "kind": "housing"}).status_code == 403
    assert not Agency.objects.filter(name="X").exists()


def test_platform_admins_add_a_marac_and_deactivate_it_audited(web_as):
    from marac.maracs.models import Marac

    client, _ = web_as("platform_admin")
    response = client.post("/platform/maracs/new/", {"name": "Southshire MARAC", "local_area": "Southshire",
                                                     "is_active": "on"})
    assert response.status_code == 302
    marac = Marac.objects.get(name="Southshire MARAC")
    assert marac.is_active and "Southshire MARAC" in client.get("/platform/maracs/").content.decode()
    assert client.post(f"/platform/maracs/{marac.pk}/", {"name": "Southshire MARAC"}).status_code == 302
    marac.refresh_from_db()
    assert not marac.is_active
    assert set(AuditEvent.objects.filter(object_type="marac").values_list("action", flat=True)) == {"create", "update"}


def test_a_marac_name_is_unique(web_as):
    from marac.maracs.services import default_marac

    client, _ = web_as("platform_admin")
    response = client.post("/platform/maracs/new/", {"name": default_marac().name})
    assert response.status_code == 400 and b"A MARAC with that name already exists." in response.content


def test_a_coordinator_serves_the_maracs_the_admin_names(web_as):
    from django.contrib.auth import get_user_model

    from marac.maracs.models import Marac

    client, _ = web_as("platform_admin")
    south = Marac.objects.create(name="Southshire MARAC")
    agency = make_agency(AgencyKind.MARAC_COORDINATION)
    response = client.post("/users/new/", {"first_name": "Cora", "last_name": "Dean", "username": "cora",
                                           "password": "a-long-new-passphrase-5", "role": Role.COORDINATOR,
                                           "agency": agency.pk, "maracs": [south.pk]})
    assert response.status_code == 302
    assert list(get_user_model().objects.get(username="cora").membership.maracs.all()) == [south]


def test_the_agency_and_marac_lists_read_a_fixed_number_of_queries(web_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, _ = web_as("platform_admin")
    counts = []
    for extra in (1, 15):
        for _ in range(extra):
            make_agency()
        with CaptureQueriesContext(connection) as agencies:
            client.get("/platform/agencies/")
        with CaptureQueriesContext(connection) as maracs:
            client.get("/platform/maracs/")
        counts.append((len(agencies), len(maracs)))
    assert counts[0] == counts[1] == (4, 3)
