"""GET /api/v1/, the address `make run` prints, says where everything is."""

from django.test import Client

from marac.agencies.models import AgencyKind
from tests.factories import make_agency, make_user


def test_api_root_links_the_collections_schema_and_docs_without_authentication(api, db):
    response = api().get("/api/v1/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 200
    links = response.json()
    assert {"cases", "referrals", "orders", "meetings", "actions", "support_plans", "schema", "docs"} <= set(links)
    assert links["cases"] == "http://testserver/api/v1/cases/"
    assert links["schema"] == "http://testserver/api/v1/schema/"
    assert links["docs"] == "http://testserver/api/v1/docs/"


def test_every_link_of_the_api_root_answers(api, db):
    links = api().get("/api/v1/").json()
    client = api(make_user(make_agency(AgencyKind.HOUSING)))
    for key, url in links.items():
        path = url.removeprefix("http://testserver")
        if key == "auth_token":
            assert client.post(path, {}, format="json").status_code == 400
        elif key in ("schema", "docs"):
            assert Client().get(path).status_code == 200, key
        else:
            assert client.get(path).status_code == 200, key
