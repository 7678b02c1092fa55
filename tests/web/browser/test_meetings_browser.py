"""Meetings in a real browser (the demo MARAC): the chair generates the meeting pack,
watches it become ready, signs it off and downloads it; housing updates its overdue
action from the worklist; axe on every meetings page. Writes docs/meeting.png."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from marac.management.commands.seed_demo import DEMO_PASSWORD
from marac.meetings.models import Action, AgendaItem, Meeting, MeetingStatus
from marac.meetings.services import record_case_minutes
from tests.web.browser.conftest import (
    assert_no_serious_axe_violations,
    login,
    screenshot,
)


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    users = {user.username: user for user in get_user_model().objects.all()}
    # The North MARAC's next meeting: `chair` chairs it and `coordinator` runs it.
    meeting = Meeting.objects.filter(status=MeetingStatus.SCHEDULED, marac__name="Northshire North MARAC").get()
    first = AgendaItem.objects.filter(meeting=meeting).order_by("position").first()
    record_case_minutes(first, minutes="Police to flag the address; housing to complete target hardening "
                                       "before the next meeting.")
    return users, meeting


def sign_in(page, user):
    login(page, user, password=DEMO_PASSWORD)


def test_the_chair_generates_signs_off_and_downloads_the_pack(page, demo):
    users, meeting = demo
    sign_in(page, users["chair"])
    page.goto("/meetings/")
    expect(page).to_have_title(re.compile("^" + re.escape("Upcoming meetings – ")))
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name=f"{meeting.date.day} {meeting.date:%B %Y}").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    expect(page).to_have_title(re.compile("^" + re.escape(f"Meeting {meeting.date.day} {meeting.date:%B %Y} – ")))

    page.get_by_role("button", name="Generate meeting pack").click()
    status = page.get_by_test_id("pack-status")
    status.get_by_text("Ready", exact=True).wait_for()
    assert_no_serious_axe_violations(page)

    page.get_by_role("button", name="Sign off the pack").click()
    page.get_by_test_id("pack-sign-off").get_by_text("Signed off", exact=True).wait_for()
    assert "Helen Marsh" in page.get_by_test_id("pack-sign-off").inner_text()

    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download the pack (PDF)").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as document:
        page.get_by_role("link", name="Download the pack (JSON)").click()
    assert document.value.suggested_filename.endswith(".json")

    page.reload()
    assert_no_serious_axe_violations(page)
    screenshot(page, "docs/meeting.png")


def test_housing_updates_its_overdue_action_from_the_worklist(page, demo):
    users, _ = demo
    action = Action.objects.get(owner_agency__name="Northshire Homes")
    sign_in(page, users["housing"])
    page.goto("/actions/")
    expect(page).to_have_title(re.compile("^" + re.escape("Actions – ")))
    row = page.locator(f"#action-{action.pk}")
    assert "Overdue" in row.inner_text()
    assert_no_serious_axe_violations(page)

    row.get_by_label(f"New status of action {action.pk}").select_option("done")
    row.get_by_label(f"Note on action {action.pk}").fill("Door alarm and locks fitted.")
    row.get_by_role("button", name=f"Update action {action.pk}").click()
    page.locator(f"#action-{action.pk}").get_by_text("Updated", exact=True).wait_for()  # swapped in place (htmx)
    assert "Overdue" not in page.locator(f"#action-{action.pk}").inner_text()

    page.get_by_role("link", name="Fit a door alarm").click()
    page.wait_for_url(f"**/actions/{action.pk}/")
    assert "Door alarm and locks fitted." in page.content()
    assert_no_serious_axe_violations(page)


def test_every_meetings_page_passes_axe_for_the_coordinator(page, demo):
    users, meeting = demo
    item = AgendaItem.objects.filter(meeting=meeting).order_by("position").first()
    carried = Action.objects.get(owner_agency__name="Northshire Homes")
    sign_in(page, users["coordinator"])
    for url in ("/meetings/", "/meetings/?when=past", "/meetings/new/", f"/meetings/{meeting.pk}/",
                f"/meetings/{meeting.pk}/minutes/", f"/meetings/{meeting.pk}/status/?status=held",
                f"/meetings/{meeting.pk}/agenda/add/", f"/meetings/{meeting.pk}/agenda/{item.pk}/minutes/",
                f"/meetings/{meeting.pk}/actions/new/?case={item.case_id}", f"/meetings/{meeting.pk}/pack/",
                "/actions/", f"/actions/{carried.pk}/"):
        page.goto(url)
        assert page.title(), url
        assert_no_serious_axe_violations(page)
    # A form with errors: the summary at the top, each message beside its field.
    page.goto(f"/meetings/{meeting.pk}/actions/new/")
    page.get_by_role("button", name="Add action").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: ")))
    assert page.locator(".govuk-error-summary").is_visible()
    assert_no_serious_axe_violations(page)
