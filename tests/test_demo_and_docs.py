import pytest
from django.core.management import call_command

from marac.agencies.models import Agency
from marac.cases.models import Case
from marac.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_a_usable_marac_once(api):
    call_command("seed_demo")
    agencies, cases = Agency.objects.count(), Case.objects.count()
    assert agencies >= 8 and cases >= 3
    assert set(Agency.objects.values_list("kind", flat=True)) >= {"police", "advocacy", "housing", "health",
                                                                   "marac_coordination"}
    call_command("seed_demo")
    assert (Agency.objects.count(), Case.objects.count()) == (agencies, cases)

    token = api().post("/api/v1/auth/token/", {"username": "housing", "password": DEMO_PASSWORD},
                       format="json").json()["token"]
    rows = api().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token}").json()["results"]
    assert len(rows) == 3


def test_schema_and_docs_are_served(api):
    schema = api().get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/referrals/" in schema.content
    assert api().get("/api/v1/docs/").status_code == 200


def test_served_schema_is_the_committed_openapi_yaml(api, settings):
    committed = (settings.BASE_DIR / "openapi.yaml").read_text()
    served = api().get("/api/v1/schema/").content.decode()
    assert served == committed
