"""Victim support plans: advocacy participants of the case only, with a history."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.agencies.models import AgencyKind, Role
from marac.support.models import SupportPlan
from tests.factories import make_agency, make_platform_admin, make_user
from tests.orders.factories import make_plan

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/support-plans/"


def plan_body(spo, **fields):
    data = {"case": spo.case.pk, "needs": ["Safe housing", "Counselling"],
            "safety_measures": ["Panic alarm", "Safe word with neighbour"], "goals": "Feel safe going to work.",
            "next_review": (timezone.localdate() + timedelta(days=28)).isoformat(), "status": "active"}
    data.update(fields)
    return data


def test_an_advocate_on_the_case_keeps_a_plan_with_history(api, spo):
    client = api(spo.advocate)
    response = client.post(PLANS, plan_body(spo), format="json")
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["agency"] == spo.advocacy.pk and plan["needs"] == ["Safe housing", "Counselling"]
    changed = client.patch(f"{PLANS}{plan['id']}/", {"safety_measures": ["Panic alarm"], "status": "closed"},
                           format="json")
    assert changed.status_code == 200, changed.content
    history = client.get(f"{PLANS}{plan['id']}/history/").json()["results"]
    assert len(history) == 2
    assert history[1]["changes"] == {
        "safety_measures": [["Panic alarm", "Safe word with neighbour"], ["Panic alarm"]],
        "status": ["active", "closed"]}
    assert history[1]["by"] == spo.advocate.pk and history[1]["at"]


def test_another_advocacy_agency_on_the_case_sees_the_plan(api, spo):
    from marac.cases.participants import add_participant

    idva = make_agency(AgencyKind.ADVOCACY)
    add_participant(spo.case, idva)
    plan = make_plan(spo.case, spo.advocacy, spo.advocate)
    assert api(make_user(idva)).get(f"{PLANS}{plan.pk}/").status_code == 200


def test_nobody_but_advocacy_participants_sees_a_plan(api, spo):
    plan = make_plan(spo.case, spo.advocacy, spo.advocate)
    advocacy_elsewhere = make_agency(AgencyKind.ADVOCACY)
    outsiders = [spo.officer, spo.housing_officer, spo.health_worker, spo.chair, spo.coordinator,
                 make_platform_admin(), make_user(advocacy_elsewhere), make_user(spo.police, Role.MANAGER),
                 make_user(spo.advocacy, Role.CHAIR), make_user(spo.advocacy, Role.COORDINATOR)]
    for user in outsiders:
        client = api(user)
        assert client.get(f"{PLANS}{plan.pk}/").status_code == 404, user
        assert client.get(f"{PLANS}{plan.pk}/history/").status_code == 404, user
        assert client.patch(f"{PLANS}{plan.pk}/", {"goals": "x"}, format="json").status_code == 404, user
        assert client.get(PLANS).json()["results"] == [], user
    plan.refresh_from_db()
    assert plan.goals == "Feel safe at home."


def test_only_advocacy_participants_create_plans(api, spo):
    assert api(spo.officer).post(PLANS, plan_body(spo), format="json").status_code == 403
    outsider = make_user(make_agency(AgencyKind.ADVOCACY))
    response = api(outsider).post(PLANS, plan_body(spo), format="json")
    assert response.status_code == 400 and "case" in response.json()  # the case is outside its slice
    assert not SupportPlan.objects.exists()


def test_bad_plan_input_is_400_and_writes_nothing(api, spo):
    client = api(spo.advocate)
    assert client.post(PLANS, plan_body(spo, status="paused"), format="json").status_code == 400
    assert client.post(PLANS, plan_body(spo, needs=["  "]), format="json").status_code == 400
    past = client.post(PLANS, plan_body(spo, next_review="2020-01-01"), format="json")
    assert past.status_code == 400 and "Dates out of order" in past.json()["next_review"][0]
    assert not SupportPlan.objects.exists()
    plan = make_plan(spo.case, spo.advocacy, spo.advocate)
    moved = client.patch(f"{PLANS}{plan.pk}/", {"case": spo.case.pk}, format="json")
    assert moved.status_code == 400 and "case" in moved.json()


def test_each_plan_entry_is_at_most_500_characters_whoever_writes_it(spo):
    """The length of a need or safety measure is a domain rule: the web form and the API
    both reach it through the service."""
    from marac.errors import DomainError
    from marac.support.services import ENTRY_MAX_LENGTH, update_plan

    plan = make_plan(spo.case, spo.advocacy, spo.advocate)
    with pytest.raises(DomainError) as refused:
        update_plan(plan, by=spo.advocate, needs=["x" * (ENTRY_MAX_LENGTH + 1)])
    assert "needs" in refused.value.messages
    plan.refresh_from_db()
    assert plan.needs == ["Safe housing"]
