"""A coordinator corrects the case record (status, stalking, children in the household,
summary) through update_case, as PATCH /api/v1/cases/{id}/: only what changed, audited
as an update; the rule on children beside its field, nothing written on error."""

import pytest

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from marac.cases.models import Case
from marac.referrals.services import accept_referral
from tests.factories import (
    CaseFactory,
    make_agency,
    make_marac,
    make_referral,
    make_user,
)
from tests.web.orders.helpers import form_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)


def edit(**fields):
    return {"status": "open", "stalking": "yes", "children_in_household": "2", "summary": "", **fields}


def test_a_coordinator_closes_a_case_from_the_case_page_and_it_is_audited(web, coordinator):
    case = CaseFactory(children_in_household=2)
    client = web(coordinator)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/edit/"' in page
    form = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert "<title>Change case details – Case" in form and 'for="id_children_in_household"' in form
    response = client.post(f"/cases/{case.pk}/edit/", edit(status="closed", summary="Risk reduced; closed at MARAC."))
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    case.refresh_from_db()
    assert (case.status, case.summary, case.stalking, case.children_in_household) == (
        "closed", "Risk reduced; closed at MARAC.", True, 2)
    assert AuditEvent.objects.filter(action="update", object_type="case", object_id=str(case.pk),
                                     user_id=coordinator.pk, operation="web:case-edit").exists()


def test_fewer_children_than_the_case_lists_is_refused_beside_the_field_and_nothing_is_written(web, coordinator):
    referral = make_referral(children=[{"first_name": "Sam", "age": 6}, {"first_name": "Alex", "age": 3}])
    case = accept_referral(referral, by=coordinator).case
    events = AuditEvent.objects.count()
    response = web(coordinator).post(f"/cases/{case.pk}/edit/", edit(children_in_household="1", status="closed"))
    assert response.status_code == 400
    assert "2 children are listed on this case" in form_errors(response)
    html = response.content.decode()
    beside = html[html.index('id="div_id_children_in_household"'):]
    assert "2 children are listed on this case" in beside[:beside.index("</div>", beside.index("govuk-error"))]
    assert "<title>Error: " in html
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.children_in_household) == ("open", 2) and AuditEvent.objects.count() == events


@pytest.mark.parametrize("data,message", [
    (edit(children_in_household="two"), "Enter the number of children as a whole number"),
    (edit(children_in_household="31"), "less than or equal to 30"),
    (edit(status=""), "Select the case&#x27;s status"),
])
def test_bad_input_is_shown_with_the_summary_and_writes_nothing(web, coordinator, data, message):
    case = CaseFactory(children_in_household=2)
    response = web(coordinator).post(f"/cases/{case.pk}/edit/", data)
    assert response.status_code == 400 and message in form_errors(response)
    assert Case.objects.get(pk=case.pk).status == "open"


def test_only_coordinators_of_the_cases_marac_change_it(web):
    police = make_agency(AgencyKind.POLICE)
    case = CaseFactory(participants=[police])
    officer = make_user(police)
    assert f"/cases/{case.pk}/edit/" not in web(officer).get(f"/cases/{case.pk}/").content.decode()
    refused = web(officer).post(f"/cases/{case.pk}/edit/", edit(status="closed"))
    assert refused.status_code == 403 and b"You cannot do this" in refused.content
    chair = make_user(make_agency(AgencyKind.POLICE), Role.CHAIR)
    assert web(chair).get(f"/cases/{case.pk}/edit/").status_code == 403
    elsewhere = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[make_marac("South")])
    missing = web(elsewhere).get(f"/cases/{case.pk}/edit/")
    assert missing.status_code == 404 and b"Page not found" in missing.content
    assert Case.objects.get(pk=case.pk).status == "open"
