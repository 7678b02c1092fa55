"""The skeleton's pages: sign-in required everywhere, GOV.UK error pages for people and
JSON errors for systems, static assets served, cache headers."""

import pytest

from marac.agencies.models import AgencyKind
from tests.factories import CaseFactory, make_agency

pytestmark = pytest.mark.django_db


def test_every_web_page_needs_a_session_except_sign_in(web):
    response = web().get("/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/?next=/"
    assert web().get("/sign-in/").status_code == 200


def test_a_missing_page_is_the_govuk_page_not_found_for_people_and_json_for_the_api(web_as):
    client, _ = web_as()
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and b"Page not found" in response.content
    assert b"<title>Page not found" in response.content
    api = client.get("/api/v1/no-such-thing/")
    assert api.status_code == 404 and api["Content-Type"].startswith("application/json")


def test_pages_carry_no_store_and_the_api_keeps_its_headers(web_as):
    client, _ = web_as()
    assert client.get("/")["Cache-Control"] == "no-store"


def test_vendored_govuk_frontend_is_served_without_node(web):
    for path in ("/static/govuk/govuk-frontend.min.css", "/static/govuk/govuk-frontend.min.js",
                 "/static/govuk/assets/fonts/bold-b542beb274-v2.woff2", "/static/moj/moj-frontend.min.css",
                 "/static/htmx/htmx.min.js", "/static/admin/css/base.css"):
        response = web().get(path)
        assert response.status_code == 200, path
        b"".join(response.streaming_content) if response.streaming else response.content


def test_the_header_names_the_person_their_role_and_agency(web):
    from tests.factories import make_user

    user = make_user(make_agency(AgencyKind.ADVOCACY, name="Northshire Advocacy"), first_name="Ada", last_name="Ng")
    page = web(user).get("/").content.decode()
    assert "Ada Ng" in page and "Practitioner" in page and "Northshire Advocacy" in page
    assert "Sign out" in page and "Skip to main content" in page


def test_platform_admins_are_named_as_such_in_the_header(web_as):
    client, _ = web_as("platform_admin")
    CaseFactory()
    page = client.get("/")
    assert page.status_code == 200 and b"Platform administrator" in page.content


def test_the_database_away_is_the_govuk_service_problem_page_with_503(web):
    from unittest import mock

    from django.db import OperationalError

    client = web()
    client.raise_request_exception = False
    client.cookies["sessionid"] = "a1" * 16
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=OperationalError("down")):
        response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert b"Sorry, there is a problem with the service" in response.content


def test_an_unexpected_error_is_the_govuk_500_page(web_as, monkeypatch):
    from web.home import views

    client, _ = web_as()
    client.raise_request_exception = False
    monkeypatch.setattr(views.HomeView, "get_context_data", lambda self, **kw: 1 / 0)
    response = client.get("/")
    assert response.status_code == 500 and b"Sorry, there is a problem with the service" in response.content


def test_you_cannot_do_this_is_the_403_page_for_people(web_as):
    client, _ = web_as()
    response = client.get("/platform/agencies/")
    assert response.status_code == 403 and b"<title>You cannot do this" in response.content


def test_the_navigation_marks_the_area_of_the_page(web_as):
    from web.navigation import NAVIGATION, _is_current

    users = next(entry for entry in NAVIGATION if entry.url_name == "user-list")
    home = NAVIGATION[0]
    assert _is_current(users, "user-detail") and _is_current(users, "user-list")
    assert not _is_current(users, "home") and not _is_current(home, "user-detail") and _is_current(home, "home")
    client, _ = web_as("manager")
    page = client.get("/users/").content.decode()
    assert 'href="/users/" aria-current="page"' in page
