from django import forms

from marac.agencies.models import Agency
from marac.maracs.models import Marac
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


class MaracForm(GovUKModelForm):
    """A MARAC's directory entry; created and changed by marac.maracs.services."""

    class Meta:
        model = Marac
        fields = ["name", "local_area", "adult_female_population", "confidentiality_statement", "is_active"]
        labels = {"name": "MARAC name", "local_area": "Local area (optional)",
                  "adult_female_population": "Adult female population (optional)",
                  "confidentiality_statement": "Confidentiality statement (optional)",
                  "is_active": "Active: takes referrals and holds meetings"}
        help_texts = {"adult_female_population": "For SafeLives' referral volume benchmark.",
                      "confidentiality_statement": ("Printed on this MARAC's minutes and packs. "
                                                    "Leave blank for the standard statement.")}
        error_messages = {"name": {"unique": "A MARAC with that name already exists."}}
