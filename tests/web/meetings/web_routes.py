"""Web matrix rows for the meetings area: meetings, agenda, minutes, actions agreed,
carry-over, the pack and the actions worklist (web-meetings)."""

from datetime import timedelta

from django.utils import timezone

from tests.permissions.matrix import SERVING_ROLES, permits
from tests.web.matrix import WebRoute
from tests.web.meetings.world import add_meetings, case_facts, meeting_facts, other_action_facts, own_action_facts


def due(days=30):
    day = timezone.localdate() + timedelta(days=days)
    return {"due_date_0": day.day, "due_date_1": day.month, "due_date_2": day.year}


def meeting_url(suffix=""):
    return lambda w: f"/meetings/{w.meeting.pk}/{suffix}"


def meeting_create_status(w):
    """A coordinator schedules a meeting (302); one serving another MARAC than this
    world's chair serves is told so by the form (200, nothing written)."""
    if not permits("meeting", "create", w.role, w.kind, {"marac": w.role in SERVING_ROLES}):
        return 403
    return 200 if w.other_marac is not None else 302


ROUTES = [
    WebRoute("meeting-list", lambda w: "/meetings/", setup=add_meetings),
    WebRoute("meeting-create", lambda w: "/meetings/new/", setup=add_meetings),
    WebRoute("meeting-create", lambda w: "/meetings/new/", method="post", setup=add_meetings,
             expected=meeting_create_status, data=lambda w: {**{k.replace("due_date", "date"): v for k, v in due().items()}, "chair": w.chair_user.pk}),
    WebRoute("meeting-detail", meeting_url(), setup=add_meetings, obj_facts=meeting_facts),
    WebRoute("meeting-minutes", meeting_url("minutes/"), setup=add_meetings, obj_facts=meeting_facts),
    WebRoute("meeting-minutes", meeting_url("minutes/"), method="post", setup=add_meetings, obj_facts=meeting_facts,
             data=lambda w: {"minutes": "Information shared.", "agencies_present": [w.other.pk]}),
    WebRoute("meeting-status", meeting_url("status/?status=held"), setup=add_meetings, obj_facts=meeting_facts),
    WebRoute("meeting-status", meeting_url("status/"), method="post", setup=add_meetings, obj_facts=meeting_facts,
             data=lambda w: {"status": "held"}),
    WebRoute("meeting-agenda-add", meeting_url("agenda/add/"), setup=add_meetings, parent_facts=meeting_facts),
    WebRoute("meeting-agenda-add", meeting_url("agenda/add/"), method="post", setup=add_meetings,
             parent_facts=meeting_facts, data=lambda w: {"reference": w.extra_case.reference}),
    WebRoute("meeting-case-minutes", lambda w: f"/meetings/{w.meeting.pk}/agenda/{w.item.pk}/minutes/",
             setup=add_meetings, obj_facts=case_facts),
    WebRoute("meeting-case-minutes", lambda w: f"/meetings/{w.meeting.pk}/agenda/{w.item.pk}/minutes/",
             method="post", setup=add_meetings, obj_facts=case_facts, data=lambda w: {"minutes": "Flag the address."}),
    WebRoute("meeting-action-create", meeting_url("actions/new/"), setup=add_meetings, obj_facts=meeting_facts),
    WebRoute("meeting-action-create", meeting_url("actions/new/"), method="post", setup=add_meetings,
             obj_facts=meeting_facts, parent_facts=case_facts,
             data=lambda w: {"case": w.case.pk, "description": "Refer to MASIP.", "owner_agency": w.other.pk,
                             **due()}),
    WebRoute("meeting-pack", meeting_url("pack/"), setup=add_meetings, obj_facts=meeting_facts),
    WebRoute("meeting-pack-generate", meeting_url("pack/generate/"), method="post", setup=add_meetings,
             obj_facts=meeting_facts),
    WebRoute("meeting-pack-sign-off", meeting_url("pack/sign-off/"), method="post", setup=add_meetings,
             obj_facts=meeting_facts),
    WebRoute("meeting-pack-pdf", meeting_url("pack/pdf/"), setup=add_meetings, obj_facts=meeting_facts),
    WebRoute("meeting-pack-json", meeting_url("pack/json/"), setup=add_meetings, obj_facts=meeting_facts),
    WebRoute("action-list", lambda w: "/actions/", setup=add_meetings),
    WebRoute("action-detail", lambda w: f"/actions/{w.other_action.pk}/", setup=add_meetings,
             obj_facts=other_action_facts),
    WebRoute("action-update", lambda w: f"/actions/{w.other_action.pk}/update/", method="post", setup=add_meetings,
             obj_facts=other_action_facts, data=lambda w: {"status": "in_progress", "update": "Started."}),
    WebRoute("action-update", lambda w: f"/actions/{w.own_action.pk}/update/", method="post", setup=add_meetings,
             obj_facts=own_action_facts, data=lambda w: {"status": "done", "update": "Done."}),
    WebRoute("action-carry-over", lambda w: f"/actions/{w.other_action.pk}/carry-over/", method="post",
             setup=add_meetings, obj_facts=other_action_facts,
             data=lambda w: {"meeting": w.later.pk, "reason": "circumstances_changed"}),
]
