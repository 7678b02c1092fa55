"""Sign in and sign out. The sign-in POST is throttled by the API's login throttles
(marac.throttling: per client address and per username, the same cache keys as
`POST /api/v1/auth/token/` and `/admin/login/`), so guesses count together whichever
door they knock on."""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import FormView, TemplateView

from marac.agencies.services import change_password
from marac.errors import DomainError
from marac.throttling import login_throttle_wait
from web.forms import BadInputFormMixin, add_domain_errors
from web.slice import SliceView

from .forms import ChangePasswordForm, SignInForm


@method_decorator(login_not_required, name="dispatch")
class SignInView(BadInputFormMixin, LoginView):
    template_name = "web/accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        wait = login_throttle_wait(request)
        if wait is not None:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, f"Too many sign-in attempts. Try again in {wait} second{'s' if wait != 1 else ''}.")
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)


class SignOutView(View):
    """POST only: ends the session (Django's logout flushes it) and says so."""

    http_method_names = ["post"]

    def post(self, request):
        logout(request)
        messages.success(request, "You have signed out.")
        return redirect("web:sign-in")


class AccountView(SliceView, TemplateView):
    """Who you are signed in as, and a link to change your password."""

    template_name = "web/accounts/account.html"


class ChangePasswordView(BadInputFormMixin, SliceView, FormView):
    """The person's own password, through marac.agencies.services.change_password (the
    same validators as an account's first password on the API)."""

    template_name = "web/accounts/change_password.html"
    form_class = ChangePasswordForm
    audit_object_type = "user"

    def form_valid(self, form):
        try:
            change_password(self.request.user, current_password=form.cleaned_data["current_password"],
                            new_password=form.cleaned_data["new_password"])
        except DomainError as error:
            add_domain_errors(form, error)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, self.request.user)
        self.audit("update", self.request.user)
        messages.success(self.request, "Your password has been changed.")
        return redirect("web:account")

    def form_invalid(self, form):
        self.rollback()
        return super().form_invalid(form)
