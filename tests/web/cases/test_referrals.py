"""Make a referral (any member): the same service and rules as POST /api/v1/referrals/,
the score and risk level computed by the server as answers are given, nothing
written when the form has errors."""

import pytest

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from marac.referrals.models import Referral
from tests.factories import make_agency, make_referral, make_user
from tests.web.cases.data import date_parts, referral_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user(make_agency(AgencyKind.POLICE))


def test_referral_form_shows_the_dash_questions_numbered_with_our_labels(web, officer):
    page = web(officer).get("/referrals/new/").content.decode()
    assert "<title>Make a referral" in page
    assert "1. Injured now" in page and "24. Perpetrator criminal history" in page
    assert 'name="q_24"' in page and 'name="q_25"' not in page


def test_referral_form_offers_the_sdash_checklist_with_its_eleven_questions(web, officer):
    page = web(officer).get("/referrals/new/?tool=sdash").content.decode()
    assert "S-DASH stalking screening (11 questions)" in page
    assert 'name="q_11"' in page and 'name="q_12"' not in page


def test_a_referral_is_submitted_through_the_domain_and_confirmed_with_its_reference(web, officer):
    response = web(officer).post("/referrals/new/", referral_form_data(
        **{"child-0-first_name": "Sam", "child-0-age": "6", "child-0-school": "Northshire Primary"}))
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/submitted/"
    assert (referral.risk_score, referral.checklist_tool, referral.reason) == (15, "dash", "visible_high_risk")
    assert referral.victim.do_not_contact_via == ["post", "home_visit"]
    assert [child.first_name for child in referral.children.all()] == ["Sam"]
    assert referral.children_in_household == 1
    assert AuditEvent.objects.filter(action="create", object_type="referral", object_id=str(referral.pk)).exists()
    confirmation = web(officer).get(response["Location"]).content.decode()
    assert f"Referral {referral.pk}" in confirmation and "Referral submitted" in confirmation


def test_a_referral_with_errors_writes_nothing_and_shows_each_message_beside_its_field(web, officer):
    response = web(officer).post("/referrals/new/", referral_form_data(victim_first_name="", q_3=""))
    assert response.status_code == 400
    assert Referral.objects.count() == 0
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the victim&#x27;s first name" in page and "Answer question 3: yes, no or not known" in page
    assert "govuk-form-group--error" in page


def test_consent_needs_a_justification_unless_given_as_on_the_api(web, officer):
    client = web(officer)
    for consent in ("no", "not_known", ""):
        response = client.post("/referrals/new/", referral_form_data(victim_consented=consent))
        assert response.status_code == 400, consent
        assert "record why sharing without consent is justified" in response.content.decode()
    assert Referral.objects.count() == 0
    response = client.post("/referrals/new/", referral_form_data(victim_consented="no",
                                                                 sharing_justification="Risk to life."))
    assert response.status_code == 302
    assert Referral.objects.get().victim_consented is False


def test_visible_high_risk_needs_a_dash_score_of_fourteen(web, officer):
    response = web(officer).post("/referrals/new/", referral_form_data(yes=13))
    assert response.status_code == 400 and Referral.objects.count() == 0
    assert "Visible high risk needs a DASH score of 14 or more" in response.content.decode()


def test_a_victim_born_before_1900_is_refused_by_the_domain_rule(web, officer):
    response = web(officer).post("/referrals/new/", referral_form_data(**date_parts("victim_date_of_birth", 1, 1, 1899)))
    assert response.status_code == 400 and Referral.objects.count() == 0
    assert "This date of birth is before 1900." in response.content.decode()


def test_a_child_aged_eighteen_or_more_is_refused_beside_that_child(web, officer):
    response = web(officer).post("/referrals/new/", referral_form_data(
        **{"child-1-first_name": "Alex", **date_parts("child-1-date_of_birth", 1, 1, 2000)}))
    assert response.status_code == 400 and Referral.objects.count() == 0
    assert "Child 2: A child in the household is under 18." in response.content.decode()


def test_check_score_shows_the_server_computed_score_and_writes_nothing(web, officer):
    response = web(officer).post("/referrals/new/", {**referral_form_data(yes=11), "victim_first_name": "",
                                                     "check_score": "1"})
    assert response.status_code == 200 and Referral.objects.count() == 0
    page = response.content.decode()
    assert '<strong data-testid="score">11</strong>' in page
    assert ">Medium</strong>" in page
    assert "Visible high risk needs a DASH score of 14 or more" in page
    assert "There is a problem" not in page  # the score, not the unanswered fields


def test_score_panel_is_recomputed_by_the_server_as_answers_change(web, officer):
    client = web(officer)
    panel = client.post("/referrals/new/score/", {"tool": "dash", "q_1": "yes", "q_2": "yes", "q_3": "no"},
                        HTTP_HX_REQUEST="true").content.decode()
    assert '<strong data-testid="score">2</strong>' in panel and "3 of 24 questions answered" in panel
    assert "<html" not in panel
    high = client.post("/referrals/new/score/", referral_form_data(yes=14)).content.decode()
    assert ">High</strong>" in high and "The referral criteria are met so far." in high
    judgement = client.post("/referrals/new/score/", {"tool": "sdash", "reason": "professional_judgement",
                                                      "victim_consented": "yes"}).content.decode()
    assert ">High</strong>" in judgement
    assert Referral.objects.count() == 0


def test_referral_list_shows_only_the_callers_slice(web, officer):
    own = make_referral(user=officer)
    other = make_referral(user=make_user(make_agency(AgencyKind.HOUSING)))
    page = web(officer).get("/referrals/").content.decode()
    assert f"/referrals/{own.pk}/" in page and f"/referrals/{other.pk}/" not in page
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    page = web(coordinator).get("/referrals/").content.decode()
    assert f"/referrals/{own.pk}/" in page and f"/referrals/{other.pk}/" in page


def test_another_agencys_referral_is_not_found(web, officer):
    other = make_referral(user=make_user(make_agency(AgencyKind.HOUSING)))
    assert web(officer).get(f"/referrals/{other.pk}/").status_code == 404


def test_chairs_read_a_referral_without_the_safe_contact(web, officer):
    referral = make_referral(user=officer, victim={"first_name": "Jane", "last_name": "Doe",
                                                   "date_of_birth": "1988-03-04", "gender": "female",
                                                   "safe_contact": "Mobile after 6pm"})
    chair = make_user(make_agency(AgencyKind.POLICE), Role.CHAIR)
    assert "Mobile after 6pm" not in web(chair).get(f"/referrals/{referral.pk}/").content.decode()
    assert "Mobile after 6pm" in web(officer).get(f"/referrals/{referral.pk}/").content.decode()


def test_platform_admins_cannot_make_a_referral(web):
    from tests.factories import make_platform_admin

    assert web(make_platform_admin()).get("/referrals/new/").status_code == 403


def test_with_several_maracs_active_the_referral_names_its_marac_as_on_the_api(web, officer):
    from marac.maracs.services import create_marac, default_marac

    home, other = default_marac(), create_marac(name="Southshire MARAC")
    client = web(officer)
    assert "Which MARAC is the referral for?" in client.get("/referrals/new/").content.decode()
    response = client.post("/referrals/new/", referral_form_data())
    assert response.status_code == 400 and Referral.objects.count() == 0
    assert "More than one MARAC is active: name the MARAC." in response.content.decode()
    assert client.post("/referrals/new/", referral_form_data(marac=other.pk)).status_code == 302
    assert Referral.objects.get().marac == other
    assert home != other


def test_with_one_marac_the_referral_form_does_not_ask(web, officer):
    assert "Which MARAC is the referral for?" not in web(officer).get("/referrals/new/").content.decode()


def test_too_many_children_rows_is_a_message_not_a_server_error(web, officer):
    response = web(officer).post("/referrals/new/", referral_form_data(**{"child-TOTAL_FORMS": "5000"}))
    assert response.status_code == 400 and Referral.objects.count() == 0
    assert "Children:" in response.content.decode()
