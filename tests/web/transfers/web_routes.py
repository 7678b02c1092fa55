"""Web matrix rows for transfers (web/transfers). Statuses come from the policy rows
each view declares: transfer.view (the list, a transfer's page), transfer.decide
(accept, decline) and transfer.create read against the case (request). The world's
case is of the default MARAC (North); the transfer goes to another one, which no
caller of the web matrix serves (tests/permissions/test_matrix_transfers.py walks the
receiving side for the API)."""

from marac.maracs.models import Marac
from marac.transfers.models import CaseTransfer
from marac.transfers.services import request_transfer
from tests.factories import make_marac
from tests.permissions.matrix import case_facts
from tests.web.matrix import WebRoute


def receiving_marac(world):
    """Idempotent: the matrix rolls each route back, the signed-out walk does not."""
    if not Marac.objects.filter(pk=getattr(getattr(world, "south", None), "pk", None)).exists():
        world.south = make_marac()


def pending_transfer(world):
    receiving_marac(world)
    if not CaseTransfer.objects.filter(pk=getattr(getattr(world, "transfer", None), "pk", None)).exists():
        world.transfer = request_transfer(world.case, to_marac=world.south, reason="moved_permanently",
                                          by=world.other_user, note="Moved.")


def transfer_facts(world):
    return {"marac": world.serves_marac, "receiving_marac": False}


ROUTES = [
    WebRoute("transfer-list", lambda w: "/transfers/"),
    WebRoute("transfer-detail", lambda w: f"/transfers/{w.transfer.pk}/", obj_facts=transfer_facts,
             setup=pending_transfer),
    WebRoute("transfer-accept", lambda w: f"/transfers/{w.transfer.pk}/accept/", method="post",
             data=lambda w: {}, obj_facts=transfer_facts, setup=pending_transfer),
    WebRoute("transfer-decline", lambda w: f"/transfers/{w.transfer.pk}/decline/", method="post",
             data=lambda w: {"reason": "She moved back."}, obj_facts=transfer_facts, setup=pending_transfer),
    WebRoute("case-transfer-create", lambda w: f"/cases/{w.case.pk}/transfers/new/", parent_facts=case_facts,
             setup=receiving_marac),
    WebRoute("case-transfer-create", lambda w: f"/cases/{w.case.pk}/transfers/new/", method="post",
             data=lambda w: {"to_marac": w.south.pk, "reason": "moved_temporarily"}, parent_facts=case_facts,
             setup=receiving_marac),
]
