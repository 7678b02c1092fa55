"""Victim support plans for advocates: create, edit, and the plan's history. Only the
advocacy participants' practitioners and managers reach a plan (policy row
support_plan); everyone else gets "Page not found"."""

from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from marac.cases.models import Case
from marac.support.models import SupportPlan
from marac.support.services import create_plan, update_plan
from web.forms import DomainFormMixin
from web.orders.views import PAGE_SIZE, area_tabs
from web.slice import SliceListMixin, SliceObjectMixin, SliceParentMixin, visible

from .forms import SupportPlanForm


class SupportPlanListView(SliceListMixin, TemplateView):
    """The plans the caller's agency keeps with victims on its cases."""

    template_name = "web/support/plan_list.html"
    slice_target = "support_plan"
    queryset = SupportPlan.objects.select_related("case", "agency")

    def get_context_data(self, **kwargs):
        page = Paginator(self.get_queryset(), PAGE_SIZE).get_page(self.request.GET.get("page"))
        self.audit_page(page.object_list)
        return super().get_context_data(page=page, plans=page.object_list,
                                        tabs=area_tabs(self.request, "web:support-plan-list"), **kwargs)


class CaseSupportPlanView(SliceParentMixin, TemplateView):
    """The case page's "Support plan" link: the case's plan if the caller's slice holds
    one, else the form to create it (which the policy decides on)."""

    slice_target = "support_plan"
    parent_queryset = Case.objects.all()

    def get(self, request, *args, **kwargs):
        case = self.get_parent()
        plan = visible(self.actor, "support_plan", SupportPlan.objects.filter(case=case)).order_by("-updated_at",
                                                                                                  "-id").first()
        if plan is not None:
            return HttpResponseRedirect(reverse("web:support-plan-detail", args=[plan.pk]))
        return HttpResponseRedirect(reverse("web:support-plan-create", args=[case.pk]))


class SupportPlanCreateView(DomainFormMixin, SliceParentMixin, FormView):
    template_name = "web/support/plan_form.html"
    form_class = SupportPlanForm
    slice_target = "support_plan"
    slice_action = "create"
    parent_queryset = Case.objects.all()
    success_message = "Support plan created."

    def save(self, form):
        plan = create_plan(case=self.get_parent(), agency=self.request.user.membership.agency, by=self.request.user,
                           **form.plan_fields())
        self.audit("create", plan)
        return plan

    def success_url_for(self, plan):
        return reverse("web:support-plan-detail", args=[plan.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.get_parent(), plan=None, **kwargs)


def _plan_queryset():
    return SupportPlan.objects.select_related("case", "agency", "created_by")


class SupportPlanDetailView(SliceObjectMixin, TemplateView):
    """The plan and its history (a timeline of who changed what, newest first)."""

    template_name = "web/support/plan_detail.html"
    slice_target = "support_plan"
    queryset = _plan_queryset()

    def get_context_data(self, **kwargs):
        plan = self.get_object()
        changes = list(plan.changes.select_related("by").order_by("-at", "-id"))
        return super().get_context_data(plan=plan, changes=changes, **kwargs)


class SupportPlanEditView(DomainFormMixin, SliceObjectMixin, FormView):
    template_name = "web/support/plan_form.html"
    form_class = SupportPlanForm
    slice_target = "support_plan"
    slice_action = "change"
    queryset = _plan_queryset()
    success_message = "Support plan updated."

    def get_initial(self):
        return SupportPlanForm.initial_for(self.get_object())

    def save(self, form):
        return update_plan(self.get_object(), by=self.request.user, **form.plan_fields())

    def success_url_for(self, plan):
        return reverse("web:support-plan-detail", args=[plan.pk])

    def get_context_data(self, **kwargs):
        plan = self.get_object()
        return super().get_context_data(case=plan.case, plan=plan, **kwargs)
