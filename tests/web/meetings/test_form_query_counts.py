"""The meetings area's form pages and the pack page read a pinned number of queries,
whatever the meeting lists (cases on its agenda, packs built before)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.meetings.models import MeetingPack
from marac.meetings.services import add_to_agenda
from tests.factories import CaseFactory
from tests.meetings.helpers import make_chair, make_coordinator, make_meeting
from tests.web.query_pins import assert_pinned

pytestmark = pytest.mark.django_db

# Session and user, membership, the slice (the meeting or item, the row's grant), the
# form's choices (one query per select), the pack's latest build, the audit INSERT.
PINS = {"meeting-create": 4, "meeting-minutes": 11, "meeting-status": 5, "meeting-agenda-add": 4,
        "meeting-case-minutes": 5, "meeting-action-create": 6, "meeting-pack": 8}


def test_meeting_form_pages_and_the_pack_page_read_a_pinned_number_of_queries(web):
    coordinator, chair = make_coordinator(), make_chair()
    meeting = make_meeting(on=timezone.localdate() + timedelta(days=7), chair=chair, coordinator=coordinator,
                           cases=[CaseFactory()])
    item = meeting.agenda_items.get()
    MeetingPack.objects.create(meeting=meeting, requested_by=chair, status="ready", fingerprint="f",
                               generated_at=timezone.now())
    client = web(coordinator)
    pages = {
        "meeting-create": (client, "/meetings/new/"),
        "meeting-minutes": (client, f"/meetings/{meeting.pk}/minutes/"),
        "meeting-status": (client, f"/meetings/{meeting.pk}/status/"),
        "meeting-agenda-add": (client, f"/meetings/{meeting.pk}/agenda/add/"),
        "meeting-case-minutes": (client, f"/meetings/{meeting.pk}/agenda/{item.pk}/minutes/"),
        "meeting-action-create": (client, f"/meetings/{meeting.pk}/actions/new/"),
        "meeting-pack": (web(chair), f"/meetings/{meeting.pk}/pack/"),
    }

    def grow():
        for _ in range(4):
            add_to_agenda(meeting, CaseFactory())
            CaseFactory()
            MeetingPack.objects.create(meeting=meeting, requested_by=chair, status="ready", fingerprint="f",
                                       generated_at=timezone.now())

    assert_pinned(pages, PINS, grow)
