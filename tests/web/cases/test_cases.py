"""Cases for people: the filterable list and the case page, each part through its own
policy row (outside the slice: the "Page not found" page), reads and writes audited as
the API's are, and a fixed number of queries whatever the number of rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from marac.cases.models import Incident, ResearchContribution
from marac.cases.participants import is_participant
from marac.cases.services import record_incident
from marac.meetings.services import add_to_agenda, create_action
from marac.referrals.services import accept_referral
from marac.support.services import create_plan
from tests.factories import (
    CaseFactory,
    IncidentFactory,
    MeetingFactory,
    ResearchFactory,
    VictimFactory,
    dash,
    make_agency,
    make_platform_admin,
    make_referral,
    make_user,
)
from tests.orders.factories import make_order
from tests.web.cases.data import date_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def police():
    return make_agency(AgencyKind.POLICE)


@pytest.fixture
def officer(police):
    return make_user(police)


@pytest.fixture
def coordinator():
    return make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# ---- the list -------------------------------------------------------------------------------


def test_case_list_shows_only_the_cases_the_callers_agency_is_on(web, officer, police, coordinator):
    ours = CaseFactory(participants=[police])
    theirs = CaseFactory(participants=[make_agency(AgencyKind.HOUSING)])
    page = web(officer).get("/cases/").content.decode()
    assert ours.reference in page and theirs.reference not in page
    page = web(coordinator).get("/cases/").content.decode()
    assert ours.reference in page and theirs.reference in page


def test_case_list_filters_by_risk_level_status_and_reference(web, police, officer):
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    high = accept_referral(make_referral(user=officer, risk_checklist=dash(16)), by=coordinator).case
    medium = accept_referral(make_referral(user=officer, reason="professional_judgement", risk_checklist=dash(11),
                                           victim={"first_name": "Ann", "last_name": "Lee", "gender": "female",
                                                   "date_of_birth": "1990-01-01"}), by=coordinator).case
    closed = CaseFactory(participants=[police], status="closed", risk_score=3)
    client = web(officer)
    page = client.get("/cases/?risk_level=high").content.decode()
    assert high.reference in page and medium.reference in page  # professional judgement is high
    assert closed.reference not in page
    page = client.get("/cases/?risk_level=not_graded&status=closed").content.decode()
    assert closed.reference in page and high.reference not in page
    page = client.get(f"/cases/?reference={high.reference[-6:]}").content.decode()
    assert high.reference in page and closed.reference not in page
    assert "Selected filters" in page


def test_flagged_repeats_are_filtered_and_shown_to_coordinators_only(web, police, officer, coordinator):
    case = accept_referral(make_referral(user=officer), by=coordinator).case
    record_incident(case=case, agency=police, recorded_by=officer, occurred_at=timezone.now(), behaviour="following",
                    description="Followed home.")  # a further incident within 12 months: flagged
    calm = CaseFactory(participants=[police])
    page = web(coordinator).get("/cases/?flagged=on").content.decode()
    assert case.reference in page and calm.reference not in page and ">Flagged</strong>" in page
    page = web(officer).get("/cases/?flagged=on").content.decode()
    assert case.reference not in page
    assert ">Flagged</strong>" not in web(officer).get("/cases/").content.decode()


def test_case_list_reads_a_fixed_number_of_queries_whatever_the_number_of_cases(web, police, officer):
    client = web(officer)
    counts = []
    for batch in (2, 7):
        CaseFactory.create_batch(batch, participants=[police])
        counts.append(queries_for(client, "/cases/?risk_level=high&status=open"))
        counts.append(queries_for(client, "/cases/"))
    assert counts[0] == counts[2] and counts[1] == counts[3]


def test_case_list_audits_each_case_shown_as_a_view(web, police, officer):
    cases = CaseFactory.create_batch(2, participants=[police])
    web(officer).get("/cases/")
    viewed = set(AuditEvent.objects.filter(action="view", object_type="case").values_list("object_id", flat=True))
    assert viewed == {str(case.pk) for case in cases}


# ---- the case page --------------------------------------------------------------------------


def test_an_agency_not_on_the_case_gets_page_not_found(web, officer):
    case = CaseFactory(participants=[make_agency(AgencyKind.HOUSING)])
    response = web(officer).get(f"/cases/{case.pk}/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()
    assert not AuditEvent.objects.filter(object_type="case").exists()


def test_platform_admins_never_reach_a_case_page(web):
    case = CaseFactory()
    assert web(make_platform_admin()).get(f"/cases/{case.pk}/").status_code == 404


def test_case_page_title_says_where_you_are(web, police, officer):
    case = CaseFactory(participants=[police])
    assert f"<title>Case {case.reference} – " in web(officer).get(f"/cases/{case.pk}/").content.decode()


def test_safe_contact_is_shown_to_advocacy_participants_not_to_other_agencies(web, police, officer):
    advocacy = make_agency(AgencyKind.ADVOCACY)
    case = CaseFactory(participants=[police, advocacy],
                       victim=VictimFactory(safe_contact="Text first, after 6pm"))
    assert "Text first, after 6pm" in web(make_user(advocacy)).get(f"/cases/{case.pk}/").content.decode()
    assert "Text first, after 6pm" not in web(officer).get(f"/cases/{case.pk}/").content.decode()


def test_research_is_shown_per_the_slice_shared_or_agency_only(web, police, officer):
    housing = make_agency(AgencyKind.HOUSING)
    case = CaseFactory(participants=[police, housing])
    ResearchFactory(case=case, agency=housing, summary="Rent arrears, tenancy at risk.", shared_with_marac=True)
    ResearchFactory(case=case, agency=housing, summary="Internal safeguarding note.", shared_with_marac=False)
    page = web(officer).get(f"/cases/{case.pk}/").content.decode()
    assert "Rent arrears, tenancy at risk." in page and "Internal safeguarding note." not in page
    page = web(make_user(housing)).get(f"/cases/{case.pk}/").content.decode()
    assert "Internal safeguarding note." in page and "Agency only" in page


def test_incident_log_is_shown_to_police_and_advocacy_only(web, police, officer):
    housing = make_agency(AgencyKind.HOUSING)
    case = CaseFactory(participants=[police, housing])
    IncidentFactory(case=case, agency=police, description="Waited outside her work.")
    assert "Waited outside her work." in web(officer).get(f"/cases/{case.pk}/").content.decode()
    page = web(make_user(housing)).get(f"/cases/{case.pk}/").content.decode()
    assert "Waited outside her work." not in page and "Incident log" not in page


def test_support_plan_link_is_for_advocates_only(web, police, officer):
    advocacy = make_agency(AgencyKind.ADVOCACY)
    advocate = make_user(advocacy)
    case = CaseFactory(participants=[police, advocacy])
    create_plan(case=case, agency=advocacy, by=advocate, goals="Safe housing.")
    assert "Support plan (" in web(advocate).get(f"/cases/{case.pk}/").content.decode()
    assert "Support plan" not in web(officer).get(f"/cases/{case.pk}/").content.decode()


def test_actions_and_history_are_on_the_case_page(web, police, officer, coordinator):
    referral = make_referral(user=officer)
    meeting = MeetingFactory(date=timezone.localdate())
    case = accept_referral(referral, by=coordinator, meeting=meeting).case
    create_action(case=case, meeting=meeting, description="Fit a video doorbell.", owner_agency=police,
                  due_date=timezone.localdate() + timedelta(days=14), by=coordinator)
    page = web(officer).get(f"/cases/{case.pk}/").content.decode()
    assert "Fit a video doorbell." in page
    assert f"Referred by {police.name}" in page
    assert f"Listed on the meeting of {meeting.date:%-d %B %Y}" in page
    assert "Victim&#x27;s details recorded" in page or "Victim's details recorded" in page


def test_case_page_reads_a_fixed_number_of_queries_whatever_it_lists(web, police, officer):
    case = CaseFactory(participants=[police])
    client = web(officer)
    counts = []
    for batch in (1, 5):
        ResearchFactory.create_batch(batch, case=case, agency=police)
        IncidentFactory.create_batch(batch, case=case, agency=police)
        counts.append(queries_for(client, f"/cases/{case.pk}/"))
    assert counts[0] == counts[1]


def test_case_page_audits_the_case_and_every_object_it_shows(web, police, officer):
    case = CaseFactory(participants=[police])
    research = ResearchFactory(case=case, agency=police)
    incident = IncidentFactory(case=case, agency=police)
    web(officer).get(f"/cases/{case.pk}/")
    events = set(AuditEvent.objects.filter(action="view").values_list("object_type", "object_id"))
    assert {("case", str(case.pk)), ("research", str(research.pk)), ("incident", str(incident.pk))} <= events


def test_case_page_shows_the_ten_newest_research_items_and_incidents_and_shows_all_on_asking(web, police, officer):
    case = CaseFactory(participants=[police])
    start = timezone.now() - timedelta(days=30)
    research = [ResearchFactory(case=case, agency=police, summary=f"Research note {n}.") for n in range(12)]
    for n, item in enumerate(research):  # research 11 is the newest
        ResearchContribution.objects.filter(pk=item.pk).update(created_at=start + timedelta(days=n))
    incidents = [IncidentFactory(case=case, agency=police, occurred_at=start + timedelta(days=n),
                                 description=f"Incident number {n}.") for n in range(11)]
    client = web(officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert [n for n in range(12) if f"Research note {n}." in page] == list(range(2, 12))
    assert [n for n in range(11) if f"Incident number {n}." in page] == list(range(1, 11))
    assert "The 10 newest of 12." in page and "The 10 newest of 11." in page
    assert '<a class="govuk-link" href="?all=research#research">Show all 12 research items</a>' in page
    assert '<a class="govuk-link" href="?all=incidents#incidents">Show all 11 incidents</a>' in page
    # Only what the page showed is audited as read.
    shown = set(AuditEvent.objects.filter(action="view", object_type__in=("research", "incident"))
                .values_list("object_type", "object_id"))
    assert ("research", str(research[0].pk)) not in shown and ("incident", str(incidents[0].pk)) not in shown
    assert ("research", str(research[11].pk)) in shown and ("incident", str(incidents[10].pk)) in shown

    page = client.get(f"/cases/{case.pk}/?all=research").content.decode()
    assert all(f"Research note {n}." in page for n in range(12)) and "Show all 12 research items" not in page
    assert "Incident number 0." not in page
    assert 'href="?all=research&amp;all=incidents#incidents">Show all 11 incidents</a>' in page
    page = client.get(f"/cases/{case.pk}/?all=research&all=incidents").content.decode()
    assert all(f"Incident number {n}." in page for n in range(11)) and "newest of" not in page
    assert ("research", str(research[0].pk)) in set(
        AuditEvent.objects.filter(action="view", object_type="research").values_list("object_type", "object_id"))


def test_a_case_with_ten_or_fewer_research_items_shows_them_all_without_a_link(web, police, officer):
    case = CaseFactory(participants=[police])
    ResearchFactory.create_batch(10, case=case, agency=police)
    page = web(officer).get(f"/cases/{case.pk}/").content.decode()
    assert page.count('data-testid="research-item"') == 10 and "Show all" not in page


def test_case_page_shows_the_risk_as_its_checklist_graded_it_with_the_yes_answers(web, police, officer, coordinator):
    case = accept_referral(make_referral(user=officer, risk_checklist=dash(15)), by=coordinator,
                           meeting=MeetingFactory()).case
    page = web(officer).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="case-risk">High risk' in page
    assert "Score <strong>15</strong> on the DASH risk identification checklist" in page
    assert page.count('<li value="') == 15 and '<li value="1">' in page and '<li value="16">' not in page


def test_case_page_summarises_the_orders_with_a_link_to_each(web, police, officer):
    case = CaseFactory(participants=[police])
    order = make_order(case=case, police=police, user=officer, reference="SPO/2025/7")
    page = web(officer).get(f"/cases/{case.pk}/").content.decode()
    assert (f'<a class="govuk-link" href="/orders/{order.pk}/">Full order SPO/2025/7</a>: granted, '
            f"granted 10 March 2025") in page


def test_case_page_lists_the_children_with_their_age_and_in_full_only_where_the_policy_allows(web, police, officer,
                                                                                              coordinator):
    children = [{"first_name": "Sam", "date_of_birth": "2019-05-04", "school": "Northshire Primary"}]
    case = accept_referral(make_referral(user=officer, children=children, children_in_household=1),
                           by=coordinator, meeting=MeetingFactory()).case
    age = timezone.localdate().year - 2019 - ((timezone.localdate().month, timezone.localdate().day) < (5, 4))
    police_page = web(officer).get(f"/cases/{case.pk}/").content.decode()
    assert f"<br>Sam, {age}" in police_page and "Northshire Primary" not in police_page
    coordinator_page = web(coordinator).get(f"/cases/{case.pk}/").content.decode()
    assert f"<br>Sam, {age}, born 4 May 2019, Northshire Primary" in coordinator_page


def test_case_page_has_a_sub_navigation_to_each_of_its_sections(web, police, officer):
    case = CaseFactory(participants=[police])
    page = web(officer).get(f"/cases/{case.pk}/").content.decode()
    assert 'class="moj-sub-navigation" aria-label="Case sections"' in page
    for section in ("summary", "risk", "participants", "research", "incidents", "actions", "orders", "history"):
        assert f'href="#{section}"' in page and f'id="{section}"' in page, section


# ---- participants ---------------------------------------------------------------------------


def test_coordinators_add_and_remove_participants(web, police, coordinator):
    case = CaseFactory(participants=[police])
    housing = make_agency(AgencyKind.HOUSING)
    client = web(coordinator)
    response = client.post(f"/cases/{case.pk}/participants/", {"agency": housing.pk})
    assert response.status_code == 302 and is_participant(case, housing)
    assert AuditEvent.objects.filter(action="update", object_type="case", object_id=str(case.pk)).exists()
    confirm = client.get(f"/cases/{case.pk}/participants/{housing.pk}/remove/")
    assert f"Remove {housing.name} from this case?" in confirm.content.decode()
    assert client.post(f"/cases/{case.pk}/participants/{housing.pk}/remove/").status_code == 302
    assert not is_participant(case, housing)


def test_only_coordinators_manage_participants(web, police, officer):
    case = CaseFactory(participants=[police])
    housing = make_agency(AgencyKind.HOUSING)
    assert web(officer).post(f"/cases/{case.pk}/participants/", {"agency": housing.pk}).status_code == 403
    assert not is_participant(case, housing)
    assert "Add agency" not in web(officer).get(f"/cases/{case.pk}/").content.decode()


def test_adding_no_agency_writes_nothing(web, police, coordinator):
    case = CaseFactory(participants=[police])
    response = web(coordinator).post(f"/cases/{case.pk}/participants/", {"agency": ""})
    assert response.status_code == 400 and "Select the agency to add" in response.content.decode()


# ---- research and incidents -----------------------------------------------------------------


def test_research_is_added_shared_with_the_marac(web, police, officer):
    case = CaseFactory(participants=[police])
    response = web(officer).post(f"/cases/{case.pk}/research/new/",
                                 {"summary": "Two call-outs in May.", "shared_with_marac": "yes"})
    assert response.status_code == 302
    research = ResearchContribution.objects.get()
    assert (research.agency, research.author, research.shared_with_marac) == (police, officer, True)
    assert AuditEvent.objects.filter(action="create", object_type="research", object_id=str(research.pk)).exists()


def test_research_needs_a_summary_and_who_may_read_it(web, police, officer):
    case = CaseFactory(participants=[police])
    response = web(officer).post(f"/cases/{case.pk}/research/new/", {"summary": " "})
    assert response.status_code == 400 and not ResearchContribution.objects.exists()
    page = response.content.decode()
    assert "Select who may read the research" in page and "There is a problem" in page


def test_an_incident_is_logged_with_its_s2a_behaviour(web, police, officer):
    case = CaseFactory(participants=[police])
    response = web(officer).post(f"/cases/{case.pk}/incidents/new/", {
        **date_parts("occurred_on", 1, 5, 2024), "occurred_time": "21:30", "behaviour": "loitering",
        "description": "Waiting outside the house."})
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.behaviour, incident.agency, timezone.localtime(incident.occurred_at).hour) == (
        "loitering", police, 21)


def test_an_incident_cannot_be_in_the_future(web, police, officer):
    case = CaseFactory(participants=[police])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = web(officer).post(f"/cases/{case.pk}/incidents/new/", {
        **date_parts("occurred_on", tomorrow.day, tomorrow.month, tomorrow.year), "behaviour": "following",
        "description": "Followed."})
    assert response.status_code == 400 and not Incident.objects.exists()
    assert "An incident cannot be in the future." in response.content.decode()


def test_agencies_other_than_police_and_advocacy_cannot_log_incidents(web, police):
    housing = make_agency(AgencyKind.HOUSING)
    case = CaseFactory(participants=[police, housing])
    assert web(make_user(housing)).get(f"/cases/{case.pk}/incidents/new/").status_code == 403
