from django import forms

from marac.agencies.models import Agency
from web.forms import GovUKModelForm


class NewAgencyForm(GovUKModelForm):
    """The model's own rules (a unique name, a known kind), as the API's serializer
    reads them; the agency is created by the domain service, not by save()."""

    class Meta:
        model = Agency
        fields = ["name", "kind"]
        labels = {"name": "Agency name", "kind": "Kind of agency"}
        help_texts = {"kind": "What the agency does decides what its people may see and do."}
        widgets = {"kind": forms.RadioSelect}
        error_messages = {"name": {"unique": "An agency with that name already exists."}}
