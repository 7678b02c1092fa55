"""Meeting packs: the document (JSON) and its printed form (HTML -> PDF, WeasyPrint).

Request: a MeetingPack row (pending) is written first, then the task is dispatched
on commit, keyed by the row's id (with no broker, the embedded default, it is built
in the request, so the answer can say "ready"). The build is idempotent: it acts only on a pending
row and finishes it with a conditional UPDATE, and writes its files under names
derived from the row's id (overwriting a half-written earlier attempt).
"""

import hashlib
import json
import logging
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from marac.cases.models import Child, ResearchContribution
from marac.errors import DomainError
from marac.jobs.services import enqueue_job, job_handler, run_now_if_in_process
from marac.referrals.risk import risk_for_cases

from .models import (
    INCOMPLETE_ACTION_STATUSES,
    Action,
    ActionCarryOver,
    ActionStatus,
    AgendaItem,
    CarryOverReason,
    Meeting,
    MeetingPack,
    PackStatus,
)
from .pack_sections import pack_date, pack_datetime, pack_sections

logger = logging.getLogger(__name__)

PACK_JOB = "meeting_pack"


def _action(action: Action, today) -> dict:
    return {"id": action.pk, "description": action.description, "owner_agency": action.owner_agency.name,
            "owner_agency_id": action.owner_agency_id, "due_date": action.due_date, "status": action.status,
            "overdue": action.status in INCOMPLETE_ACTION_STATUSES and action.due_date < today,
            "agreed_at_meeting": action.meeting_id}


def _person(person) -> str:
    return f"{person.first_name} {person.last_name}"


def pack_document(meeting: Meeting) -> dict:
    """Everything the pack says, without its build time. A constant number of queries
    whatever the number of cases. Research: shared with the MARAC only. Actions are
    marked overdue as of today, so the content (and its fingerprint) changes the day
    an action falls overdue."""
    today = timezone.localdate()
    meeting = Meeting.objects.select_related("chair__membership__agency", "marac").get(pk=meeting.pk)
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
        carried[carry.action.case_id].append({**_action(carry.action, today), "carry_over_reason": carry.reason,
                                              "carry_over_note": carry.note})
    open_actions = defaultdict(list)
    for action in (Action.objects.filter(case_id__in=case_ids, status__in=INCOMPLETE_ACTION_STATUSES)
                   .exclude(pk__in=carried_ids).select_related("owner_agency").order_by("due_date", "id")):
        open_actions[action.case_id].append(_action(action, today))
    # The last earlier meeting each case was listed on: its previous MARAC.
    previous = dict(AgendaItem.objects.filter(case_id__in=case_ids, meeting__date__lt=meeting.date)
                    .values("case_id").annotate(last=Max("meeting__date")).values_list("case_id", "last"))
    # Children by first name and age on the meeting's date: what every agency receiving
    # the pack may see of them (dates of birth and schools stay on the case).
    children = defaultdict(list)
    for child in Child.objects.filter(case_id__in=case_ids).order_by("case_id", "id"):
        children[child.case_id].append({"first_name": child.first_name, "age": child.age_on(meeting.date)})
    risks = risk_for_cases(case_ids, {item.case_id: item.case.risk_score for item in items})
    sections = {section.name: (section, section.provide(case_ids)) for section in pack_sections()}
    cases = []
    for item in items:
        case = item.case
        cases.append({
            "id": case.pk, "reference": case.reference, "position": item.position,
            "victim": _person(case.victim), "perpetrator": _person(case.perpetrator),
            "children_in_household": case.children_in_household, "children": children[case.pk],
            "summary": case.summary, "risk_score": case.risk_score, "risk": risks[case.pk],
            "is_repeat": case.is_repeat, "previous_marac": previous.get(case.pk),
            "stalking": case.stalking,
            "research": research[case.pk],
            "open_actions": open_actions[case.pk],
            "carried_over_actions": carried[case.pk],
            "sections": {name: {"title": section.title, **data[case.pk]}
                         for name, (section, data) in sections.items() if case.pk in data},
        })
    chair = meeting.chair
    membership = getattr(chair, "membership", None)
    return {
        "cover": {
            "marac": meeting.marac.name, "meeting": meeting.pk, "date": meeting.date,
            "chair": chair.get_full_name() or chair.username,
            "chair_agency": membership.agency.name if membership else None,
            "confidentiality_statement": meeting.confidentiality_statement
            or settings.MARAC_CONFIDENTIALITY_STATEMENT,
            # Attendance once recorded (empty before the meeting).
            "agencies_present": list(meeting.agencies_present.order_by("name").values_list("name", flat=True)),
            "apologies": list(meeting.apologies.order_by("name").values_list("name", flat=True)),
        },
        "agenda": [{"position": item.position, "case": item.case_id, "reference": item.case.reference}
                   for item in items],
        "cases": cases,
    }


def to_json(document: dict) -> str:
    return json.dumps(document, cls=DjangoJSONEncoder, sort_keys=True, indent=1)


def fingerprint(document: dict) -> str:
    return hashlib.sha256(to_json(document).encode()).hexdigest()


RISK_LEVEL_LABELS = {"high": "High risk", "medium": "Medium risk", "standard": "Standard risk",
                     "not_graded": "Risk not graded"}
TOOL_LABELS = {"dash": "DASH", "sdash": "S-DASH"}
ACTION_STATUS_LABELS = dict(ActionStatus.choices)
CARRY_OVER_REASON_LABELS = dict(CarryOverReason.choices)


def _risk_line(risk: dict) -> str:
    level = RISK_LEVEL_LABELS.get(risk["level"], risk["level"])
    if risk["tool"] is None:
        return f"{level} (score {risk['score']}; no checklist recorded)"
    line = f"{level} ({TOOL_LABELS.get(risk['tool'], risk['tool'])} score {risk['score']}"
    line += "; professional judgement)" if risk["professional_judgement"] else ")"
    return line


def _printed_action(action: dict) -> dict:
    return {**action, "due": pack_date(action["due_date"]),
            "status_label": ACTION_STATUS_LABELS.get(action["status"], action["status"]),
            "reason_label": CARRY_OVER_REASON_LABELS.get(action.get("carry_over_reason") or "", "")}


def printable(document: dict) -> dict:
    """The document as the PDF prints it: human labels, one date format."""
    cover = document["cover"]
    cases = []
    for case in document["cases"]:
        risk = case["risk"]
        cases.append({
            **case,
            "risk_line": _risk_line(risk),
            "indicators": "; ".join(f"{a['number']}. {a['label']}" for a in risk["yes_answers"]),
            "previous": pack_date(case["previous_marac"]),
            "open_actions": [_printed_action(a) for a in case["open_actions"]],
            "carried_over_actions": [_printed_action(a) for a in case["carried_over_actions"]],
        })
    return {**document, "cases": cases, "date": pack_date(cover["date"]),
            "generated": pack_datetime(document.get("generated_at")),
            "short_fingerprint": (document.get("fingerprint") or "")[:16],
            "footer": _css_string(" ".join(cover["confidentiality_statement"].split()))}


def _css_string(text: str) -> str:
    """A quoted CSS string (the footer's `content`): anything but plain text escaped, so
    the statement cannot end the string or the style element."""
    safe = {" ", ".", ",", ";", ":", "-", "(", ")", "'"}
    return '"' + "".join(c if c.isalnum() and c.isascii() or c in safe else f"\\{ord(c):x} " for c in text) + '"'


# A Latin cut of DejaVu Sans, shipped with the pack: the same letters on every machine,
# and subset in milliseconds (fonts/LICENSE.txt). Other characters fall back to the
# system's sans-serif.
FONTS = Path(__file__).resolve().parent / "fonts"


def render_pdf(document: dict) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string("meetings/pack.html", {"doc": printable(document), "fonts": FONTS.as_uri()})
    return HTML(string=html).write_pdf(font_config=FontConfiguration())


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
    job = enqueue_job(PACK_JOB, {"pack_id": pack.pk}, dedupe_key=f"{PACK_JOB}:{pack.pk}")
    if run_now_if_in_process(job):
        pack.refresh_from_db()
    return pack, True


@transaction.atomic
def sign_off_pack(meeting: Meeting, *, by) -> MeetingPack:
    """The chair signs off the meeting's latest build, against its content fingerprint.
    Signing it again changes nothing; a later build (changed content) needs its own
    sign-off. Who may sign (the meeting's chair) is the policy's `pack.sign_off` row."""
    pack = MeetingPack.objects.select_for_update().filter(meeting=meeting).first()
    if pack is None:
        raise MeetingPack.DoesNotExist
    if pack.status != PackStatus.READY:
        state = "is still being built" if pack.status == PackStatus.PENDING else "failed; request a new build"
        raise DomainError({"pack": [f"The latest build of this pack {state}; sign off a ready pack."]})
    if not pack.signed:
        pack.signed_off_by, pack.signed_off_at, pack.signed_fingerprint = by, timezone.now(), pack.fingerprint
        pack.save(update_fields=["signed_off_by", "signed_off_at", "signed_fingerprint"])
    return pack


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
        document = {"pack": pack.pk, "generated_at": generated_at, "fingerprint": content_fingerprint, **document}
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
