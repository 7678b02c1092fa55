"""The forms of the meetings area. They parse; the rules are the domain services' (a
DomainError's messages land beside the field they name: web.forms.add_domain_errors)."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError

from marac.agencies.models import Agency
from marac.maracs.models import Marac
from marac.meetings.models import ActionStatus, CarryOverReason, MeetingStatus
from marac.meetings.services import active_chairs
from web.forms import GovUKForm

# The API's date rule (api.fields.DateField): a real date between 1900 and 2100.
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2100, 12, 31)


class GovUKDateField(DateInputField):
    """The GOV.UK date input (day, month, year), within the API's date range."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages["invalid"] = "Enter a real date"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError("Enter a real date", code="invalid") from None
        if not FIRST_DATE <= value <= LAST_DATE:
            raise ValidationError("Enter a date between 1900 and 2100", code="invalid")
        return value


class ChairChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        membership = getattr(user, "membership", None)
        name = user.get_full_name() or user.get_username()
        return f"{name} ({membership.agency.name})" if membership else name


class MeetingCreateForm(GovUKForm):
    marac = forms.ModelChoiceField(queryset=Marac.objects.filter(is_active=True).order_by("name"), required=False,
                                   label="MARAC", empty_label="Choose the MARAC",
                                   error_messages={"invalid_choice": "Choose the MARAC"})
    date = GovUKDateField(label="Date of the meeting", help_text="For example, 14 12 2026")
    chair = ChairChoiceField(queryset=active_chairs().select_related("membership__agency").order_by(
        "first_name", "last_name", "username"), label="Chair", empty_label="Choose the chair",
        error_messages={"required": "Choose the chair", "invalid_choice": "Choose the chair"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.fields["marac"].queryset.count() < 2:  # one MARAC: nobody has to name it
            del self.fields["marac"]


class AgencyChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, agency):
        return agency.name


class MinutesForm(GovUKForm):
    """Attendance, apologies and the meeting-wide minutes (coordinators and chairs)."""

    agencies_present = AgencyChoices(queryset=Agency.objects.order_by("name"), required=False,
                                     label="Agencies present")
    apologies = AgencyChoices(queryset=Agency.objects.order_by("name"), required=False,
                              label="Apologies", help_text="Agencies that sent apologies")
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False, label="Minutes",
                              help_text="Information shared and decisions, for the whole meeting")


class MeetingStatusForm(GovUKForm):
    status = forms.ChoiceField(choices=[(MeetingStatus.HELD, "Held"), (MeetingStatus.CLOSED, "Closed")],
                               widget=forms.HiddenInput)


class AgendaAddForm(GovUKForm):
    reference = forms.CharField(label="Case reference", max_length=64,
                                help_text="The case's MARAC reference, for example MARAC-2026-000001",
                                error_messages={"required": "Enter the case reference"})

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = cases  # the caller's view slice of cases

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        case = self.cases.filter(reference__iexact=reference).first()
        if case is None:
            raise ValidationError("There is no case with this reference that you can see")
        self.case = case
        return reference


class CaseMinutesForm(GovUKForm):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False, label="Minutes for this case",
                              help_text="Information shared and decisions about this case")


class OwnerAgencyField(forms.ModelChoiceField):
    def label_from_instance(self, agency):
        return agency.name


class CaseOnAgendaField(forms.ModelChoiceField):
    def label_from_instance(self, case):
        return case.reference


class ActionCreateForm(GovUKForm):
    case = CaseOnAgendaField(queryset=None, label="Case", empty_label="Choose the case",
                             error_messages={"required": "Choose the case", "invalid_choice": "Choose the case"})
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Action",
                                  error_messages={"required": "Describe the action"})
    owner_agency = OwnerAgencyField(queryset=None, label="Owner agency", empty_label="Choose the agency",
                                    help_text="The agency that will carry out the action; it must be on the case",
                                    error_messages={"required": "Choose the owner agency",
                                                    "invalid_choice": "Choose the owner agency"})
    due_date = GovUKDateField(label="Due date", help_text="For example, 28 12 2026")

    def __init__(self, *args, cases=None, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["owner_agency"].queryset = owners


class ActionUpdateForm(GovUKForm):
    status = forms.ChoiceField(choices=ActionStatus.choices, label="Status")
    update = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Progress note",
                             help_text="What was done; kept in the action's history")

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action is not None and not self.is_bound:
            self.initial.setdefault("status", action.status)

    def changes(self) -> dict:
        """The service's arguments: a status only when it changes."""
        status = self.cleaned_data["status"]
        return {"status": None if self.action is not None and status == self.action.status else status,
                "update": self.cleaned_data["update"]}


class CarryOverForm(GovUKForm):
    meeting = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    reason = forms.ChoiceField(choices=CarryOverReason.choices, widget=forms.RadioSelect,
                               label="Why was it not completed?",
                               error_messages={"required": "Choose why the action was not completed"})
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Note")

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class WorklistFilterForm(forms.Form):
    """The worklist's filters (GET): invalid values are ignored, never a 500."""

    OWNER_CHOICES = [("mine", "My agency"), ("all", "All I can see")]
    OVERDUE_CHOICES = [("", "Any"), ("yes", "Overdue"), ("no", "Not overdue")]

    owner = forms.ChoiceField(choices=OWNER_CHOICES, required=False, label="Owner")
    status = forms.ChoiceField(choices=[("", "Any status"), *ActionStatus.choices], required=False, label="Status")
    overdue = forms.ChoiceField(choices=OVERDUE_CHOICES, required=False, label="Overdue")
    case = forms.CharField(required=False, max_length=64, label="Case reference")
