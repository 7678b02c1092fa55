"""Linking a referral to the victim's case (coordinators, a referral awaiting triage):
the likely matches offered on the referral page, "Link to this case" (one of them, or a
reference typed) or "Not the same victim", through the same service as POST
/api/v1/referrals/{id}/link/ (who and when recorded, audited as an update). Then triage
goes on as before: accepting adds the referral to the linked case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from marac.cases.models import Case
from marac.referrals.models import Referral, ReferralStatus
from marac.referrals.services import accept_referral
from tests.factories import make_agency, make_marac, make_referral, make_user
from tests.web.orders.helpers import form_errors

pytestmark = pytest.mark.django_db

VICTIM = {"first_name": "Anne-Marie", "last_name": "O'Neil", "date_of_birth": "1990-06-01", "gender": "female"}


@pytest.fixture
def coordinator():
    return make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)


@pytest.fixture
def case(coordinator):
    return accept_referral(make_referral(victim=dict(VICTIM)), by=coordinator).case


def alike(**victim):
    """A referral whose victim is a likely match of the case's, never linked by itself."""
    return make_referral(victim={**VICTIM, "first_name": "Anne", "last_name": "O'Neill", **victim})


def link_state(referral):
    referral = Referral.objects.get(pk=referral.pk)
    return referral.case_id, referral.link_decided_by_id


def test_the_referral_page_offers_the_likely_matches_to_link(web, coordinator, case):
    referral = alike()
    page = web(coordinator).get(f"/referrals/{referral.pk}/").content.decode()
    assert "Is the victim already known?" in page
    assert page.count('name="case"') == 1 and f'value="{case.pk}"' in page
    assert f"{case.reference}: Anne-Marie O&#x27;Neil, born 1 June 1990" in page
    assert 'name="reference"' in page and "Link to this case" in page and "Not the same victim" in page
    assert 'for="id_reference"' in page


def test_linking_to_a_likely_match_is_recorded_audited_and_accepting_then_joins_that_case(web, coordinator, case):
    referral = alike()
    client = web(coordinator)
    response = client.post(f"/referrals/{referral.pk}/link/", {"case": case.pk, "reference": "", "decision": "link"})
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/"
    referral.refresh_from_db()
    assert (referral.case_id, referral.is_repeat, referral.link_decided_by_id) == (case.pk, True, coordinator.pk)
    assert referral.link_decided_at is not None and referral.status == ReferralStatus.SUBMITTED
    assert AuditEvent.objects.filter(action="update", object_type="referral", object_id=str(referral.pk),
                                     user_id=coordinator.pk, operation="web:referral-link").exists()
    page = client.get(response["Location"]).content.decode()
    assert f"linked to case {case.reference}" in page and "Case link decided by" in page
    assert client.post(f"/referrals/{referral.pk}/accept/", {}).status_code == 302
    assert Referral.objects.get(pk=referral.pk).case_id == case.pk and Case.objects.count() == 1


def test_a_case_reference_typed_links_a_case_not_offered(web, coordinator, case):
    referral = make_referral(victim={**VICTIM, "first_name": "Jo", "last_name": "Bloggs"})
    assert referral.case_id is None
    response = web(coordinator).post(f"/referrals/{referral.pk}/link/",
                                     {"reference": case.reference.lower(), "decision": "link"})
    assert response.status_code == 302
    assert link_state(referral) == (case.pk, coordinator.pk)


def test_not_the_same_victim_unlinks_a_repeat_and_accepting_opens_a_new_case(web, coordinator, case):
    repeat = make_referral(victim=dict(VICTIM))
    assert repeat.case_id == case.pk
    client = web(coordinator)
    page = client.get(f"/referrals/{repeat.pk}/").content.decode()
    assert "(linked now)" in page
    response = client.post(f"/referrals/{repeat.pk}/link/", {"decision": "none"})
    assert response.status_code == 302
    assert link_state(repeat) == (None, coordinator.pk)
    assert not Referral.objects.get(pk=repeat.pk).is_repeat
    client.post(f"/referrals/{repeat.pk}/accept/", {})
    assert Referral.objects.get(pk=repeat.pk).case_id not in (None, case.pk)


@pytest.mark.parametrize("data,message", [
    ({"decision": "link"}, "Select the victim&#x27;s case or type its reference"),
    ({"decision": "link", "reference": "NO-SUCH-CASE"}, "There is no case NO-SUCH-CASE in the MARACs you serve"),
    ({"decision": "link", "case": "999999"}, "Select a valid choice"),
])
def test_a_link_with_errors_shows_the_summary_and_the_message_beside_the_field_and_writes_nothing(
        web, coordinator, case, data, message):
    referral = alike()
    events = AuditEvent.objects.count()
    response = web(coordinator).post(f"/referrals/{referral.pk}/link/", data)
    assert response.status_code == 400
    assert message in form_errors(response)
    html = response.content.decode()
    assert html.count(message) == 2 and "govuk-error-message" in html and "<title>Error: " in html
    assert link_state(referral) == (None, None) and AuditEvent.objects.count() == events


def test_a_case_of_another_marac_the_coordinator_serves_is_refused_beside_the_reference(web, case):
    south = make_marac("South")
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR,
                            maracs=[case.marac, south])
    referral = make_referral(victim=dict(VICTIM), marac=south)
    response = web(coordinator).post(f"/referrals/{referral.pk}/link/",
                                     {"reference": case.reference, "decision": "link"})
    assert response.status_code == 400
    html = response.content.decode()
    beside = html[html.index('id="div_id_reference"'):]
    assert "govuk-error-message" in beside[:beside.index("</div>")] or "govuk-error-message" in beside[:2000]
    assert "There is a problem" in html
    assert link_state(referral) == (None, None)


def test_a_case_outside_the_coordinators_marac_is_not_found_by_its_reference(web, case):
    south = make_marac("South")
    southern = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[south])
    referral = make_referral(victim={**VICTIM, "first_name": "Jo"}, marac=south)
    response = web(southern).post(f"/referrals/{referral.pk}/link/", {"reference": case.reference,
                                                                      "decision": "link"})
    assert response.status_code == 400
    assert f"There is no case {case.reference}" in form_errors(response)
    assert link_state(referral) == (None, None)


def test_a_decided_referral_is_not_linked_and_offers_no_form(web, coordinator, case):
    accepted = case.referrals.get()
    client = web(coordinator)
    assert "Is the victim already known?" not in client.get(f"/referrals/{accepted.pk}/").content.decode()
    response = client.post(f"/referrals/{accepted.pk}/link/", {"decision": "none"})
    assert response.status_code == 400 and "only submitted referrals are triaged" in response.content.decode()
    assert Referral.objects.get(pk=accepted.pk).case_id == case.pk


def test_only_coordinators_link_and_others_see_no_form(web, case):
    officer = make_user(make_agency(AgencyKind.POLICE))
    referral = alike()
    chair = make_user(make_agency(AgencyKind.POLICE), Role.CHAIR)
    assert web(chair).post(f"/referrals/{referral.pk}/link/", {"decision": "none"}).status_code == 403
    referrer = referral.referred_by
    assert "Is the victim already known?" not in web(referrer).get(f"/referrals/{referral.pk}/").content.decode()
    assert web(referrer).post(f"/referrals/{referral.pk}/link/", {"decision": "none"}).status_code == 403
    response = web(officer).post(f"/referrals/{referral.pk}/link/", {"decision": "none"})
    assert response.status_code == 404 and b"Page not found" in response.content
    assert link_state(referral) == (None, None)


def test_the_referral_page_reads_the_same_queries_for_one_likely_match_or_many(web, coordinator, case):
    referral = alike()
    client = web(coordinator)
    client.get(f"/referrals/{referral.pk}/")
    counts = []
    for more in (0, 4):
        for index in range(more):
            accept_referral(make_referral(victim={**VICTIM, "first_name": f"Anne{index}"}), by=coordinator)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/referrals/{referral.pk}/").content.decode()
        counts.append(len(queries))
        assert page.count('name="case"') == 1 + more
    assert counts[0] == counts[1] == 12
