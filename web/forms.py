"""GOV.UK-styled forms (crispy-forms-gds): every web form derives from GovUKForm, so
fields render with their label, hint and message beside them, and the template shows
the error summary at the top (web/includes/form_errors.html)."""

from crispy_forms_gds.helper import FormHelper
from django import forms


class GovUKFormMixin:
    """Renders through crispy-forms-gds; the template writes the <form> tag and buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> carries the token


class GovUKForm(GovUKFormMixin, forms.Form):
    pass


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    pass
