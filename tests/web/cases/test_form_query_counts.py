"""The cases area's form and confirmation pages read a pinned number of queries, whatever
the case holds (research, incidents, participants): the research and incident forms, the
remove-participant confirmation, the case details form, and the referral's "submitted" page."""

import pytest

from marac.agencies.models import AgencyKind, Role
from marac.cases.participants import add_participant
from marac.referrals.services import accept_referral
from tests.factories import IncidentFactory, MeetingFactory, ResearchFactory, make_agency, make_referral, make_user
from tests.web.query_pins import assert_pinned

pytestmark = pytest.mark.django_db

# Session and user, membership, the slice (the case or referral, the row's grant), the
# page's own rows; the audit INSERT where the page shows case data. Raise a pin only knowingly.
PINS = {"research-add": 4, "incident-add": 4, "participant-remove": 6, "referral-submitted": 4, "case-edit": 5}


def test_form_and_confirmation_pages_read_a_pinned_number_of_queries(web):
    police = make_agency(AgencyKind.POLICE)
    officer = make_user(police)
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    referral = make_referral(user=officer)
    case = accept_referral(referral, by=coordinator, meeting=MeetingFactory()).case
    submitted = make_referral(user=officer, victim={"first_name": "Ann", "last_name": "Lee",
                                                    "date_of_birth": "1979-01-01", "gender": "female"})
    police_client, coordinator_client = web(officer), web(coordinator)
    pages = {
        "research-add": (police_client, f"/cases/{case.pk}/research/new/"),
        "incident-add": (police_client, f"/cases/{case.pk}/incidents/new/"),
        "participant-remove": (coordinator_client, f"/cases/{case.pk}/participants/{police.pk}/remove/"),
        "referral-submitted": (police_client, f"/referrals/{submitted.pk}/submitted/"),
        "case-edit": (coordinator_client, f"/cases/{case.pk}/edit/"),
    }

    def grow():
        for _ in range(4):
            add_participant(case, make_agency(AgencyKind.HOUSING))
            ResearchFactory(case=case, agency=police)
            IncidentFactory(case=case, agency=police)

    assert_pinned(pages, PINS, grow)
