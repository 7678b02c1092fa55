"""Web matrix rows for requests that police consider an SPO: the form any participant
records one with (the `spo_request` row's create, read against the case)."""

from django.utils import timezone

from tests.permissions.matrix import case_facts
from tests.web.matrix import WebRoute
from tests.web.orders.helpers import date_input


def request_form(w):
    return {"requested_by_victim": "on", "note": "She asked at the last visit.",
            **date_input("requested_on", timezone.localdate())}


ROUTES = [
    WebRoute("spo-request-create", lambda w: f"/cases/{w.case.pk}/spo-requests/new/", parent_facts=case_facts),
    WebRoute("spo-request-create", lambda w: f"/cases/{w.case.pk}/spo-requests/new/", method="post",
             data=request_form, parent_facts=case_facts),
]
