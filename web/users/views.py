"""Users: managers administer their own agency's accounts, platform administrators
everyone's. The same policy rows (`user`: view, create, change), the same
assignable-roles rule and the same domain services (create_user, update_user) as the
API's /users/."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from marac.agencies.models import Agency
from marac.agencies.services import create_user, update_user
from marac.audit.models import AuditEvent
from marac.errors import DomainError
from marac.maracs.models import Marac
from marac.maracs.services import serves_maracs
from web.forms import BadInputFormMixin, DomainFormMixin, add_domain_errors
from web.pagination import page_of
from web.slice import (
    AccountAdminMixin,
    SliceListMixin,
    SliceObjectMixin,
    may,
    may_on,
    require_on_parent,
    roles_assignable_by,
    visible,
)

from .forms import AuditFilterForm, EditUserForm, NewUserForm

User = get_user_model()
MEMBERS = User.objects.filter(membership__isnull=False).select_related("membership__agency")


class UserListView(SliceListMixin, TemplateView):
    slice_target = "user"
    queryset = MEMBERS.order_by("membership__agency__name", "username")
    audit_reads = False  # the directory is not case data (as the API's /users/)
    template_name = "web/users/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = page = page_of(self.request, self.get_queryset())
        context["users"] = page.object_list
        context["may_create"] = may(self.actor, "user", "create")
        context["may_read_audit"] = may(self.actor, "audit_event", "view")
        return context


class UserCreateView(BadInputFormMixin, SliceListMixin, FormView):
    slice_target = "user"
    slice_action = "create"
    queryset = MEMBERS
    template_name = "web/users/new.html"
    form_class = NewUserForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["roles"] = roles_assignable_by(self.actor)
        if self.actor.is_platform_admin:
            kwargs["agencies"] = visible(self.actor, "agency", Agency.objects.order_by("name"))
        return kwargs

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        agency = data.pop("agency", None) or Agency.objects.get(pk=self.actor.agency_id)
        require_on_parent(self.actor, "user", "create", agency)
        role = data.pop("role")
        maracs = list(data.pop("maracs", None) or []) or None
        try:
            user = create_user(agency=agency, role=role, maracs=maracs, **data)
        except DomainError as error:
            add_domain_errors(form, error)
            return self.form_invalid(form)
        except DjangoValidationError as error:
            form.add_error("password", list(error.messages))
            return self.form_invalid(form)
        self.audit("create", user)
        messages.success(self.request, f"{user.get_full_name()} ({user.username}) can now sign in.")
        return redirect("web:user-detail", pk=user.pk)

    def form_invalid(self, form):
        self.rollback()
        return super().form_invalid(form)


class UserDetailView(SliceObjectMixin, TemplateView):
    slice_target = "user"
    queryset = MEMBERS
    audit_reads = False
    template_name = "web/users/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        account = self.get_object()
        context["account"] = account
        context["may_edit"] = may_edit = (account.membership.role in roles_assignable_by(self.actor)
                                          and may_on(self.actor, "user", "change", account))
        context["may_change"] = may_edit and account.pk != self.request.user.pk
        return context


class UserEditView(DomainFormMixin, AccountAdminMixin, FormView):
    """Correct an account's name and email: the same callers, rows and service
    (update_user) as PATCH /api/v1/users/{id}/."""

    queryset = MEMBERS
    audit_reads = False
    template_name = "web/users/edit.html"
    form_class = EditUserForm

    def assigns_maracs(self) -> bool:
        """The MARACs a coordinator or chair serves, for those the policy lets set them
        (user.assign_maracs: platform administrators)."""
        return serves_maracs(self.get_object().membership.role) and may(self.actor, "user", "assign_maracs")

    def get_initial(self):
        account = self.get_object()
        initial = {"first_name": account.first_name, "last_name": account.last_name, "email": account.email}
        if self.assigns_maracs():
            initial["maracs"] = list(account.membership.maracs.all())
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.assigns_maracs():
            served = self.get_object().membership.maracs.values("pk")
            kwargs["maracs"] = Marac.objects.filter(Q(is_active=True) | Q(pk__in=served)).order_by("name")
        return kwargs

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "account": self.get_object()}

    def save(self, form):
        data = dict(form.cleaned_data)
        if "maracs" in data:
            data["maracs"] = list(data["maracs"])
        return update_user(self.get_object(), by=self.request.user, **data)

    def success_message_for(self, account) -> str:
        return f"{account.get_full_name() or account.username}'s details are saved."

    def success_url_for(self, account):
        return reverse("web:user-detail", args=[account.pk])


class _AccountStatusView(AccountAdminMixin, View):
    queryset = MEMBERS
    http_method_names = ["post"]
    make_active: bool

    def post(self, request, pk):
        account = self.get_object()
        try:
            update_user(account, by=request.user, is_active=self.make_active)
        except DomainError as error:
            self.rollback()
            for message_list in error.messages.values():
                for message in message_list:
                    messages.error(request, message)
            return redirect("web:user-detail", pk=account.pk)
        name = account.get_full_name() or account.username
        messages.success(request, f"{name} can sign in again." if self.make_active
                         else f"{name} can no longer sign in. Their sessions and API tokens have ended.")
        return redirect("web:user-detail", pk=account.pk)


class UserDeactivateView(_AccountStatusView):
    make_active = False


class UserReactivateView(_AccountStatusView):
    make_active = True


class AuditTrailView(SliceListMixin, TemplateView):
    """Who saw or changed which record: managers the events of their own agency's users,
    platform administrators all (policy row audit_event.view; anyone else an empty
    list, as GET /api/v1/audit-events/). Reading the log is not itself logged."""

    slice_target = "audit_event"
    queryset = AuditEvent.objects.all()
    audit_reads = False
    template_name = "web/users/audit.html"

    def get_context_data(self, **kwargs):
        form = AuditFilterForm(self.request.GET or None)
        page = page_of(self.request, form.filter(self.get_queryset()).order_by("-at", "-id"))
        events = list(page.object_list)
        agencies = dict(Agency.objects.filter(pk__in={event.agency_id for event in events}).values_list("pk", "name"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return {**super().get_context_data(**kwargs), "filter_form": form, "page_obj": page, "query": query.urlencode(),
                "rows": [{"event": event, "agency": agencies.get(event.agency_id, "")} for event in events]}
