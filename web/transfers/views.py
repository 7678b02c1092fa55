"""Web pages of MARAC-to-MARAC transfers (issue 12): the list both MARACs see, a
transfer's page, "Request a transfer" from the case page, accept and decline. Each
row shows the sending MARAC's record or the receiving MARAC's summary as the policy
rows transfer.view_record / transfer.view_summary decide (web.slice.ids_allowed, as
the API's row-sliced serializers); the writes call marac/transfers/services.py."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from marac.cases.models import Case
from marac.errors import DomainError
from marac.maracs.models import Marac
from marac.meetings.models import Meeting, MeetingStatus
from marac.transfers.models import CaseTransfer, TransferStatus
from marac.transfers.services import (
    accept_transfer,
    attach_transfer_summaries,
    decline_transfer,
    request_transfer,
)
from web.forms import DomainFormMixin, add_domain_errors
from web.pagination import page_of
from web.slice import (
    SliceListMixin,
    SliceObjectMixin,
    SliceParentMixin,
    ids_allowed,
    may_on,
    visible,
)

from .forms import AcceptTransferForm, DeclineTransferForm, RequestTransferForm

SIDES = ("view_record", "view_summary", "decide")
STATUS_FILTERS = [("", "All"), *TransferStatus.choices]


def transfers():
    return CaseTransfer.objects.select_related("case__victim", "from_marac", "to_marac")


def with_sides(actor, rows: list[CaseTransfer]) -> list[CaseTransfer]:
    """Mark each row with what the caller sees of it (`record`, `summary`) and may do
    (`decidable`): one query for the page; the summary's figures read once per page."""
    allowed = ids_allowed(actor, "transfer", SIDES, CaseTransfer.objects.all(), rows)
    for row in rows:
        row.record = row.pk in allowed["view_record"]
        row.summary = row.pk in allowed["view_summary"]
        row.decidable = row.pk in allowed["decide"] and row.status == TransferStatus.PENDING
    attach_transfer_summaries([row for row in rows if row.summary])
    return rows


class TransferListView(SliceListMixin, TemplateView):
    """Transfers to and from the MARACs the caller coordinates or chairs, newest first,
    filtered by status, paginated."""

    template_name = "web/transfers/transfer_list.html"
    slice_target = "transfer"
    queryset = transfers()

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        rows = self.get_queryset().order_by("-requested_at", "-id")
        if status in TransferStatus.values:
            rows = rows.filter(status=status)
        else:
            status = ""
        page = page_of(self.request, rows)
        shown = with_sides(self.actor, list(page.object_list))
        self.audit_page(shown)
        return {**super().get_context_data(**kwargs), "transfers": shown, "page_obj": page, "status": status,
                "status_filters": STATUS_FILTERS, "query": f"status={status}" if status else ""}


class TransferDetailView(SliceObjectMixin, TemplateView):
    """One transfer: the sending MARAC's record or the receiving MARAC's summary, and
    for a coordinator of the receiving MARAC, accept and decline."""

    template_name = "web/transfers/transfer_detail.html"
    slice_target = "transfer"
    queryset = transfers()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **transfer_context(self, self.get_object())}


def receiving_meetings(view, transfer):
    """The receiving MARAC's meetings a case may be listed on (not closed, today on),
    through the caller's meeting slice as the API's accept body reads them."""
    return visible(view.actor, "meeting", Meeting.objects.filter(
        marac_id=transfer.to_marac_id, date__gte=timezone.localdate()).exclude(status=MeetingStatus.CLOSED)
    ).order_by("date", "id")


def transfer_context(view, transfer, **forms) -> dict:
    (transfer,) = with_sides(view.actor, [transfer])
    context = {"transfer": transfer,
               "case_url": None}
    if transfer.record and may_on(view.actor, "case", "view", transfer.case):
        context["case_url"] = reverse("web:case-detail", args=[transfer.case_id])
    if transfer.decidable:
        context["accept_form"] = forms.get("accept_form") or AcceptTransferForm(
            meetings=receiving_meetings(view, transfer))
        context["decline_form"] = forms.get("decline_form") or DeclineTransferForm()
    return context


class TransferDecisionView(SliceObjectMixin, TemplateView):
    """Accept or decline (transfer.decide: a coordinator of the receiving MARAC). A form
    with errors re-renders the transfer page with them, writing nothing."""

    template_name = "web/transfers/transfer_detail.html"
    slice_target = "transfer"
    slice_action = "decide"
    queryset = transfers()
    http_method_names = ("post",)

    def failed(self, transfer, form, form_name):
        self.rollback()
        return self.render_to_response({**transfer_context(self, transfer, **{form_name: form}), "form": form},
                                       status=400)


class TransferAcceptView(TransferDecisionView):
    def post(self, request, *args, **kwargs):
        transfer = self.get_object()
        form = AcceptTransferForm(request.POST, meetings=receiving_meetings(self, transfer))
        if form.is_valid():
            try:
                transfer = accept_transfer(transfer, by=request.user, meeting=form.cleaned_data["meeting"])
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                self.audit("update", transfer.case_id, object_type="case")
                messages.success(request, f"Case {transfer.case.reference} transferred to {transfer.to_marac.name}.")
                return redirect("web:transfer-detail", transfer.pk)
        return self.failed(transfer, form, "accept_form")


class TransferDeclineView(TransferDecisionView):
    def post(self, request, *args, **kwargs):
        transfer = self.get_object()
        form = DeclineTransferForm(request.POST)
        if form.is_valid():
            try:
                transfer = decline_transfer(transfer, by=request.user, reason=form.cleaned_data["reason"])
            except DomainError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, f"Transfer of case {transfer.case.reference} declined.")
                return redirect("web:transfer-detail", transfer.pk)
        return self.failed(transfer, form, "decline_form")


class TransferRequestView(DomainFormMixin, SliceParentMixin, FormView):
    """Request a transfer from the case page: a coordinator of the case's MARAC
    (transfer.create read against the case), as POST /cases/{id}/transfers/."""

    template_name = "web/transfers/transfer_request.html"
    slice_target = "transfer"
    slice_action = "create"
    parent_queryset = Case.objects.select_related("victim", "marac")
    audit_object_type = "transfer"
    form_class = RequestTransferForm

    def maracs(self):
        return Marac.objects.filter(is_active=True).exclude(pk=self.get_parent().marac_id).order_by("name")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "maracs": self.maracs()}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "case": self.get_parent()}

    def save(self, form):
        transfer = request_transfer(self.get_parent(), by=self.request.user, **form.cleaned_data)
        self.audit("create", transfer)
        return transfer

    def success_message_for(self, transfer) -> str:
        return f"Transfer of case {self.get_parent().reference} to {transfer.to_marac.name} requested."

    def success_url_for(self, transfer):
        return reverse("web:transfer-detail", args=[transfer.pk])
