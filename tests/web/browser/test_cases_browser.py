"""Referrals, triage and cases in a real browser (Chromium), axe on every page: a
referral made with the DASH score updating as answers are given, a likely match ruled
out, triaged onto a meeting, research added (shared), an action visible on the case;
an agency not on the case gets "Page not found"; a demo case page's screenshot for the
README."""

import re
from datetime import date, timedelta

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from marac.agencies.models import AgencyKind, Role
from marac.cases.models import Case
from marac.meetings.services import create_action
from marac.referrals.models import Referral
from tests.factories import (
    CaseFactory,
    MeetingFactory,
    VictimFactory,
    make_agency,
    make_user,
)
from tests.web.browser.conftest import (
    assert_no_serious_axe_violations,
    login,
    screenshot,
)


def fill_date(page, name: str, day: int, month: int, year: int) -> None:
    page.fill(f"#id_{name}_0", str(day))
    page.fill(f"#id_{name}_1", str(month))
    page.fill(f"#id_{name}_2", str(year))


def test_a_referral_is_made_triaged_researched_and_actioned_and_the_slice_holds(page, browser):
    police = make_agency(AgencyKind.POLICE, name="Northshire Police")
    officer = make_user(police, Role.PRACTITIONER, first_name="Tom", last_name="Baker")
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION, name="Northshire MARAC Coordination"),
                            Role.COORDINATOR, first_name="Priya", last_name="Sharma")
    housing = make_user(make_agency(AgencyKind.HOUSING, name="Northshire Homes"), Role.PRACTITIONER)
    meeting = MeetingFactory(date=timezone.localdate() + timedelta(days=7), chair=make_user(police, Role.CHAIR),
                             created_by=coordinator)
    lookalike = CaseFactory(victim=VictimFactory(first_name="Janet", last_name="Doe", date_of_birth=date(1988, 3, 4)))

    # The police officer makes a referral; the score updates as answers are given (htmx).
    login(page, officer)
    page.goto("/referrals/new/")
    expect(page).to_have_title("Make a referral – Northshire MARAC")
    assert_no_serious_axe_violations(page)
    page.get_by_label("First name").first.fill("Jane")
    page.get_by_label("Last name").first.fill("Doe")
    fill_date(page, "victim_date_of_birth", 4, 3, 1988)
    page.check("#id_victim_gender_1")
    page.get_by_label("How and when it is safe to contact the victim").fill("Mobile after 6pm")
    page.get_by_label("Post", exact=True).check()
    page.locator("#id_perpetrator_first_name").fill("John")
    page.locator("#id_perpetrator_last_name").fill("Roe")
    page.check("#id_perpetrator_relationship_2")
    page.locator("#id_child-0-first_name").fill("Sam")
    page.locator("#id_child-0-age").fill("6")
    page.check("#id_reason_1")  # visible high risk
    page.check("#id_stalking_1")
    page.check("#id_victim_consented_1")
    score = page.get_by_test_id("score")
    assert score.inner_text() == "0"
    for number in range(1, 16):
        page.check(f"#id_q_{number}_1")  # yes
    page.wait_for_function("document.querySelector('[data-testid=score]').innerText === '15'")
    assert page.get_by_test_id("risk-level").inner_text() == "High"
    for number in range(16, 25):
        page.check(f"#id_q_{number}_2")  # no
    page.get_by_test_id("criteria-met").wait_for()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Submit referral").click()
    page.wait_for_url(re.compile(r"/referrals/\d+/submitted/$"))
    referral = Referral.objects.get()
    assert page.get_by_test_id("referral-reference").inner_text() == f"Referral {referral.pk}"
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Sign out").click()

    # The coordinator triages it onto the meeting.
    login(page, coordinator)
    page.goto("/referrals/triage/")
    expect(page).to_have_title("Triage referrals – Northshire MARAC")
    assert_no_serious_axe_violations(page)
    page.get_by_test_id("triage-table").get_by_role("link", name=f"Referral {referral.pk}").click()
    expect(page).to_have_title(f"Referral {referral.pk} – Northshire MARAC")
    assert_no_serious_axe_violations(page)
    # A case whose victim is alike (born the same day, another first name) is offered:
    # the coordinator decides it is not her, then accepts.
    expect(page.get_by_role("radio", name=re.compile(f"^{lookalike.reference}: Janet Doe"))).to_be_visible()
    page.get_by_role("button", name="Not the same victim").click()
    expect(page.get_by_text("is not for the victim of an existing case")).to_be_visible()
    expect(page.get_by_test_id("link-decision")).to_contain_text("Priya Sharma")
    assert_no_serious_axe_violations(page)
    page.get_by_label("List the case on this meeting's agenda").select_option(str(meeting.pk))
    page.get_by_role("button", name="Accept referral").click()
    case = Case.objects.exclude(pk=lookalike.pk).get()
    page.wait_for_url(f"**/cases/{case.pk}/")
    expect(page).to_have_title(f"Case {case.reference} – Northshire MARAC")
    assert page.get_by_text(f"Listed on the meeting of {meeting.date:%-d %B %Y}").is_visible()
    page.get_by_role("link", name="Change case details").click()
    expect(page).to_have_title(f"Change case details – Case {case.reference} – Northshire MARAC")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Summary").fill("Stalking since the separation in March.")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    expect(page.get_by_text("Stalking since the separation in March.")).to_be_visible()
    page.goto("/cases/?risk_level=high")
    assert page.get_by_role("link", name=case.reference).is_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Sign out").click()

    # The police officer (on the case as its referrer) adds research shared with the MARAC
    # and sees the action agreed for the police.
    create_action(case=case, meeting=meeting, description="Check the bail conditions.", owner_agency=police,
                  due_date=meeting.date + timedelta(days=14), by=coordinator)
    login(page, officer)
    page.goto(f"/cases/{case.pk}/")
    assert_no_serious_axe_violations(page)
    assert page.get_by_test_id("case-actions").get_by_text("Check the bail conditions.").is_visible()
    page.get_by_role("link", name="Add research").click()
    assert_no_serious_axe_violations(page)
    page.get_by_label("What your agency knows").fill("Three call-outs since March; bail conditions in place.")
    page.get_by_label("Shared with the MARAC").check()
    page.get_by_role("button", name="Add research").click()
    page.wait_for_url(f"**/cases/{case.pk}/#research")
    research = page.get_by_test_id("research-item").first
    assert "Three call-outs since March" in research.inner_text() and "Shared with the MARAC" in research.inner_text()
    page.get_by_role("button", name="Sign out").click()

    # Housing is not on the case: "Page not found".
    login(page, housing)
    page.goto(f"/cases/{case.pk}/")
    assert page.get_by_role("heading", name="Page not found").is_visible()


def test_the_demo_case_page_for_the_readme(page):
    call_command("seed_demo", verbosity=0)
    from django.contrib.auth import get_user_model

    advocate = get_user_model().objects.get(username="advocate")
    case = Case.objects.filter(orders__isnull=False).order_by("pk").first()  # the demo's SPO case
    login(page, advocate, password="marac-demo-2026")
    page.goto("/cases/")
    assert_no_serious_axe_violations(page)
    page.goto(f"/cases/{case.pk}/")
    expect(page).to_have_title(f"Case {case.reference} – Northshire MARAC")
    assert_no_serious_axe_violations(page)
    screenshot(page, "docs/case.png")
