from django.db import transaction
from django.db.models import Max

from marac.errors import DomainError

from .models import AgendaItem, Meeting, MeetingStatus


@transaction.atomic
def add_to_agenda(meeting: Meeting, case) -> AgendaItem:
    """List a case on a meeting's agenda; listing it twice returns the existing item."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CLOSED:
        raise DomainError({"meeting": ["This meeting is closed; cases cannot be added to it."]})
    existing = AgendaItem.objects.filter(meeting=meeting, case=case).first()
    if existing:
        return existing
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
    return AgendaItem.objects.create(meeting=meeting, case=case, position=(last or 0) + 1)
