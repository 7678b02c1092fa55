"""Sign in, the home page and sign out in a real browser, with axe on each page."""

from playwright.sync_api import expect

from marac.agencies.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.web.browser.conftest import assert_no_serious_axe_violations, login


def test_a_practitioner_signs_in_sees_their_name_role_and_agency_and_signs_out(page):
    user = make_user(make_agency(AgencyKind.HOUSING, name="Northshire Homes"), Role.PRACTITIONER,
                     first_name="Hana", last_name="Hughes")
    page.goto("/")
    assert "/sign-in/" in page.url
    expect(page).to_have_title("Sign in – Northshire MARAC")
    assert_no_serious_axe_violations(page)

    login(page, user)
    expect(page).to_have_title("Home – Northshire MARAC")
    assert "Hana Hughes" in page.get_by_test_id("signed-in-as").inner_text()
    assert "Northshire Homes" in page.get_by_test_id("signed-in-as").inner_text()
    assert_no_serious_axe_violations(page)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.goto("/")
    assert "/sign-in/" in page.url
