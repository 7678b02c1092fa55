"""GOV.UK-styled forms (crispy-forms-gds): every web form derives from GovUKForm, so
fields render with their label, hint and message beside them, and the template shows
the error summary at the top (web/includes/form_errors.html)."""

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.functional import cached_property

from marac.errors import DomainError


class GovUKFormMixin:
    """Renders through crispy-forms-gds; the template writes the <form> tag and buttons.

    The helper's layout lists the form's fields when the helper is made, so it is made
    when first read (by `{% crispy form %}`), after the form's own __init__ has settled
    its fields: a field that __init__ removes is not left in the layout for crispy-forms
    to look up (and log a KeyError for). A form may still set its own `self.helper`."""

    @cached_property
    def helper(self) -> FormHelper:
        helper = FormHelper(self)
        helper.form_tag = False
        helper.disable_csrf = True  # the template's <form> carries the token
        return helper


class GovUKForm(GovUKFormMixin, forms.Form):
    pass


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    pass


def add_domain_errors(form, error) -> None:
    """A domain rule's messages (marac.errors.DomainError, keyed by field like the API's
    400) beside the form's fields; keys that are not a field of the form go to the top."""
    for field, texts in error.messages.items():
        if isinstance(texts, str):
            texts = [texts]
        for message in texts:
            form.add_error(field if field in form.fields else None, str(message))


class BadInputFormMixin:
    """For a FormView: a form re-rendered with its errors answers 400 (bad input), as the
    API does, so that no client (or test) takes a refused form for a page shown."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class DomainFormMixin(BadInputFormMixin):
    """A form whose valid data goes to one domain service (`save`). If the domain refuses
    (DomainError), its messages go beside the fields, the page re-renders with the error
    summary, and the request's transaction writes nothing.

    For a SliceView FormView (`rollback`); the view defines `save(form)` and
    `success_url_for(saved)`. The domain's messages go onto the form through the form's
    `apply_domain_error` (e.g. web.orders.forms.GovForm) unless the view says otherwise."""

    domain_field_map: dict[str, str] = {}
    success_message = ""

    def form_valid(self, form):
        try:
            saved = self.save(form)
        except DomainError as error:
            self.apply_domain_error(form, error)
            return self.form_invalid(form)
        message = self.success_message_for(saved)
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.success_url_for(saved))

    def form_invalid(self, form):
        self.rollback()
        return super().form_invalid(form)

    def apply_domain_error(self, form, error) -> None:
        form.apply_domain_error(error, self.domain_field_map)

    def success_message_for(self, saved) -> str:
        return self.success_message
