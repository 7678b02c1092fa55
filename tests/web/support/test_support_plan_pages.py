"""Support plans on the web: advocacy participants' practitioners and managers create and
edit them and read their history; everyone else gets "Page not found"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.agencies.models import Role
from marac.audit.models import AuditEvent
from marac.support.models import SupportPlan, SupportPlanChange
from tests.factories import make_platform_admin, make_user
from tests.orders.factories import make_plan
from tests.web.orders.helpers import date_input, form_errors

pytestmark = pytest.mark.django_db


def plan_form(**fields) -> dict:
    data = {"needs": "Safe housing\nCounselling", "safety_measures": "Panic alarm", "goals": "Feel safe at work.",
            "status": "active", **date_input("next_review", timezone.localdate() + timedelta(days=28))}
    data.update(fields)
    return data


def test_an_advocate_creates_and_updates_a_plan_with_its_history(web, spo):
    advocate = web(spo.advocate)
    entry = advocate.get(f"/cases/{spo.case.pk}/support-plan/")
    assert entry.status_code == 302 and entry["Location"] == f"/cases/{spo.case.pk}/support-plan/new/"
    created = advocate.post(f"/cases/{spo.case.pk}/support-plan/new/", plan_form())
    plan = SupportPlan.objects.get(case=spo.case)
    assert created.status_code == 302 and created["Location"] == f"/support-plans/{plan.pk}/"
    assert plan.needs == ["Safe housing", "Counselling"] and plan.agency == spo.advocacy
    assert advocate.get(f"/cases/{spo.case.pk}/support-plan/")["Location"] == f"/support-plans/{plan.pk}/"
    edit = advocate.get(f"/support-plans/{plan.pk}/edit/")
    assert "Safe housing\nCounselling" in edit.content.decode()
    updated = advocate.post(f"/support-plans/{plan.pk}/edit/", plan_form(
        safety_measures="Panic alarm\nSafe word with neighbour", status="closed"))
    assert updated.status_code == 302
    plan.refresh_from_db()
    assert plan.safety_measures == ["Panic alarm", "Safe word with neighbour"] and plan.status == "closed"
    last = SupportPlanChange.objects.filter(plan=plan).last()
    assert set(last.changes) == {"safety_measures", "status"} and last.by == spo.advocate
    page = advocate.get(f"/support-plans/{plan.pk}/").content.decode()
    assert page.count("moj-timeline__item") == 2 and "Safe word with neighbour" in page
    actions = set(AuditEvent.objects.filter(object_type="support_plan", object_id=str(plan.pk)).values_list(
        "action", flat=True))
    assert actions == {"create", "update", "view"}


def test_a_review_before_the_plan_was_made_is_refused_and_nothing_is_written(web, spo):
    plan = make_plan(spo.case, spo.advocacy, spo.advocate)
    response = web(spo.advocate).post(f"/support-plans/{plan.pk}/edit/", plan_form(
        **date_input("next_review", timezone.localdate() - timedelta(days=3))))
    assert response.status_code == 400 and "next review cannot be before" in form_errors(response)
    assert SupportPlanChange.objects.filter(plan=plan).count() == 1


def test_an_entry_over_500_characters_is_refused(web, spo):
    response = web(spo.advocate).post(f"/cases/{spo.case.pk}/support-plan/new/", plan_form(needs="x" * 501))
    assert response.status_code == 400 and "500 characters" in form_errors(response)
    assert not SupportPlan.objects.exists()


def test_an_advocacy_manager_on_the_case_edits_the_plan(web, spo):
    plan = make_plan(spo.case, spo.advocacy, spo.advocate)
    manager = web(make_user(spo.advocacy, Role.MANAGER))
    assert manager.get(f"/support-plans/{plan.pk}/").status_code == 200
    assert manager.post(f"/support-plans/{plan.pk}/edit/", plan_form(goals="Move house.")).status_code == 302


def test_nobody_but_advocacy_participants_reaches_a_plan(web, spo):
    plan = make_plan(spo.case, spo.advocacy, spo.advocate)
    for user in (spo.officer, spo.housing_officer, spo.chair, spo.coordinator, spo.other_officer,
                 make_platform_admin()):
        client = web(user)
        for url in (f"/support-plans/{plan.pk}/", f"/support-plans/{plan.pk}/edit/"):
            response = client.get(url)
            assert response.status_code == 404 and "Page not found" in response.content.decode(), (user, url)
        assert client.post(f"/support-plans/{plan.pk}/edit/", plan_form(goals="x")).status_code == 404
        assert not list(client.get("/support-plans/").context["plans"])
    assert web(spo.housing_officer).post(f"/cases/{spo.case.pk}/support-plan/new/", plan_form()).status_code == 403
    assert web(spo.other_officer).post(f"/cases/{spo.case.pk}/support-plan/new/", plan_form()).status_code == 404
    plan.refresh_from_db()
    assert plan.goals == "Feel safe at home." and SupportPlan.objects.count() == 1
