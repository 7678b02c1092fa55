"""web-core's pages in a real browser (Chromium, axe-core on every page): the demo's
home page (and its screenshot for the README), notifications, account, users (add,
correct the name and email, deactivate, the audit trail), the
platform administrators' pages, and the slice's "Page not found"."""

from django.core.management import call_command
from playwright.sync_api import expect

from marac.agencies.models import AgencyKind, Role
from marac.notifications.services import notify
from tests.factories import make_agency, make_platform_admin, make_user
from tests.web.browser.conftest import (
    assert_no_serious_axe_violations,
    login,
    screenshot,
)

DEMO_PASSWORD = "marac-demo-2026"


def test_the_demo_housing_officer_sees_the_overdue_action_first_on_home(page):
    from django.contrib.auth import get_user_model

    call_command("seed_demo", verbosity=0)
    call_command("run_daily_sweep", verbosity=0)
    housing = get_user_model().objects.get(username="housing")
    login(page, housing, DEMO_PASSWORD)
    expect(page).to_have_title("Home – Northshire MARAC")
    expect(page.get_by_role("heading", name="Your agency's actions")).to_be_visible()
    expect(page.locator("#main-content").get_by_text("Overdue").first).to_be_visible()
    assert "Gareth Evans" in page.get_by_test_id("signed-in-as").inner_text()
    assert_no_serious_axe_violations(page)
    screenshot(page, "docs/home.png")


def test_notifications_are_listed_and_marked_read(page):
    agency = make_agency(AgencyKind.HEALTH)
    notify(agency=agency, kind="test", message="An action on your case is overdue.", dedupe_key="browser-1")
    login(page, make_user(agency))
    page.get_by_role("link", name="Notifications", exact=True).first.click()
    expect(page).to_have_title("Notifications – Northshire MARAC")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Mark as read").click()
    expect(page.locator("#main-content").get_by_text("Read", exact=True)).to_be_visible()


def test_a_person_changes_their_password_and_sees_errors_first(page):
    user = make_user(make_agency(AgencyKind.PROBATION))
    login(page, user)
    page.goto("/account/")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Change password").click()
    expect(page).to_have_title("Change your password – Northshire MARAC")
    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm new password").fill("short")
    page.get_by_role("button", name="Change password").click()
    expect(page).to_have_title("Error: Change your password – Northshire MARAC")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Current password").fill("a-long-test-passphrase-42")
    page.get_by_label("New password", exact=True).fill("a-brand-new-passphrase-31")
    page.get_by_label("Confirm new password").fill("a-brand-new-passphrase-31")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()


def test_a_manager_adds_a_practitioner_corrects_their_details_then_deactivates_them(page):
    agency = make_agency(AgencyKind.HOUSING, name="Northshire Homes")
    login(page, make_user(agency, Role.MANAGER))
    page.get_by_role("link", name="Users", exact=True).first.click()
    expect(page).to_have_title("Users – Northshire MARAC")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Add a user").click()
    expect(page).to_have_title("Add a user – Northshire MARAC")
    assert_no_serious_axe_violations(page)
    page.get_by_label("First name").fill("Rhys")
    page.get_by_label("Last name").fill("Jones")
    page.get_by_label("Username").fill("rhys.jones")
    page.get_by_label("First password").fill("a-long-first-passphrase-8")
    page.get_by_label("Practitioner").check()
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_text("Rhys Jones (rhys.jones) can now sign in.")).to_be_visible()
    assert_no_serious_axe_violations(page)
    # A misspelt name and a bad email corrected from the Change link, errors first.
    page.get_by_role("link", name="Change name").click()
    expect(page).to_have_title("Change the name and email of Rhys Jones – Northshire MARAC")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Last name").fill("Jonas")
    page.get_by_label("Email address").fill("rhys.jonas@")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_title("Error: Change the name and email of Rhys Jones – Northshire MARAC")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Email address").fill("rhys.jonas@northshirehomes.example")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Rhys Jonas's details are saved.")).to_be_visible()
    expect(page.get_by_text("rhys.jonas@northshirehomes.example")).to_be_visible()
    page.get_by_role("button", name="Deactivate account").click()
    expect(page.get_by_text("Rhys Jonas can no longer sign in.")).to_be_visible()
    # The audit trail shows what the manager did to the account.
    page.get_by_role("link", name="Users", exact=True).first.click()
    page.get_by_role("link", name="Audit trail").click()
    expect(page).to_have_title("Audit trail – Northshire MARAC")
    expect(page.get_by_test_id("audit-table")).to_contain_text("web:user-edit")
    assert_no_serious_axe_violations(page)


def test_a_platform_admin_adds_an_agency_and_its_first_manager(page):
    login(page, make_platform_admin())
    expect(page.get_by_text("you cannot see case records")).to_be_visible()
    page.get_by_role("link", name="Agencies", exact=True).first.click()
    expect(page).to_have_title("Agencies – Northshire MARAC")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Add an agency").click()
    page.get_by_label("Agency name").fill("Northshire Fire and Rescue")
    page.get_by_label("Other").check()
    page.get_by_role("button", name="Add agency").click()
    expect(page.get_by_role("cell", name="Northshire Fire and Rescue")).to_be_visible()
    page.goto("/users/new/")
    page.get_by_label("Agency").select_option(label="Northshire Fire and Rescue")
    page.get_by_label("First name").fill("Fay")
    page.get_by_label("Last name").fill("Morgan")
    page.get_by_label("Username").fill("fay.morgan")
    page.get_by_label("First password").fill("a-long-first-passphrase-8")
    page.get_by_label("Manager", exact=True).check()
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_text("Fay Morgan (fay.morgan) can now sign in.")).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_outside_the_slice_is_page_not_found(page):
    stranger = make_user(make_agency(AgencyKind.POLICE))
    login(page, make_user(make_agency(AgencyKind.HOUSING), Role.MANAGER))
    response = page.goto(f"/users/{stranger.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page).to_have_title("Page not found – Northshire MARAC")
    assert_no_serious_axe_violations(page)
    response = page.goto("/platform/agencies/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot do this")).to_be_visible()
    assert_no_serious_axe_violations(page)
