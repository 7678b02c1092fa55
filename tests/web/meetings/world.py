"""The meetings area's world for web tests: the platform world (tests/permissions/matrix)
plus a past meeting listing the case (its chair is the caller when a chair is inside),
a later one the other agency's action carried into, a ready pack with its files, and
actions owned by another agency and by the caller's."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from marac.agencies.models import Role
from marac.meetings.models import ActionCarryOver, MeetingPack
from tests.factories import CaseFactory
from tests.meetings.helpers import ActionFactory, make_chair, make_meeting


def add_meetings(w):
    today = timezone.localdate()
    chairing = w.role == Role.CHAIR and w.inside
    w.meeting = make_meeting(on=today - timedelta(days=7), cases=[w.case], chair=w.actor if chairing else None)
    w.later = make_meeting(on=today + timedelta(days=21), cases=[w.case])
    w.item = w.meeting.agenda_items.get()
    w.extra_case = CaseFactory()
    w.chair_user = make_chair()
    w.other_action = ActionFactory(case=w.case, meeting=w.meeting, owner_agency=w.other)
    w.own_action = ActionFactory(case=w.case, meeting=w.meeting, owner_agency=w.agency or w.other)
    ActionCarryOver.objects.create(action=w.other_action, meeting=w.later)
    pack = MeetingPack.objects.create(meeting=w.meeting, requested_by=w.chair_user, status="ready",
                                      fingerprint="stale", generated_at=timezone.now())
    pack.pdf.name = default_storage.save(f"packs/m{w.meeting.pk}.pdf", ContentFile(b"%PDF-1.7 test"))
    pack.json.name = default_storage.save(f"packs/m{w.meeting.pk}.json", ContentFile(b"{}"))
    pack.save()
    w.pack = pack
    return w


def meeting_facts(w):
    return {"participant": w.inside, "chairing": w.meeting.chair_id == w.actor.pk}


def case_facts(w):
    return {"participant": w.inside}


def other_action_facts(w):
    return {"participant": w.inside, "own_agency": False}


def own_action_facts(w):
    return {"participant": w.inside, "own_agency": w.agency is not None}
