"""A MARAC-to-MARAC transfer in a real browser (Chromium), axe on every page: North's
coordinator requests it from the case page, South's coordinator finds it on the home
page, tries to decline without a reason (error summary, nothing written), accepts it
onto South's meeting; the case page says where it came from; North's coordinator then
gets "Page not found" on the case but still sees the transfer record."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from marac.agencies.models import AgencyKind, Role
from marac.maracs.services import default_marac
from marac.transfers.models import CaseTransfer, TransferStatus
from tests.factories import (
    CaseFactory,
    MeetingFactory,
    make_agency,
    make_marac,
    make_user,
)
from tests.web.browser.conftest import assert_no_serious_axe_violations, login


def switch_to(page, user) -> None:
    page.get_by_role("button", name="Sign out").click()
    login(page, user)


def test_a_case_is_transferred_from_north_to_south_and_north_keeps_only_the_record(page):
    north, south = default_marac(), make_marac("Southshire MARAC")
    north_coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION, name="Northshire Coordination"),
                                  Role.COORDINATOR, maracs=[north])
    south_coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION, name="Southshire Coordination"),
                                  Role.COORDINATOR, maracs=[south])
    south_chair = make_user(make_agency(AgencyKind.POLICE, name="Southshire Police"), Role.CHAIR, maracs=[south])
    meeting_day = timezone.localdate() + timedelta(days=10)
    MeetingFactory(marac=south, date=meeting_day, chair=south_chair, created_by=south_coordinator)
    case = CaseFactory(marac=north, participants=[make_agency(AgencyKind.POLICE, name="Northshire Police")])

    # North's coordinator asks South to take the case.
    login(page, north_coordinator)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Request a transfer").click()
    expect(page).to_have_title(re.compile("^" + re.escape(f"Request a transfer of case {case.reference}")))
    assert_no_serious_axe_violations(page)
    page.get_by_label("Which MARAC should take the case?").select_option(label="Southshire MARAC")
    page.get_by_label("Victim has moved permanently", exact=False).check()
    page.get_by_label("Note (optional)").fill("Moved in with her sister in Southshire.")
    page.get_by_role("button", name="Request transfer").click()
    transfer = CaseTransfer.objects.get(case=case)
    page.wait_for_url(f"**/transfers/{transfer.pk}/")
    assert "Moved in with her sister" in page.get_by_test_id("transfer-note").inner_text()
    assert_no_serious_axe_violations(page)

    # South's coordinator finds it on the home page and opens the summary.
    switch_to(page, south_coordinator)
    assert_no_serious_axe_violations(page)
    page.get_by_test_id("home-transfers").get_by_role("link", name=f"Case {case.reference}").click()
    assert case.victim.last_name in page.get_by_test_id("transfer-victim").inner_text()
    assert page.get_by_test_id("transfer-note").count() == 0
    assert_no_serious_axe_violations(page)

    # Declining without a reason shows the error and writes nothing.
    page.get_by_role("button", name="Decline transfer").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: ")))
    assert page.locator(".govuk-error-summary").is_visible()
    assert_no_serious_axe_violations(page)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PENDING

    # Accepted onto South's meeting: the case page says where it came from.
    page.get_by_label("List the case on which meeting?").select_option(label=f"{meeting_day:%-d %B %Y}")
    page.get_by_role("button", name="Accept transfer").click()
    page.wait_for_url(f"**/transfers/{transfer.pk}/")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    page.goto(f"/cases/{case.pk}/")
    assert page.get_by_test_id("transferred-from").inner_text().startswith(f"Transferred from {north.name} on ")

    # North's coordinator no longer reaches the case, but keeps the transfer's record.
    switch_to(page, north_coordinator)
    page.goto(f"/cases/{case.pk}/")
    assert page.get_by_role("heading", name="Page not found").is_visible()
    page.goto("/transfers/")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name=case.reference).click()
    assert "Moved in with her sister" in page.get_by_test_id("transfer-note").inner_text()
    assert "Accepted" in page.content()
