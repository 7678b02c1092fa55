"""The Reports section in a real browser: a chair opens the last quarter from home, the
data return with its charts and tables, changes the period and reaches the CSV link; a
police officer opens the force's SPO performance. axe on each page."""

from playwright.sync_api import expect

from tests.reports.dataset import END, START
from tests.web.browser.conftest import assert_no_serious_axe_violations, login
from tests.web.reports.conftest import force_world, marac_world  # noqa: F401  (the constructed data set)


def test_a_chair_reads_the_data_return_and_a_police_officer_the_spo_performance(page, marac_world, force_world):
    login(page, marac_world.chair)
    assert page.get_by_role("heading", name="MARAC A: last quarter").is_visible()
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="Reports", exact=True).first.click()
    page.get_by_role("link", name="data return of MARAC A").click()
    page.get_by_label("From").fill(START.isoformat())
    page.get_by_label("To").fill(END.isoformat())
    page.get_by_role("button", name="Show this period").click()
    expect(page).to_have_title("Data return: MARAC A – Northshire MARAC")
    assert page.locator("svg[role=img]").count() == 2
    assert page.get_by_role("link", name="Download CSV of this report").is_visible()
    assert_no_serious_axe_violations(page)

    page.get_by_role("button", name="Sign out").click()
    login(page, force_world.officer)
    page.goto(f"/reports/spo-performance/?agency={force_world.force.pk}&start={START}&end={END}")
    assert page.get_by_role("heading", name="Breach response times").is_visible()
    assert_no_serious_axe_violations(page)
