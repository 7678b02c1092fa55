"""Meeting packs: the document (JSON) and its printed form (HTML -> PDF, WeasyPrint).

Request: a MeetingPack row (pending) is written first, then the task is dispatched
on commit, keyed by the row's id. The build is idempotent: it acts only on a pending
row and finishes it with a conditional UPDATE, and writes its files under names
derived from the row's id (overwriting a half-written earlier attempt).
"""

import hashlib
import json
import logging
from collections import defaultdict

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from marac.cases.models import ResearchContribution
from marac.jobs.services import enqueue_job, job_handler

from .models import (
    INCOMPLETE_ACTION_STATUSES,
    Action,
    ActionCarryOver,
    AgendaItem,
    Meeting,
    MeetingPack,
    PackStatus,
)
from .pack_sections import pack_sections

logger = logging.getLogger(__name__)

PACK_JOB = "meeting_pack"


def _action(action: Action) -> dict:
    return {"id": action.pk, "description": action.description, "owner_agency": action.owner_agency.name,
            "owner_agency_id": action.owner_agency_id, "due_date": action.due_date, "status": action.status,
            "agreed_at_meeting": action.meeting_id}


def pack_document(meeting: Meeting) -> dict:
    """Everything the pack says, without its build time. A constant number of queries
    whatever the number of cases. Research: shared with the MARAC only."""
    meeting = Meeting.objects.select_related("chair").get(pk=meeting.pk)
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("case__victim", "case__perpetrator"))
    case_ids = [item.case_id for item in items]
    research = defaultdict(list)
    for row in (ResearchContribution.objects.filter(case_id__in=case_ids, shared_with_marac=True)
                .select_related("agency").order_by("case_id", "agency__name", "created_at", "id")):
        research[row.case_id].append({"agency": row.agency.name, "summary": row.summary,
                                      "withheld_note": row.withheld_note})
    carried = defaultdict(list)
    carried_ids = set()
    for carry in (ActionCarryOver.objects.filter(meeting=meeting, action__case_id__in=case_ids)
                  .select_related("action__owner_agency").order_by("action__due_date", "action_id")):
        carried_ids.add(carry.action_id)
        carried[carry.action.case_id].append({**_action(carry.action), "carry_over_reason": carry.reason,
                                              "carry_over_note": carry.note})
    open_actions = defaultdict(list)
    for action in (Action.objects.filter(case_id__in=case_ids, status__in=INCOMPLETE_ACTION_STATUSES)
                   .exclude(pk__in=carried_ids).select_related("owner_agency").order_by("due_date", "id")):
        open_actions[action.case_id].append(_action(action))
    sections = {section.name: (section, section.provide(case_ids)) for section in pack_sections()}
    cases = []
    for item in items:
        case = item.case
        cases.append({
            "id": case.pk, "reference": case.reference, "position": item.position,
            "victim": f"{case.victim.first_name} {case.victim.last_name}",
            "perpetrator": f"{case.perpetrator.first_name} {case.perpetrator.last_name}",
            "children_in_household": case.children_in_household,
            "summary": case.summary, "risk_score": case.risk_score, "is_repeat": case.is_repeat,
            "stalking": case.stalking,
            "research": research[case.pk],
            "open_actions": open_actions[case.pk],
            "carried_over_actions": carried[case.pk],
            "sections": {name: {"title": section.title, **data[case.pk]}
                         for name, (section, data) in sections.items() if case.pk in data},
        })
    return {
        "cover": {
            "marac": settings.MARAC_NAME, "meeting": meeting.pk, "date": meeting.date,
            "chair": meeting.chair.get_full_name() or meeting.chair.username,
            "confidentiality_statement": meeting.confidentiality_statement
            or settings.MARAC_CONFIDENTIALITY_STATEMENT,
        },
        "agenda": [{"position": item.position, "case": item.case_id, "reference": item.case.reference}
                   for item in items],
        "cases": cases,
    }


def to_json(document: dict) -> str:
    return json.dumps(document, cls=DjangoJSONEncoder, sort_keys=True, indent=1)


def fingerprint(document: dict) -> str:
    return hashlib.sha256(to_json(document).encode()).hexdigest()


def render_pdf(document: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("meetings/pack.html", {"doc": document})
    return HTML(string=html).write_pdf()


@transaction.atomic
def request_pack(meeting: Meeting, *, by) -> tuple[MeetingPack, bool]:
    """Returns (pack, started). A build in flight is returned as is; a ready pack whose
    content is unchanged is returned as is; otherwise a new pending row is written and
    its build dispatched when this transaction commits."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    pending = meeting.packs.filter(status=PackStatus.PENDING).first()
    if pending is not None:
        return pending, False
    current = fingerprint(pack_document(meeting))
    latest = meeting.packs.filter(status=PackStatus.READY).first()
    if latest is not None and latest.fingerprint == current:
        return latest, False
    pack = MeetingPack.objects.create(meeting=meeting, requested_by=by, fingerprint=current)
    # A job row (marac.jobs) carries the build: sent to the broker on commit, re-sent by
    # the sweep if the broker was down or the worker died, its result committed once.
    enqueue_job(PACK_JOB, {"pack_id": pack.pk}, dedupe_key=f"{PACK_JOB}:{pack.pk}")
    return pack, True


def _store(name: str, content: bytes) -> str:
    if default_storage.exists(name):  # a previous attempt of the same job
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


@job_handler(PACK_JOB)
def build_pack_job(job) -> dict:
    return {"pack_id": job.payload["pack_id"], "status": build_pack(job.payload["pack_id"])}


def build_pack(pack_id: int) -> str | None:
    """Build the files of one pending pack job. Safe to run twice or concurrently:
    only a pending row is built and only a pending row is finished."""
    pack = MeetingPack.objects.filter(pk=pack_id).select_related("meeting").first()
    if pack is None or pack.status != PackStatus.PENDING:
        return pack.status if pack else None
    try:
        document = pack_document(pack.meeting)
        content_fingerprint = fingerprint(document)
        generated_at = timezone.now()
        document = {"pack": pack.pk, "generated_at": generated_at, **document}
        base = f"packs/meeting-{pack.meeting_id}/pack-{pack.pk}"
        json_name = _store(f"{base}.json", to_json(document).encode())
        pdf_name = _store(f"{base}.pdf", render_pdf(document))
    except Exception as exc:  # recorded on the job; the API reports it as failed
        logger.exception("Meeting pack %s failed", pack_id)
        MeetingPack.objects.filter(pk=pack_id, status=PackStatus.PENDING).update(
            status=PackStatus.FAILED, reason=f"{type(exc).__name__}: {exc}"[:1000])
        return PackStatus.FAILED
    MeetingPack.objects.filter(pk=pack_id, status=PackStatus.PENDING).update(
        status=PackStatus.READY, pdf=pdf_name, json=json_name, generated_at=generated_at,
        fingerprint=content_fingerprint)
    return PackStatus.READY
