"""The orders area in a real browser, with axe on every page it shows: police record an
order, apply, have it granted, add a positive requirement and record the defendant's
change of address (s.9) and when he notified it; an advocate reports a
breach; police respond; the responsible agency records compliance. Then an advocate
keeps a support plan, and a non-advocate gets "Page not found" on it."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from marac.agencies.models import AgencyKind, Role
from marac.orders.models import Breach, Order
from marac.support.models import SupportPlan
from tests.factories import CaseFactory, make_agency, make_user
from tests.web.browser.conftest import assert_no_serious_axe_violations, login


def fill_date(page, legend: str, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_an_order_granted_with_a_requirement_and_a_breach_reported_and_answered(page, browser):
    police = make_agency(AgencyKind.POLICE, name="Northshire Police")
    advocacy = make_agency(AgencyKind.ADVOCACY, name="Northshire ISAs")
    provider = make_agency(AgencyKind.INTERVENTION_PROVIDER, name="Change Programme")
    case = CaseFactory(participants=[police, advocacy])
    officer = make_user(police, Role.PRACTITIONER, first_name="Pat", last_name="Okafor")
    advocate = make_user(advocacy, Role.PRACTITIONER, first_name="Ada", last_name="Price")
    worker = make_user(provider, Role.PRACTITIONER, first_name="Wyn", last_name="Jones")
    today = timezone.localdate()

    login(page, officer)
    page.goto(f"/cases/{case.pk}/orders/new/")
    expect(page).to_have_title(re.compile("^" + re.escape(f"Record a Stalking Protection Order – Case {case.reference}")))
    assert_no_serious_axe_violations(page)
    page.get_by_label("Applied").check()
    fill_date(page, "Date applied for", today - timedelta(days=14))
    page.get_by_label("Prohibitions").fill("No contact with the victim by any means")
    page.get_by_role("button", name="Record the order").click()
    order = Order.objects.get(case=case)
    page.wait_for_url(f"**/orders/{order.pk}/")
    assert page.get_by_text("Order recorded.").is_visible()
    assert_no_serious_axe_violations(page)

    # The Act's rule shown where it is broken: a full order runs at least 2 years.
    page.get_by_role("link", name="Change status").click()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Granted").check()
    fill_date(page, "Date granted", today - timedelta(days=1))
    fill_date(page, "Last day in force", today + timedelta(days=200))
    page.get_by_role("button", name="Change status").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: ")))
    assert page.locator(".govuk-error-summary").get_by_text("at least 2 years").is_visible()
    assert_no_serious_axe_violations(page)
    group = page.get_by_role("group", name="Last day in force")
    for label in ("Day", "Month", "Year"):
        group.get_by_label(label).fill("")
    page.get_by_role("button", name="Change status").click()
    page.wait_for_url(f"**/orders/{order.pk}/")
    assert "Until further order" in page.content()

    page.get_by_role("link", name="Add a positive requirement").click()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Intervention Programme").check()
    page.get_by_label("Responsible agency").select_option(label="Change Programme")
    page.get_by_role("button", name="Add requirement").click()
    page.wait_for_url(f"**/orders/{order.pk}/")
    assert page.get_by_text("The responsible agency has been told.").is_visible()

    # The defendant moved yesterday (s.9): police record it, then the day he told them.
    page.get_by_role("link", name="Record a notifiable change").click()
    assert_no_serious_axe_violations(page)
    page.get_by_label("A new home address").check()
    fill_date(page, "Date of the change", today - timedelta(days=1))
    page.get_by_role("button", name="Record change").click()
    page.wait_for_url(f"**/orders/{order.pk}/#notifiable-changes")
    changes = page.locator("#notifiable-changes + p + table")
    expect(changes.get_by_text("Not notified")).to_be_visible()
    expect(changes.get_by_text("Due", exact=True)).to_be_visible()
    assert_no_serious_axe_violations(page)
    changes.get_by_role("link", name=re.compile("^Record notification")).click()
    assert_no_serious_axe_violations(page)
    fill_date(page, "Date the defendant notified police", today)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**/orders/{order.pk}/#notifiable-changes")
    expect(changes.get_by_text("On time")).to_be_visible()
    page.get_by_role("link", name="History of this order").click()
    assert_no_serious_axe_violations(page)
    for path in ("/orders/", f"/orders/{order.pk}/edit/", f"/orders/{order.pk}/prohibitions/new/",
                 f"/orders/{order.pk}/prohibitions/0/remove/", f"/requirements/{order.requirements.get().pk}/"):
        page.goto(path)
        assert_no_serious_axe_violations(page)

    # The advocate reports a breach.
    advocate_page = browser.new_page(base_url=page.url.split("/orders/")[0])
    login(advocate_page, advocate)
    advocate_page.goto(f"/orders/{order.pk}/")
    advocate_page.get_by_role("link", name="Report a breach").click()
    assert_no_serious_axe_violations(advocate_page)
    happened = timezone.localtime() - timedelta(hours=2)
    fill_date(advocate_page, "Date it happened", happened.date())
    advocate_page.get_by_label("Time it happened").fill(happened.strftime("%H:%M"))
    advocate_page.get_by_label("What happened").fill("He waited outside her work and followed her to the bus stop.")
    advocate_page.get_by_role("button", name="Report breach").click()
    breach = Breach.objects.get(order=order)
    advocate_page.wait_for_url(f"**/breaches/{breach.pk}/")
    assert advocate_page.get_by_test_id("police-response").inner_text() == "Awaiting response"
    assert_no_serious_axe_violations(advocate_page)

    # Police respond.
    page.goto(f"/breaches/{breach.pk}/")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Investigating").check()
    page.get_by_label("Police response").fill("Officer attended; CCTV requested from the bus company.")
    page.get_by_role("button", name="Save response").click()
    page.wait_for_url(f"**/breaches/{breach.pk}/")
    breach.refresh_from_db()
    assert breach.first_response_at is not None and breach.status == "investigating"
    advocate_page.reload()
    assert "CCTV requested" in advocate_page.get_by_test_id("police-response").inner_text()
    advocate_page.close()

    # The responsible agency (not on the case) records compliance on its requirement page.
    page.get_by_role("button", name="Sign out").click()
    login(page, worker)
    page.goto("/requirements/")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Intervention Programme").click()
    assert case.reference not in page.content()
    page.get_by_label("Scheduled").check()
    page.get_by_label("Private notes").fill("First session booked.")
    page.get_by_role("button", name="Save", exact=True).click()
    assert page.get_by_test_id("requirement-notes").inner_text() == "First session booked."
    assert_no_serious_axe_violations(page)


def test_an_advocate_keeps_a_support_plan_and_a_non_advocate_gets_page_not_found(page):
    advocacy = make_agency(AgencyKind.ADVOCACY, name="Northshire IDVAs")
    housing = make_agency(AgencyKind.HOUSING, name="Northshire Homes")
    case = CaseFactory(participants=[advocacy, housing])
    advocate = make_user(advocacy, Role.PRACTITIONER, first_name="Ada", last_name="Price")
    officer = make_user(housing, Role.PRACTITIONER, first_name="Hana", last_name="Hughes")

    login(page, advocate)
    page.goto(f"/cases/{case.pk}/support-plan/")
    expect(page).to_have_title(re.compile("^" + re.escape(f"Create a support plan – Case {case.reference}")))
    assert_no_serious_axe_violations(page)
    page.get_by_label("Needs").fill("Safe housing\nCounselling")
    page.get_by_label("Safety measures").fill("Panic alarm")
    page.get_by_label("Goals").fill("Feel safe going to work.")
    fill_date(page, "Next review", timezone.localdate() + timedelta(days=28))
    page.get_by_role("button", name="Save support plan").click()
    plan = SupportPlan.objects.get(case=case)
    page.wait_for_url(f"**/support-plans/{plan.pk}/")
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="Edit the support plan").click()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Safety measures").fill("Panic alarm\nSafe word with a neighbour")
    page.get_by_role("button", name="Save support plan").click()
    page.wait_for_url(f"**/support-plans/{plan.pk}/")
    assert page.get_by_text("Safe word with a neighbour").first.is_visible()
    assert page.locator(".moj-timeline__item").count() == 2
    page.goto("/support-plans/")
    assert_no_serious_axe_violations(page)

    page.get_by_role("button", name="Sign out").click()
    login(page, officer)
    response = page.goto(f"/support-plans/{plan.pk}/")
    assert response.status == 404 and page.get_by_role("heading", name="Page not found").is_visible()
    assert_no_serious_axe_violations(page)
