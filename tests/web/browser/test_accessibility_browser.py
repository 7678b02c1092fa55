"""Accessibility coverage of the pages no other browser test visits (axe-core on each:
no serious or critical violation): the referral list, the incident form, the
remove-participant confirmation, the platform administrators' MARAC pages and their
add-agency form, the reports list and the actions report, and the service problem page
(500, and 503 while the database is away). Then a keyboard-only journey: sign in and add
research with Tab, Space and Enter alone, the focus visible on every stop."""

import re

from django.db import OperationalError
from django.test import RequestFactory
from playwright.sync_api import expect

from marac.agencies.models import AgencyKind, Role
from marac.cases.models import ResearchContribution
from marac.maracs.services import default_marac
from tests.factories import TEST_PASSWORD, CaseFactory, make_agency, make_platform_admin, make_referral, make_user
from tests.web.browser.conftest import assert_no_serious_axe_violations, login
from web.errors import server_error


def visit(page, path: str, title: str) -> None:
    page.goto(path)
    expect(page).to_have_title(re.compile("^" + re.escape(title)))
    assert_no_serious_axe_violations(page)


def test_pages_no_other_browser_test_visits_have_no_serious_axe_violations(page):
    police = make_agency(AgencyKind.POLICE, name="Northshire Police")
    housing = make_agency(AgencyKind.HOUSING, name="Northshire Homes")
    officer = make_user(police, Role.PRACTITIONER, first_name="Pat", last_name="Okafor")
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR,
                            first_name="Cora", last_name="Reid")
    case = CaseFactory(participants=[police, housing])
    make_referral(user=officer)

    login(page, officer)
    visit(page, "/referrals/", "Referrals")
    visit(page, f"/cases/{case.pk}/incidents/new/", "Add an incident")
    page.get_by_role("button", name="Sign out").click()

    login(page, coordinator)
    visit(page, f"/cases/{case.pk}/participants/{housing.pk}/remove/", "Remove Northshire Homes")
    visit(page, "/reports/", "Reports")
    visit(page, f"/reports/actions/?marac={default_marac().pk}", "Actions")
    page.get_by_role("button", name="Sign out").click()

    login(page, make_platform_admin())
    visit(page, "/platform/maracs/", "MARACs")
    visit(page, "/platform/maracs/new/", "Add a MARAC")
    visit(page, f"/platform/maracs/{default_marac().pk}/", f"Change {default_marac().name}")
    visit(page, "/platform/agencies/new/", "Add an agency")


def _service_problem_page(database_away: bool) -> str:
    """The page web.errors.server_error renders (for a 500, or a 503 while the database
    is away), as the browser would receive it."""
    request = RequestFactory().get("/")
    if not database_away:
        return server_error(request).content.decode()
    try:
        raise OperationalError("the database is away")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    return response.content.decode()


def _answer_with(status: int, body: str):
    def fulfil(route):
        route.fulfill(status=status, body=body, content_type="text/html; charset=utf-8")
    return fulfil


def test_the_service_problem_pages_have_no_serious_axe_violations(page):
    for path, database_away, status in (("/broken-500/", False, 500), ("/broken-503/", True, 503)):
        page.route(f"**{path}", _answer_with(status, _service_problem_page(database_away)))
        response = page.goto(path)
        assert response.status == status
        expect(page.get_by_role("heading", name="Sorry, there is a problem with the service")).to_be_visible()
        assert_no_serious_axe_violations(page)


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadowed = style.boxShadow && style.boxShadow !== 'none';
  return {id: el.id, tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || '').trim().slice(0, 40),
          visible: el.matches(':focus-visible') && (outlined || shadowed)};
}"""


def tab_to(page, matches, limit: int = 60) -> dict:
    """Press Tab until the focused element MATCHES (unless it already is: an autofocused
    field); every stop on the way must move the focus and show it."""
    focused = page.evaluate(FOCUSED)
    if focused is not None and matches(focused):
        return focused
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused is not None, f"the focus left the page after {seen}"
        assert focused["visible"], f"focus not visible on {focused}"
        assert not seen or focused != seen[-1], f"Tab did not move the focus from {focused}"
        seen.append(focused)
        if matches(focused):
            return focused
    raise AssertionError(f"never reached the element; stops: {seen}")


def test_a_person_signs_in_and_adds_research_with_the_keyboard_alone(page):
    police = make_agency(AgencyKind.POLICE, name="Northshire Police")
    officer = make_user(police, Role.PRACTITIONER, first_name="Pat", last_name="Okafor")
    case = CaseFactory(participants=[police])

    page.goto("/sign-in/")
    tab_to(page, lambda f: f["id"] == "id_username")
    page.keyboard.type(officer.get_username())
    tab_to(page, lambda f: f["id"] == "id_password")
    page.keyboard.type(TEST_PASSWORD)
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Sign in")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/sign-in/" not in url)

    page.goto(f"/cases/{case.pk}/research/new/")
    tab_to(page, lambda f: f["id"] == "id_summary")
    page.keyboard.type("Two call-outs to the address in March; he has a prior conviction for harassment.")
    tab_to(page, lambda f: f["id"].startswith("id_shared_with_marac"))
    page.keyboard.press("Space")  # the first choice: shared with the MARAC
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Add research")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Research added.")).to_be_visible()
    research = ResearchContribution.objects.get(case=case)
    assert research.summary.startswith("Two call-outs") and research.shared_with_marac
    assert research.author == officer
