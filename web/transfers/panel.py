"""The home page's transfers panel for coordinators: transfers waiting for the
caller's decision (transfer.decide: pending, to a MARAC they coordinate), a few rows
and their count in two queries, audited as views of the rows shown."""

from marac.transfers.models import CaseTransfer, TransferStatus
from web.slice import visible

PANEL_ROWS = 10


def incoming_transfers(view) -> tuple[list[CaseTransfer], int]:
    waiting = visible(view.actor, "transfer", CaseTransfer.objects.filter(status=TransferStatus.PENDING),
                      action="decide")
    rows = list(waiting.select_related("case", "from_marac", "to_marac").order_by("requested_at", "id")[:PANEL_ROWS])
    view.audit("view", rows, object_type="transfer")
    return rows, (len(rows) if len(rows) < PANEL_ROWS else waiting.count())
