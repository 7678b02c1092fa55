"""Platform administrators' pages: agencies and MARACs. The same policy row (`agency`:
create is platform admins only) and domain services (create_agency, create_marac,
update_marac) as the API. Accounts are the Users pages (web.users)."""

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from marac.agencies.models import Agency
from marac.agencies.services import create_agency
from marac.maracs.models import Marac
from marac.maracs.services import create_marac, update_marac
from web.forms import BadInputFormMixin
from web.pagination import page_of
from web.slice import SliceListMixin

from .forms import MaracForm, NewAgencyForm

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


class AgencyCreateView(BadInputFormMixin, SliceListMixin, FormView):
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


class _MaracPage(SliceListMixin):
    """The MARAC directory is administered by those who create agencies: the `agency`
    row's `create` action (platform administrators). Reads are not case data."""

    slice_target = "agency"
    slice_action = "create"
    audit_object_type = "marac"
    audit_reads = False
    queryset = Marac.objects.all()


class MaracListView(_MaracPage, TemplateView):
    template_name = "web/platform_admin/maracs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = page = page_of(self.request, Marac.objects.order_by("name"))
        context["maracs"] = page.object_list
        return context


class MaracCreateView(BadInputFormMixin, _MaracPage, FormView):
    template_name = "web/platform_admin/marac_form.html"
    form_class = MaracForm
    extra_context = {"heading": "Add a MARAC", "button": "Add MARAC"}

    def form_valid(self, form):
        marac = create_marac(**form.cleaned_data)
        self.audit("create", marac)
        messages.success(self.request, f"{marac.name} has been added.")
        return redirect("web:admin-marac-list")

    def form_invalid(self, form):
        self.rollback()
        return super().form_invalid(form)


class MaracEditView(BadInputFormMixin, _MaracPage, FormView):
    template_name = "web/platform_admin/marac_form.html"
    form_class = MaracForm
    extra_context = {"button": "Save changes"}

    def get_form_kwargs(self):
        self.marac = get_object_or_404(Marac, pk=self.kwargs["pk"])
        return {**super().get_form_kwargs(), "instance": self.marac}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": f"Change {self.marac.name}"}

    def form_valid(self, form):
        marac = update_marac(get_object_or_404(Marac, pk=self.kwargs["pk"]),
                             **{name: form.cleaned_data[name] for name in form.changed_data})
        self.audit("update", marac)
        messages.success(self.request, f"{marac.name} has been changed.")
        return redirect("web:admin-marac-list")

    def form_invalid(self, form):
        self.rollback()
        return super().form_invalid(form)
