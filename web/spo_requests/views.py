"""Requests that police consider a Stalking Protection Order (issue 14; the 2022
super-complaint): any participant of a case records one through the same service as
the API (record_spo_request, which tells the police participants at once); the case page
lists the requests the `spo_request` policy row lets the caller see, with the police's
answer (the order that names the request)."""

from django.urls import reverse
from django.views.generic import FormView

from marac.cases.models import Case
from marac.orders.services import record_spo_request
from web.cases.case_page import ORDER_STATUSES
from web.formats import long_date
from web.forms import DomainFormMixin
from web.links import row_url
from web.slice import SliceParentMixin

from .forms import SpoRequestForm


class SpoRequestCreateView(DomainFormMixin, SliceParentMixin, FormView):
    """A participant (typically the advocate, on the victim's behalf) records the request."""

    template_name = "web/spo_requests/spo_request_form.html"
    form_class = SpoRequestForm
    slice_target = "spo_request"
    slice_action = "create"
    parent_queryset = Case.objects.all()
    success_message = "Request recorded. The police on the case have been told."

    def save(self, form):
        request = record_spo_request(self.get_parent(), agency=self.request.user.membership.agency,
                                     by=self.request.user, **form.cleaned_data)
        self.audit("create", request)
        return request

    def success_url_for(self, request):
        return reverse("web:case-detail", args=[request.case_id]) + "#spo-requests"

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.get_parent(), **kwargs)


def spo_request_panel(case, requests: list[dict], creatable) -> dict:
    """The case page's "Requests for an SPO": REQUESTS, the case's requests the caller's
    `spo_request` view slice lets it see (rows of web.cases.case_page, the answering
    order's status and reason with each); whether the caller may record one; and, for
    police who may record an order, where to answer one. CREATABLE: the
    (target, "create") pairs the case page already read for the caller."""
    may_answer = ("order", "create") in creatable and any(r["answered_at"] is None for r in requests)
    answer_url, order_url = reverse("web:order-create", args=[case.pk]), row_url("order-detail")
    return {
        "spo_requests": [{**r, "requested": long_date(r["requested_on"]),
                          "order_url": order_url(r["order__pk"]) if r["order__pk"] else None,
                          "order_status": ORDER_STATUSES.get(r["order__status"], r["order__status"]),
                          "answer_url": f"{answer_url}?spo_request={r['pk']}"
                          if may_answer and r["answered_at"] is None else None} for r in requests],
        "spo_request_create_url": reverse("web:spo-request-create", args=[case.pk])
        if ("spo_request", "create") in creatable else None,
    }
