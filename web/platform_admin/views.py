"""Platform administrators' pages: agencies (and MARACs once that model exists). The
same policy rows (`agency`: create is platform admins only) and domain service
(create_agency) as the API's /agencies/. Accounts are the Users pages (web.users)."""

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from marac.agencies.models import Agency
from marac.agencies.services import create_agency
from web.pagination import page_of
from web.slice import SliceListMixin

from .forms import NewAgencyForm

AGENCY_NAME_TAKEN = NewAgencyForm._meta.error_messages["name"]["unique"]


class AgencyListView(SliceListMixin, TemplateView):
    slice_target = "agency"
    slice_action = "create"  # the administrators' page: members read agencies elsewhere
    queryset = Agency.objects.order_by("name")
    audit_reads = False
    template_name = "web/platform_admin/agencies.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = page = page_of(self.request, self.get_queryset())
        context["agencies"] = page.object_list
        return context


class AgencyCreateView(SliceListMixin, FormView):
    slice_target = "agency"
    slice_action = "create"
    queryset = Agency.objects.all()
    template_name = "web/platform_admin/agency_new.html"
    form_class = NewAgencyForm

    def form_valid(self, form):
        try:
            agency = create_agency(name=form.cleaned_data["name"], kind=form.cleaned_data["kind"])
        except IntegrityError:  # taken by a concurrent request
            form.add_error("name", AGENCY_NAME_TAKEN)
            return self.form_invalid(form)
        self.audit("create", agency)
        messages.success(self.request, f"{agency.name} has been added. Add its first manager under Users.")
        return redirect("web:admin-agency-list")

    def form_invalid(self, form):
        self.rollback()
        return super().form_invalid(form)
