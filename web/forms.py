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


def apply_domain_errors(form, messages, fields: dict[str, str] | None = None) -> None:
    """Put a DomainError's messages on the form: each beside the form field its key
    names (nested keys joined by "_", e.g. victim.date_of_birth -> victim_date_of_birth;
    FIELDS renames), anything else at the top of the form."""
    fields = fields or {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}_{key}" if prefix else str(key), inner)
            return
        name = fields.get(prefix, prefix)
        target = name if name in form.fields else None
        for message in value if isinstance(value, (list, tuple)) else [value]:
            form.add_error(target, str(message))

    walk("", messages)


def add_domain_errors(form, error, fields: dict[str, str] | None = None) -> None:
    """A domain rule's refusal (marac.errors.DomainError, keyed by field like the API's
    400) beside the form's fields (`apply_domain_errors`)."""
    apply_domain_errors(form, error.messages, fields)


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
    `success_url_for(saved)`. The domain's messages go beside the fields
    (`add_domain_errors`, DOMAIN_FIELD_MAP renaming keys)."""

    domain_field_map: dict[str, str] = {}
    success_message = ""

    def form_valid(self, form):
        try:
            saved = self.save(form)
        except DomainError as error:
            add_domain_errors(form, error, self.domain_field_map)
            return self.form_invalid(form)
        message = self.success_message_for(saved)
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.success_url_for(saved))

    def form_invalid(self, form):
        self.rollback()
        return super().form_invalid(form)

    def success_message_for(self, saved) -> str:
        return self.success_message
