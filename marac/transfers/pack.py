"""The pack section of a transferred case: "Transferred from X on <date>" and the
previous MARAC's minutes extract for this case (SafeLives: make clear on the agenda
where the case came from, and pass on previous minutes and action plans): each of its
meetings that listed the case, with attendance, the case's own minutes at that meeting
(`AgendaItem.minutes`) and the actions agreed for this case. Nothing of the other cases
on those meetings, and not the meeting-wide minutes (they speak of every case)."""

from collections import defaultdict

from django.db.models import F
from django.utils import timezone

from marac.meetings.models import Action, ActionStatus, AgendaItem
from marac.meetings.pack_sections import pack_date

from .models import CaseTransfer, TransferStatus

ACTION_STATUS_LABELS = dict(ActionStatus.choices)


def latest_transfers_in(case_ids) -> dict[int, CaseTransfer]:
    """Each case's latest accepted transfer into the MARAC it is now with."""
    latest: dict[int, CaseTransfer] = {}
    for transfer in (CaseTransfer.objects.filter(case_id__in=list(case_ids), status=TransferStatus.ACCEPTED,
                                                 to_marac=F("case__marac"))
                     .select_related("from_marac").order_by("case_id", "-decided_at", "-id")):
        latest.setdefault(transfer.case_id, transfer)
    return latest


def transferred_from_pack_section(case_ids: list[int]) -> dict[int, dict]:
    transfers = latest_transfers_in(case_ids)
    if not transfers:
        return {}
    items = list(AgendaItem.objects.filter(case_id__in=list(transfers), meeting__marac_id__in={
        t.from_marac_id for t in transfers.values()}).select_related("meeting")
        .prefetch_related("meeting__agencies_present").order_by("case_id", "meeting__date", "meeting_id"))
    meetings_of = defaultdict(list)
    minutes_of = {}
    for item in items:
        transfer = transfers[item.case_id]
        if item.meeting.marac_id == transfer.from_marac_id and item.added_at <= transfer.decided_at:
            meetings_of[item.case_id].append(item.meeting)
            minutes_of[(item.case_id, item.meeting_id)] = item.minutes
    actions_of = defaultdict(list)
    meeting_ids = {meeting.pk for meetings in meetings_of.values() for meeting in meetings}
    for action in (Action.objects.filter(case_id__in=list(transfers), meeting_id__in=meeting_ids)
                   .select_related("owner_agency").order_by("due_date", "id")):
        actions_of[(action.case_id, action.meeting_id)].append(action)
    sections = {}
    for case_id, transfer in transfers.items():
        extract = []
        for meeting in meetings_of[case_id]:
            extract.append({
                "meeting_date": meeting.date, "status": meeting.status,
                "agencies_present": sorted(agency.name for agency in meeting.agencies_present.all()),
                "case_minutes": minutes_of[(case_id, meeting.pk)],
                "actions": [{"description": a.description, "owner_agency": a.owner_agency.name,
                             "due_date": a.due_date, "status": a.status}
                            for a in actions_of[(case_id, meeting.pk)]],
            })
        lines = [f"Transferred from {transfer.from_marac.name} on {pack_date(transfer.decided_at)}."]
        for entry in extract:
            present = ", ".join(entry["agencies_present"]) or "attendance not recorded"
            lines.append(f"{transfer.from_marac.name}, meeting of {pack_date(entry['meeting_date'])} "
                         f"(present: {present}).")
            if entry["case_minutes"]:
                lines.append(f"Minutes for this case: {entry['case_minutes']}")
            lines += [f"Action agreed: {a['description']} ({a['owner_agency']}, due {pack_date(a['due_date'])}; "
                      f"{ACTION_STATUS_LABELS.get(a['status'], a['status']).lower()})" for a in entry["actions"]]
            if not entry["actions"]:
                lines.append("No actions agreed for this case at that meeting.")
        sections[case_id] = {"lines": lines, "from_marac": transfer.from_marac.name,
                             "transferred_on": timezone.localdate(transfer.decided_at),
                             "previous_minutes": extract}
    return sections
