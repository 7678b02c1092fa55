"""Requests for an SPO in a real browser, with axe on each page: the advocate asks on the
victim's behalf from the case page (a date in the future is refused beside the field),
police answer from the case page by declining with a reason on the order form, and the
advocate sees the answer."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from marac.agencies.models import AgencyKind, Role
from marac.orders.models import Order, SpoRequest
from tests.factories import CaseFactory, make_agency, make_user
from tests.web.browser.conftest import assert_no_serious_axe_violations, login
from tests.web.browser.test_orders_browser import fill_date


def test_an_advocate_requests_an_spo_and_police_decline_with_a_reason(page):
    police = make_agency(AgencyKind.POLICE, name="Northshire Police")
    advocacy = make_agency(AgencyKind.ADVOCACY, name="Northshire ISAs")
    case = CaseFactory(participants=[police, advocacy])
    officer = make_user(police, Role.PRACTITIONER, first_name="Pat", last_name="Okafor")
    advocate = make_user(advocacy, Role.PRACTITIONER, first_name="Ada", last_name="Price")
    today = timezone.localdate()

    login(page, advocate)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Request that police consider an SPO").click()
    title = f"Request that police consider an SPO – Case {case.reference}"
    expect(page).to_have_title(re.compile("^" + re.escape(title)))
    assert_no_serious_axe_violations(page)
    fill_date(page, "Date of the request", today + timedelta(days=1))
    page.get_by_label("The victim herself asked for an SPO").check()
    page.get_by_label("Note for the police").fill("She asked at the last visit; he keeps turning up at her work.")
    page.get_by_role("button", name="Record the request").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: ")))
    assert page.locator(".govuk-error-summary").get_by_text("cannot be in the future").is_visible()
    assert_no_serious_axe_violations(page)
    fill_date(page, "Date of the request", today)
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_text("Request recorded. The police on the case have been told.")).to_be_visible()
    expect(page.get_by_test_id("spo-requests")).to_contain_text("Awaiting the police's answer")
    assert_no_serious_axe_violations(page)
    request = SpoRequest.objects.get(case=case)
    page.get_by_role("button", name="Sign out").click()

    login(page, officer)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name=re.compile("^Answer with an order")).click()
    expect(page.get_by_label("Answers the request for an SPO")).to_have_value(str(request.pk))
    page.get_by_label("Declined").check()
    page.get_by_label("Reason for the decision").fill("The behaviour stopped after his arrest; reviewed weekly.")
    page.get_by_role("button", name="Record the order").click()
    order = Order.objects.get(case=case)
    page.wait_for_url(f"**/orders/{order.pk}/")
    page.get_by_role("button", name="Sign out").click()

    login(page, advocate)
    page.goto(f"/cases/{case.pk}/")
    answers = page.get_by_test_id("spo-requests")
    expect(answers).to_contain_text("Declined")
    expect(answers).to_contain_text("The behaviour stopped after his arrest")
    assert_no_serious_axe_violations(page)
