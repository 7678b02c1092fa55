"""The chair signs the meeting pack off: only the meeting's own chair (other chairs and
coordinators 403, agencies 404), against the pack's content fingerprint; a later change
of content is a new build that needs a new sign-off, and the files served are that build."""

import pytest
from django.utils import timezone

from marac.agencies.models import AgencyKind
from marac.meetings.models import MeetingPack
from tests.factories import CaseFactory, ResearchFactory, make_agency, make_user
from tests.meetings.helpers import make_chair, make_coordinator, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(api, django_capture_on_commit_callbacks):
    police = make_agency(AgencyKind.POLICE)
    case = CaseFactory(participants=[police])
    ResearchFactory(case=case, agency=police, shared_with_marac=True, summary="Known to police.")
    meeting = make_meeting(cases=[case])
    with django_capture_on_commit_callbacks(execute=True):
        assert api(meeting.chair).post(f"/api/v1/meetings/{meeting.pk}/pack/").status_code == 200
    return police, case, meeting


def sign_off(client, meeting):
    return client.post(f"/api/v1/meetings/{meeting.pk}/pack/sign-off/")


def test_the_meetings_chair_signs_the_pack_off_against_its_content_fingerprint(api, world):
    *_, meeting = world
    client = api(meeting.chair)
    before = client.get(f"/api/v1/meetings/{meeting.pk}/pack/").json()
    assert (before["signed"], before["signed_off_by"], before["signed_off_at"]) == (False, None, None)

    response = sign_off(client, meeting)
    assert response.status_code == 200
    body = response.json()
    assert body["signed"] is True and body["signed_off_by"] == meeting.chair.pk and body["signed_off_at"]
    pack = MeetingPack.objects.get()
    assert pack.signed_fingerprint == pack.fingerprint == body["fingerprint"]
    assert client.get(f"/api/v1/meetings/{meeting.pk}/pack/").json()["signed"] is True


def test_only_the_chair_of_this_meeting_signs_off(api, world):
    police, case, meeting = world
    for user, expected in ((make_chair(), 403), (make_coordinator(), 403), (make_user(police), 404),
                           (make_user(make_agency(AgencyKind.HOUSING)), 404)):
        assert sign_off(api(user), meeting).status_code == expected, user.membership.role
    assert api().post(f"/api/v1/meetings/{meeting.pk}/pack/sign-off/").status_code == 401
    assert not MeetingPack.objects.get().signed


def test_a_change_to_the_packs_content_needs_a_new_sign_off(api, world, django_capture_on_commit_callbacks):
    police, case, meeting = world
    client = api(meeting.chair)
    first = sign_off(client, meeting).json()

    ResearchFactory(case=case, agency=police, shared_with_marac=True, summary="New: perpetrator released.")
    with django_capture_on_commit_callbacks(execute=True):
        rebuilt = client.post(f"/api/v1/meetings/{meeting.pk}/pack/").json()
    assert rebuilt["id"] != first["id"] and rebuilt["fingerprint"] != first["fingerprint"]
    assert rebuilt["signed"] is False
    assert client.get(f"/api/v1/meetings/{meeting.pk}/pack/").json()["signed"] is False

    again = sign_off(client, meeting).json()
    assert again["id"] == rebuilt["id"] and again["signed"] is True
    # The files served are the build that was signed.
    pdf = client.get(f"/api/v1/meetings/{meeting.pk}/pack/pdf/")
    assert f"pack-{again['id']}.pdf" in pdf["Content-Disposition"]


def test_signing_again_keeps_the_first_sign_off(api, world):
    *_, meeting = world
    client = api(meeting.chair)
    first = sign_off(client, meeting).json()
    assert sign_off(client, meeting).json()["signed_off_at"] == first["signed_off_at"]


def test_a_pack_still_being_built_cannot_be_signed_off(api, world, django_capture_on_commit_callbacks):
    police, case, meeting = world
    MeetingPack.objects.create(meeting=meeting, requested_by=meeting.chair, fingerprint="x")
    response = sign_off(api(meeting.chair), meeting)
    assert response.status_code == 400 and "pack" in response.json()
    assert not MeetingPack.objects.filter(signed_off_at__isnull=False).exists()


def test_no_pack_to_sign_off_is_404(api):
    meeting = make_meeting(on=timezone.localdate())
    assert sign_off(api(meeting.chair), meeting).status_code == 404
