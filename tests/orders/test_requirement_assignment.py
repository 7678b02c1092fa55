"""The responsible agency is told when it is assigned a requirement and can identify the
defendant from its requirement view (never the victim, never the case file)."""

from datetime import date

import pytest

from marac.agencies.models import AgencyKind
from marac.notifications.models import Notification
from marac.orders.services import update_requirement
from tests.factories import CaseFactory, make_agency
from tests.orders.factories import make_order, make_requirement

pytestmark = pytest.mark.django_db


def test_assigning_a_requirement_notifies_the_responsible_agency(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    response = api(spo.officer).post(f"/api/v1/orders/{order.pk}/requirements/",
                                     {"kind": "intervention_programme", "responsible_agency": spo.provider.pk},
                                     format="json")
    assert response.status_code == 201, response.content
    told = Notification.objects.get(agency=spo.provider)
    assert (told.kind, told.object_type, told.object_id) == ("requirement_assigned", "requirement",
                                                            str(response.json()["id"]))
    # The provider is not on the case: the notice names no case and no victim.
    assert told.case is None
    victim = spo.case.victim
    assert victim.first_name not in told.message and victim.last_name not in told.message
    assert spo.case.reference not in told.message


def test_reassigning_a_requirement_notifies_the_new_responsible_agency(spo):
    requirement = make_requirement(make_order(spo.case, spo.police, spo.officer), spo.provider)
    probation = make_agency(AgencyKind.PROBATION)
    update_requirement(requirement, by=spo.officer, responsible_agency=probation)
    assert Notification.objects.filter(agency=probation, kind="requirement_assigned").count() == 1
    update_requirement(requirement, by=spo.officer, status="scheduled")
    assert Notification.objects.filter(kind="requirement_assigned").count() == 2  # provider, then probation
    update_requirement(requirement, by=spo.officer, responsible_agency=spo.provider)  # and back again
    assert Notification.objects.filter(agency=spo.provider, kind="requirement_assigned").count() == 2


def test_the_responsible_agency_can_identify_the_defendant(api, spo):
    defendant = spo.case.perpetrator
    defendant.date_of_birth = date(1985, 6, 1)
    defendant.save()
    order = make_order(spo.case, spo.police, spo.officer, reference="NM-SPO-2025-0042", expires_on=date(2027, 3, 9))
    requirement = make_requirement(order, spo.provider)
    client = api(spo.provider_worker)
    for data in (client.get(f"/api/v1/requirements/{requirement.pk}/").json(),
                 client.get("/api/v1/requirements/").json()["results"][0]):
        assert data["defendant"] == {"first_name": defendant.first_name, "last_name": defendant.last_name,
                                     "date_of_birth": "1985-06-01"}
        assert data["order_details"] == {"id": order.pk, "reference": "NM-SPO-2025-0042", "kind": "full",
                                         "status": "granted", "granted_on": "2025-03-10",
                                         "expires_on": "2027-03-09", "ended_on": None}


def test_the_responsible_agency_never_sees_the_victim_or_the_case_through_its_requirement(api, spo):
    requirement = make_requirement(make_order(spo.case, spo.police, spo.officer), spo.provider)
    body = api(spo.provider_worker).get(f"/api/v1/requirements/{requirement.pk}/").content.decode()
    victim = spo.case.victim
    for secret in (victim.first_name, victim.last_name, victim.postcode, spo.case.reference):
        assert secret not in body
    assert '"case"' not in body
    assert api(spo.provider_worker).get(f"/api/v1/cases/{spo.case.pk}/").status_code == 404


def test_an_order_is_against_the_cases_perpetrator_unless_another_of_its_perpetrators_is_named(api, spo):
    response = api(spo.officer).post("/api/v1/orders/", {"case": spo.case.pk, "kind": "full",
                                                         "status": "considering"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["defendant"] == spo.case.perpetrator_id
    stranger = CaseFactory().perpetrator
    wrong = api(spo.officer).post("/api/v1/orders/", {"case": spo.case.pk, "kind": "full", "status": "considering",
                                                      "defendant": stranger.pk}, format="json")
    assert wrong.status_code == 400 and "perpetrator of the order's case" in wrong.json()["defendant"][0]
    missing = api(spo.officer).post("/api/v1/orders/", {"case": spo.case.pk, "kind": "full", "status": "considering",
                                                        "defendant": 999999}, format="json")
    assert missing.json()["defendant"] == wrong.json()["defendant"]  # the same answer: nothing leaks
