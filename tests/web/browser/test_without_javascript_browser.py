"""Every page works without JavaScript; htmx only improves them. In Chromium with
JavaScript switched off: a person signs in, updates their agency's overdue action from
the worklist (the plain form, back to the worklist, where the inline update is htmx's),
and reads every research item of a case through "Show all"."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from marac.cases.models import Case
from marac.management.commands.seed_demo import DEMO_PASSWORD
from marac.meetings.models import Action, ActionStatus
from tests.factories import ResearchFactory
from tests.web.browser.conftest import login


@pytest.fixture
def page_without_javascript(browser, browser_context_args):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_without_javascript_housing_updates_its_action_and_reads_every_research_item(page_without_javascript):
    page = page_without_javascript
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    housing = get_user_model().objects.get(username="housing")
    action = Action.objects.get(owner_agency__name="Northshire Homes")
    login(page, housing, password=DEMO_PASSWORD)

    page.goto("/actions/")
    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")  # no script ran
    row = page.locator(f"#action-{action.pk}")
    assert "Overdue" in row.inner_text()
    row.get_by_label(f"New status of action {action.pk}").select_option("done")
    row.get_by_label(f"Note on action {action.pk}").fill("Door alarm and locks fitted.")
    row.get_by_role("button", name=f"Update action {action.pk}").click()
    page.wait_for_url(re.compile(r"/actions/"))
    expect(page).to_have_title(re.compile("^" + re.escape("Actions – ")))
    assert "Overdue" not in page.locator(f"#action-{action.pk}").inner_text()
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE

    case = Case.objects.filter(actions=action).get()
    for n in range(12):
        ResearchFactory(case=case, agency=housing.membership.agency, summary=f"Housing note {n}.")
    page.goto(f"/cases/{case.pk}/")
    assert page.get_by_test_id("research-item").count() == 10
    page.get_by_role("link", name=re.compile(r"^Show all \d+ research items$")).click()
    page.wait_for_url(re.compile(r"\?all=research#research$"))
    assert page.get_by_test_id("research-item").count() >= 12
    assert all(page.get_by_text(f"Housing note {n}.", exact=True).count() == 1 for n in range(12))
