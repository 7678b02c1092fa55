"""Stalking Protection Orders for people: record an order and move it through its
lifecycle, its prohibitions, positive requirements (the responsible agency's page) and
breaches with the police's response.

Each view declares its slice target and action (web.slice decides 404/403 and audits as
the API does); each write calls the same marac.orders.services function as the API, and
the Act's rules come back from it as messages beside the fields."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from marac.cases.models import Case
from marac.errors import DomainError
from marac.orders.models import (
    Breach,
    ComplianceEvent,
    NotifiableChange,
    Order,
    OrderKind,
    OrderStatus,
    Requirement,
    RequirementStatus,
    SpoRequest,
)
from marac.orders.services import (
    add_requirement,
    allowed_transitions,
    create_order,
    record_compliance_event,
    record_notifiable_change,
    report_breach,
    respond_to_breach,
    update_notifiable_change,
    update_order,
    update_requirement,
)
from web.forms import DomainFormMixin
from web.slice import (
    SliceListMixin,
    SliceObjectMixin,
    SliceParentMixin,
    actor_of,
    may,
    may_on,
    may_on_parent,
    visible,
)

from .forms import (
    NOTIFIABLE_CHANGE_LABELS,
    BreachForm,
    BreachResponseForm,
    ComplianceEventForm,
    NotifiableChangeForm,
    NotifiedForm,
    OrderCreateForm,
    OrderDetailsForm,
    OrderStatusForm,
    ProhibitionForm,
    RequirementForm,
    RequirementUpdateForm,
)

PAGE_SIZE = 50


def area_tabs(request, current: str) -> list[dict]:
    """The orders area's sub navigation (MoJ pattern): each tab shown when the caller's
    role and agency kind hold a grant of its policy row."""
    actor = actor_of(request)
    tabs = [("Orders", "web:order-list", "order"), ("Requirements", "web:requirement-list", "requirement"),
            ("Support plans", "web:support-plan-list", "support_plan")]
    return [{"label": label, "href": reverse(name), "current": name == current}
            for label, name, target in tabs if may(actor, target, "view")]


def permitted_pks(actor, target: str, action: str, rows) -> set:
    """Which of a page's rows the policy lets the caller ACTION (e.g. see a requirement's
    notes): one query for the page, through the slice, whatever the number of rows."""
    if not rows:
        return set()
    model = type(rows[0])
    return set(visible(actor, target, model.objects.filter(pk__in=[row.pk for row in rows]), action)
               .values_list("pk", flat=True))


def _order_queryset():
    return Order.objects.select_related("case", "agency", "defendant", "main_order")


def _membership_agency(request):
    return request.user.membership.agency


# Orders -------------------------------------------------------------------------------------


class OrderListView(SliceListMixin, TemplateView):
    """Every order in the caller's slice, newest first, filterable by status."""

    template_name = "web/orders/order_list.html"
    slice_target = "order"
    queryset = Order.objects.select_related("case", "agency")

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        orders = self.get_queryset()
        if status in OrderStatus.values:
            orders = orders.filter(status=status)
        page = Paginator(orders, PAGE_SIZE).get_page(self.request.GET.get("page"))
        self.audit_page(page.object_list)
        return super().get_context_data(page=page, orders=page.object_list, status=status,
                                        statuses=OrderStatus.choices, tabs=area_tabs(self.request, "web:order-list"),
                                        **kwargs)


class OrderCreateView(DomainFormMixin, SliceParentMixin, FormView):
    """Police on the case record an order (considering, declined, applied, or granted)."""

    template_name = "web/orders/order_form.html"
    form_class = OrderCreateForm
    slice_target = "order"
    slice_action = "create"
    parent_queryset = Case.objects.select_related("perpetrator")
    parent_url_kwarg = "case_pk"
    success_message = "Order recorded."

    def get_form_kwargs(self):
        case = self.get_parent()
        main_orders = visible(self.actor, "order", Order.objects.filter(case=case, kind=OrderKind.FULL))
        # The requests this order may answer: the case's unanswered ones the caller sees.
        spo_requests = visible(self.actor, "spo_request", case.spo_requests.filter(
            answered_at__isnull=True).select_related("agency").order_by("requested_on", "id"))
        return {**super().get_form_kwargs(), "case": case, "main_orders": main_orders, "spo_requests": spo_requests}

    def get_initial(self):
        """The case page's "Answer with an order" link names the request it answers."""
        return {**super().get_initial(), "spo_request": self.request.GET.get("spo_request") or None}

    def save(self, form):
        order = create_order(case=self.get_parent(), agency=_membership_agency(self.request), by=self.request.user,
                             **form.new_order_fields())
        self.audit("create", order)
        return order

    def success_url_for(self, order):
        return reverse("web:order-detail", args=[order.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.get_parent(), **kwargs)


class OrderDetailView(SliceObjectMixin, TemplateView):
    """The order page: its status and dates, prohibitions, positive requirements (notes
    and compliance only on the rows the policy's view_notes allows), breaches and the
    police responses, and what the caller may do next."""

    template_name = "web/orders/order_detail.html"
    slice_target = "order"
    queryset = _order_queryset()

    def get_context_data(self, **kwargs):
        order = self.get_object()
        actor = self.actor
        events = Prefetch("events", queryset=ComplianceEvent.objects.order_by("occurred_on", "id"))
        requirements = list(visible(actor, "requirement", order.requirements.select_related("responsible_agency")
                                    .prefetch_related(events)).order_by("due_date", "id"))
        breaches = list(visible(actor, "breach", order.breaches.select_related("reporting_agency", "requirement")))
        with_notes = permitted_pks(actor, "requirement", "view_notes", requirements)
        may_respond = permitted_pks(actor, "breach", "change", breaches)
        for requirement in requirements:
            requirement.show_notes = requirement.pk in with_notes
        for breach in breaches:
            breach.may_respond = breach.pk in may_respond
        self.audit("view", requirements, "requirement")
        self.audit("view", breaches, "breach")
        return super().get_context_data(
            order=order, requirements=requirements, breaches=breaches,
            may_change=may_on(actor, "order", "change", order),
            may_add_requirement=may_on_parent(actor, "requirement", "create", order),
            may_report_breach=may_on_parent(actor, "breach", "create", order),
            next_statuses=allowed_transitions(order.status), **self.notifiable_changes(order), **kwargs)

    def notifiable_changes(self, order) -> dict:
        """The defendant's new names and addresses (s.9(3)-(4)): police on the case only
        (policy rows notifiable_change.*), each with whether it was notified in time."""
        actor = self.actor
        if not may_on_parent(actor, "notifiable_change", "view", order):
            return {"show_changes": False}
        changes = list(visible(actor, "notifiable_change", order.notifiable_changes.select_related("recorded_by")))
        may_record_notified = permitted_pks(actor, "notifiable_change", "change", changes)
        today = timezone.localdate()
        for change in changes:
            change.label = NOTIFIABLE_CHANGE_LABELS.get(change.kind, change.kind)
            change.state = change.notification_state(today)
            change.may_change = change.pk in may_record_notified
        self.audit("view", changes, "notifiable_change")
        return {"show_changes": True, "notifiable_changes": changes,
                "may_record_change": may_on_parent(actor, "notifiable_change", "create", order)}


class OrderChangeMixin(DomainFormMixin, SliceObjectMixin):
    slice_target = "order"
    slice_action = "change"
    queryset = _order_queryset()

    def success_url_for(self, order):
        return reverse("web:order-detail", args=[order.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(order=self.get_object(), **kwargs)


class OrderEditView(OrderChangeMixin, FormView):
    """The holding force records what has happened (service, notification) or corrects a date."""

    template_name = "web/orders/order_edit.html"
    form_class = OrderDetailsForm
    success_message = "Order updated."

    def get_initial(self):
        order = self.get_object()
        return {name: getattr(order, name) for name in OrderDetailsForm.base_fields}

    def get_form_kwargs(self):
        """An order recorded before the request it answers is linked to it here (PATCH
        /orders/{id}/ {spo_request}); once linked, never again."""
        order = self.get_object()
        awaiting = None if order.spo_request_id else visible(
            self.actor, "spo_request", SpoRequest.objects.filter(case=order.case_id, answered_at__isnull=True)
        ).select_related("agency").order_by("requested_on", "id")
        return {**super().get_form_kwargs(), "spo_requests": awaiting}

    def save(self, form):
        return update_order(self.get_object(), by=self.request.user, agency=_membership_agency(self.request),
                            **form.changed_values())


class OrderStatusView(OrderChangeMixin, FormView):
    """Move the order on along the transitions the domain allows."""

    template_name = "web/orders/order_status.html"
    form_class = OrderStatusForm
    success_message = "Status changed."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "order": self.get_object()}

    def save(self, form):
        return update_order(self.get_object(), by=self.request.user, agency=_membership_agency(self.request),
                            **form.changes())


class ProhibitionAddView(OrderChangeMixin, FormView):
    """A term added to a granted order is a variation, kept in its history."""

    template_name = "web/orders/prohibition_form.html"
    form_class = ProhibitionForm
    domain_field_map = {"prohibitions": "text"}
    success_message = "Prohibition added."

    def save(self, form):
        order = self.get_object()
        term = {"text": form.cleaned_data["text"], "locality": form.cleaned_data["locality"],
                "ends_on": form.cleaned_data["ends_on"]}
        return update_order(order, by=self.request.user, agency=_membership_agency(self.request),
                            prohibitions=[*order.prohibitions, term])


class ProhibitionRemoveView(OrderChangeMixin, TemplateView):
    """Remove one term (GET asks to confirm; POST removes it)."""

    template_name = "web/orders/prohibition_remove.html"

    def term(self):
        order, index = self.get_object(), self.kwargs["index"]
        if index >= len(order.prohibitions):
            raise Http404
        return order.prohibitions[index]

    def get_context_data(self, **kwargs):
        return super().get_context_data(term=self.term(), **kwargs)

    def post(self, request, *args, **kwargs):
        order, index = self.get_object(), self.kwargs["index"]
        self.term()
        remaining = [term for i, term in enumerate(order.prohibitions) if i != index]
        try:
            update_order(order, by=request.user, agency=_membership_agency(request), prohibitions=remaining)
        except DomainError as error:
            self.rollback()
            return self.render_to_response(self.get_context_data(errors=error.messages))
        messages.success(request, "Prohibition removed.")
        return HttpResponseRedirect(self.success_url_for(order))


class OrderHistoryView(SliceObjectMixin, TemplateView):
    """Every change to the order (who, when, what; variations and renewals marked), as a timeline."""

    template_name = "web/orders/order_history.html"
    slice_target = "order"
    queryset = _order_queryset()

    def get_context_data(self, **kwargs):
        order = self.get_object()
        changes = list(order.changes.select_related("by", "agency").order_by("-at", "-id"))
        return super().get_context_data(order=order, changes=changes, **kwargs)


# Requests for an SPO ----------------------------------------------------------------------


# Notifiable changes (s.9(3)-(4)) ------------------------------------------------------------


class NotifiableChangeCreateView(DomainFormMixin, SliceParentMixin, FormView):
    """Police on the case record a new name or home address of the defendant, to be
    notified within 3 days beginning with the change."""

    template_name = "web/orders/notifiable_change_form.html"
    form_class = NotifiableChangeForm
    slice_target = "notifiable_change"
    slice_action = "create"
    parent_queryset = _order_queryset()
    parent_url_kwarg = "order_pk"
    success_message = "Change recorded."

    def save(self, form):
        change = record_notifiable_change(self.get_parent(), by=self.request.user, **form.cleaned_data)
        self.audit("create", change)
        return change

    def success_url_for(self, change):
        return reverse("web:order-detail", args=[change.order_id]) + "#notifiable-changes"

    def get_context_data(self, **kwargs):
        return super().get_context_data(order=self.get_parent(), **kwargs)


class NotifiableChangeEditView(DomainFormMixin, SliceObjectMixin, FormView):
    """The defendant notified police after the change was recorded: police record the
    day (the API's PATCH .../notifications/{id}/)."""

    template_name = "web/orders/notifiable_change_edit.html"
    form_class = NotifiedForm
    slice_target = "notifiable_change"
    slice_action = "change"
    queryset = NotifiableChange.objects.select_related("order__case", "recorded_by")
    success_message = "Change updated."

    def get_initial(self):
        change = self.get_object()
        return {"notified_on": change.notified_on, "details": change.details}

    def save(self, form):
        return update_notifiable_change(self.get_object(), by=self.request.user, **form.cleaned_data)

    def success_url_for(self, change):
        return reverse("web:order-detail", args=[change.order_id]) + "#notifiable-changes"

    def get_context_data(self, **kwargs):
        change = self.get_object()
        change.label = NOTIFIABLE_CHANGE_LABELS.get(change.kind, change.kind)
        return super().get_context_data(change=change, order=change.order, **kwargs)


# Positive requirements --------------------------------------------------------------------


class RequirementCreateView(DomainFormMixin, SliceParentMixin, FormView):
    """Police on the case add a positive requirement; its responsible agency is told."""

    template_name = "web/orders/requirement_form.html"
    form_class = RequirementForm
    slice_target = "requirement"
    slice_action = "create"
    parent_queryset = _order_queryset()
    parent_url_kwarg = "order_pk"
    domain_field_map = {"order": "kind"}
    success_message = "Requirement added. The responsible agency has been told."

    def save(self, form):
        requirement = add_requirement(self.get_parent(), by=self.request.user, **form.cleaned_data)
        self.audit("create", requirement)
        return requirement

    def success_url_for(self, requirement):
        return reverse("web:order-detail", args=[requirement.order_id])

    def get_context_data(self, **kwargs):
        return super().get_context_data(order=self.get_parent(), **kwargs)


class RequirementListView(SliceListMixin, TemplateView):
    """The requirements in the caller's slice: for a responsible agency, its worklist.
    No notes here, and nothing of the case."""

    template_name = "web/orders/requirement_list.html"
    slice_target = "requirement"
    queryset = Requirement.objects.select_related("order", "responsible_agency")

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        requirements = self.get_queryset().order_by("due_date", "id")
        if status in RequirementStatus.values:
            requirements = requirements.filter(status=status)
        page = Paginator(requirements, PAGE_SIZE).get_page(self.request.GET.get("page"))
        self.audit_page(page.object_list)
        return super().get_context_data(page=page, requirements=page.object_list, status=status,
                                        statuses=RequirementStatus.choices,
                                        tabs=area_tabs(self.request, "web:requirement-list"), **kwargs)


def _requirement_queryset():
    return Requirement.objects.select_related("order__defendant", "responsible_agency").prefetch_related(
        Prefetch("events", queryset=ComplianceEvent.objects.select_related("recorded_by").order_by("occurred_on",
                                                                                                     "id")))


class RequirementPageMixin(SliceObjectMixin):
    """The requirement page. Its notes, compliance events, the defendant and the order's
    reference and period only for police on the case and the responsible agency
    (policy row requirement.view_notes); the forms only for those the policy lets act."""

    template_name = "web/orders/requirement_detail.html"
    slice_target = "requirement"
    queryset = _requirement_queryset()

    def page_context(self, update_form=None, event_form=None) -> dict:
        requirement = self.get_object()
        actor = self.actor
        may_change = may_on(actor, "requirement", "change", requirement)
        may_record = may_on(actor, "requirement", "record_event", requirement)
        if may_change and update_form is None:
            update_form = RequirementUpdateForm(initial={"status": requirement.status, "notes": requirement.notes})
        if may_record and event_form is None:
            event_form = ComplianceEventForm()
        return dict(requirement=requirement,
                    show_notes=may_on(actor, "requirement", "view_notes", requirement),
                    may_see_order=may_on(actor, "order", "view", requirement.order),
                    may_change=may_change, may_record=may_record,
                    update_form=update_form if may_change else None,
                    event_form=event_form if may_record else None)

    def success_url_for(self, requirement):
        return reverse("web:requirement-detail", args=[requirement.pk])


class RequirementDetailView(RequirementPageMixin, TemplateView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.page_context(), **kwargs)


class RequirementUpdateView(DomainFormMixin, RequirementPageMixin, FormView):
    """The responsible agency records the status and its private notes."""

    form_class = RequirementUpdateForm
    slice_action = "change"
    success_message = "Requirement updated."

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.success_url_for(self.get_object()))

    def save(self, form):
        return update_requirement(self.get_object(), by=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.page_context(update_form=kwargs["form"]), **kwargs)


class ComplianceEventCreateView(DomainFormMixin, RequirementPageMixin, FormView):
    """The responsible agency records an appointment offered, attended, missed or the
    requirement completed (audited as an update of the requirement, as the API does)."""

    form_class = ComplianceEventForm
    slice_action = "record_event"
    success_message = "Compliance event recorded."

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.success_url_for(self.get_object()))

    def save(self, form):
        requirement = self.get_object()
        record_compliance_event(requirement, by=self.request.user, **form.cleaned_data)
        return requirement

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.page_context(event_form=kwargs["form"]), **kwargs)


# Breaches ---------------------------------------------------------------------------------


class BreachCreateView(DomainFormMixin, SliceParentMixin, FormView):
    """Report a breach: any participant of the case. The police hear of it at once."""

    template_name = "web/orders/breach_form.html"
    form_class = BreachForm
    slice_target = "breach"
    slice_action = "create"
    parent_queryset = _order_queryset()
    parent_url_kwarg = "order_pk"
    domain_field_map = {"occurred_at": "occurred_on"}
    success_message = "Breach reported. The police have been alerted."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "order": self.get_parent()}

    def save(self, form):
        breach = report_breach(self.get_parent(), agency=_membership_agency(self.request), by=self.request.user,
                               **form.breach_fields())
        self.audit("create", breach)
        return breach

    def success_url_for(self, breach):
        return reverse("web:breach-detail", args=[breach.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(order=self.get_parent(), **kwargs)


def _breach_queryset():
    return Breach.objects.select_related("order__case", "reporting_agency", "reported_by", "requirement")


class BreachDetailView(SliceObjectMixin, TemplateView):
    """One breach: what happened, when it was reported, and the police response (with
    the form for police on the case)."""

    template_name = "web/orders/breach_detail.html"
    slice_target = "breach"
    queryset = _breach_queryset()

    def get_context_data(self, **kwargs):
        breach = self.get_object()
        may_respond = may_on(self.actor, "breach", "change", breach)
        context = {"breach": breach, "may_respond": may_respond}
        if may_respond and "form" not in kwargs:
            context["form"] = BreachResponseForm(initial={"status": breach.status,
                                                          "police_response": breach.police_response})
        return super().get_context_data(**context, **kwargs)


class BreachRespondView(DomainFormMixin, SliceObjectMixin, FormView):
    """Police on the case set the breach's status and their response; the first is timed."""

    template_name = "web/orders/breach_detail.html"
    form_class = BreachResponseForm
    slice_target = "breach"
    slice_action = "change"
    queryset = _breach_queryset()
    success_message = "Response saved."

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(reverse("web:breach-detail", args=[self.get_object().pk]))

    def save(self, form):
        return respond_to_breach(self.get_object(), by=self.request.user, **form.cleaned_data)

    def success_url_for(self, breach):
        return reverse("web:breach-detail", args=[breach.pk])

    def get_context_data(self, **kwargs):
        breach = self.get_object()
        return super().get_context_data(breach=breach, may_respond=True, **kwargs)
