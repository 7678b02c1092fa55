"""Triage (coordinators): referrals awaiting a decision with their repeat and possible
duplicate flags; accept onto a meeting or decline with a reason, through the same
services as the API."""

import pytest

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from marac.meetings.models import AgendaItem, MeetingStatus
from marac.referrals.models import Referral, ReferralStatus
from marac.referrals.services import accept_referral
from tests.factories import MeetingFactory, make_agency, make_referral, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)


def test_triage_lists_referrals_awaiting_a_decision_with_repeat_and_duplicate_flags(web, coordinator):
    officer = make_user(make_agency(AgencyKind.POLICE))
    earlier = accept_referral(make_referral(user=officer), by=coordinator)
    repeat = make_referral(user=officer)  # the same victim within 12 months of the last referral
    duplicate = make_referral(user=make_user(make_agency(AgencyKind.HOUSING)))
    page = web(coordinator).get("/referrals/triage/").content.decode()
    assert "Triage referrals" in page
    assert f"/referrals/{earlier.pk}/" not in page  # decided already
    assert f"/referrals/{repeat.pk}/" in page and f"/referrals/{duplicate.pk}/" in page
    assert "Repeat</strong> of" in page and earlier.case.reference in page
    assert "Possible duplicate</strong>" in page


def test_triage_is_for_coordinators_only(web):
    for role, kind in [(Role.CHAIR, AgencyKind.POLICE), (Role.PRACTITIONER, AgencyKind.POLICE),
                       (Role.MANAGER, AgencyKind.ADVOCACY)]:
        assert web(make_user(make_agency(kind), role)).get("/referrals/triage/").status_code == 403


def test_triage_page_reads_a_fixed_number_of_queries_whatever_the_number_of_referrals(
        web, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web(coordinator)
    counts = []
    for batch in (2, 6):
        for index in range(batch):
            make_referral(victim={"first_name": f"V{batch}{index}", "last_name": "Doe", "date_of_birth": "1980-01-01",
                                  "gender": "female"})
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/referrals/triage/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_accepting_onto_a_meeting_opens_the_case_and_lists_it_on_the_agenda(web, coordinator):
    referral = make_referral()
    meeting = MeetingFactory()
    response = web(coordinator).post(f"/referrals/{referral.pk}/accept/", {"meeting": meeting.pk})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.triaged_by == coordinator
    assert response.status_code == 302 and response["Location"] == f"/cases/{referral.case_id}/"
    assert AgendaItem.objects.filter(meeting=meeting, case=referral.case).exists()
    assert AuditEvent.objects.filter(action="update", object_type="referral", object_id=str(referral.pk)).exists()


def test_a_closed_meeting_is_not_offered_and_accepting_onto_it_writes_nothing(web, coordinator):
    referral = make_referral()
    closed, scheduled = MeetingFactory(status=MeetingStatus.CLOSED), MeetingFactory()
    client = web(coordinator)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert f'<option value="{closed.pk}"' not in page and f'<option value="{scheduled.pk}"' in page
    response = client.post(f"/referrals/{referral.pk}/accept/", {"meeting": closed.pk})
    assert response.status_code == 400
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SUBMITTED


def test_a_declined_referral_needs_a_reason_and_nothing_is_written_without_one(web, coordinator):
    referral = make_referral()
    client = web(coordinator)
    response = client.post(f"/referrals/{referral.pk}/decline/", {"reason": "  "})
    assert response.status_code == 400
    assert "Enter why the referral is declined" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SUBMITTED
    response = client.post(f"/referrals/{referral.pk}/decline/", {"reason": "Below the MARAC threshold."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (ReferralStatus.DECLINED, "Below the MARAC threshold.")


def test_a_decided_referral_cannot_be_triaged_again(web, coordinator):
    referral = make_referral()
    client = web(coordinator)
    client.post(f"/referrals/{referral.pk}/decline/", {"reason": "Below the MARAC threshold."})
    response = client.post(f"/referrals/{referral.pk}/accept/", {})
    assert response.status_code == 400
    assert "only submitted referrals are triaged" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DECLINED


def test_only_coordinators_accept_or_decline(web):
    officer = make_user(make_agency(AgencyKind.POLICE))
    referral = make_referral(user=officer)
    chair = make_user(make_agency(AgencyKind.POLICE), Role.CHAIR)
    assert web(chair).post(f"/referrals/{referral.pk}/accept/", {}).status_code == 403
    assert web(officer).post(f"/referrals/{referral.pk}/decline/", {"reason": "x"}).status_code == 403
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SUBMITTED
