"""The forms of the orders area. They parse what a person typed; every rule of the
Stalking Protection Act is the domain's (marac.orders.services), and its messages come
back onto the fields through web.forms.add_domain_errors."""

from datetime import datetime, time

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from marac.agencies.models import Agency
from marac.cases.models import Perpetrator
from marac.orders.models import (
    BreachKind,
    BreachStatus,
    ComplianceEventKind,
    NotifiableChangeKind,
    Order,
    OrderKind,
    OrderSource,
    OrderStatus,
    Requirement,
    RequirementKind,
    RequirementStatus,
    SpoRequest,
)
from marac.orders.services import INITIAL_STATUSES, allowed_transitions, case_perpetrator_ids
from web.forms import GovUKForm

# The latest date anything recorded here may carry (the API's rule, api.fields.LATEST_DATE).
LATEST_DATE = datetime(2100, 12, 31).date()


class GovDateField(DateInputField):
    """A GOV.UK date input (day, month, year) that never raises past the calendar: an
    impossible date is a message beside the field, and no date after 2100-12-31."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except (ValidationError, OverflowError) as error:
            raise ValidationError("Enter a real date.", code="invalid") from error

    def clean(self, value):
        day = super().clean(value)
        if day is not None and day > LATEST_DATE:
            raise ValidationError(f"Enter a date no later than {LATEST_DATE.isoformat()}.", code="too_late")
        return day


class GovForm(GovUKForm):
    """A GOV.UK form (web.forms) with a submit label and the person's changes (`changed_values`)."""

    submit_label = "Save"

    def changed_values(self) -> dict:
        """Only what the person changed: the order's history records exactly that."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.cleaned_data}


def _choices(enum, allowed=None) -> list[tuple[str, str]]:
    return [(value, label) for value, label in enum.choices if allowed is None or value in allowed]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def perpetrators_for(case):
    """The people an order on this case may be against: the domain's rule."""
    return Perpetrator.objects.filter(pk__in=case_perpetrator_ids(case)).order_by("pk")


DATE_HELP = "For example, 27 3 2025"


def spo_request_label(request: SpoRequest) -> str:
    who = "the victim" if request.requested_by_victim else "an agency"
    return f"Requested on {request.requested_on:%d %B %Y} by {who} ({request.agency.name})"


class OrderCreateForm(GovForm):
    submit_label = "Record the order"

    kind = forms.ChoiceField(label="Kind of order", choices=_choices(OrderKind), widget=forms.RadioSelect,
                             initial=OrderKind.FULL)
    source = forms.ChoiceField(label="How the order is made", choices=_choices(OrderSource),
                               widget=forms.RadioSelect, initial=OrderSource.POLICE_APPLICATION)
    status = forms.ChoiceField(label="Where it stands", choices=_choices(OrderStatus, INITIAL_STATUSES),
                               widget=forms.RadioSelect, initial=OrderStatus.CONSIDERING)
    defendant = forms.ModelChoiceField(label="Defendant", queryset=Perpetrator.objects.none(), required=False,
                                       empty_label="The case's perpetrator")
    main_order = forms.ModelChoiceField(label="Main application (interim orders)", queryset=Order.objects.none(),
                                        required=False, empty_label="None")
    reference = forms.CharField(label="Court reference", max_length=64, required=False)
    court = forms.CharField(label="Court", max_length=200, required=False)
    applied_on = GovDateField(label="Date applied for", required=False, help_text=DATE_HELP)
    conviction_or_acquittal_on = GovDateField(label="Date of conviction or acquittal", required=False,
                                              help_text="Only for an order a court made on conviction or acquittal")
    granted_on = GovDateField(label="Date granted", required=False, help_text=DATE_HELP)
    served_on = GovDateField(label="Date served", required=False, help_text=DATE_HELP)
    expires_on = GovDateField(label="Last day in force", required=False,
                              help_text="Leave blank for an order until further order")
    decision_reason = forms.CharField(label="Reason for the decision", required=False, widget=forms.Textarea,
                                      help_text="Needed if police decide not to apply")
    sex_offender_register_exempt = forms.BooleanField(
        label="The defendant is subject to sex offender notification requirements", required=False)
    prohibitions = forms.CharField(label="Prohibitions", required=False, widget=forms.Textarea,
                                   help_text="One term per line; each applies across the UK for the order's period")
    spo_request = forms.ModelChoiceField(
        label="Answers the request for an SPO", queryset=SpoRequest.objects.none(), required=False,
        empty_label="None", help_text="A request on this case that police consider an SPO, still awaiting an answer")

    def __init__(self, *args, case, main_orders, spo_requests=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["defendant"].queryset = perpetrators_for(case)
        self.fields["main_order"].queryset = main_orders
        if spo_requests is None:
            del self.fields["spo_request"]
        else:
            self.fields["spo_request"].queryset = spo_requests
            self.fields["spo_request"].label_from_instance = spo_request_label

    def clean_prohibitions(self):
        return _lines(self.cleaned_data["prohibitions"])

    def new_order_fields(self) -> dict:
        return dict(self.cleaned_data)


class OrderDetailsForm(GovForm):
    """The order's facts as they happen (service, notification, corrections)."""

    submit_label = "Save changes"

    reference = forms.CharField(label="Court reference", max_length=64, required=False)
    court = forms.CharField(label="Court", max_length=200, required=False)
    applied_on = GovDateField(label="Date applied for", required=False, help_text=DATE_HELP)
    granted_on = GovDateField(label="Date granted", required=False, help_text=DATE_HELP)
    served_on = GovDateField(label="Date served", required=False, help_text=DATE_HELP)
    expires_on = GovDateField(label="Last day in force", required=False,
                              help_text="Leave blank for an order until further order")
    notified_on = GovDateField(label="Date the defendant notified police (initial notification)", required=False,
                               help_text=DATE_HELP)
    sex_offender_register_exempt = forms.BooleanField(
        label="The defendant is subject to sex offender notification requirements", required=False)
    register_ended_on = GovDateField(label="Date the sex offender notification requirements ended",
                                     required=False, help_text=DATE_HELP)
    spo_request = forms.ModelChoiceField(label="The request for an SPO this answers", required=False,
                                         queryset=SpoRequest.objects.none(), empty_label="None",
                                         help_text="Once linked, the link is fixed")

    def __init__(self, *args, spo_requests=None, **kwargs):
        """SPO_REQUESTS: the case's requests awaiting an answer; None when the order
        already answers one (the link is fixed) and the field is not offered."""
        super().__init__(*args, **kwargs)
        if spo_requests is None:
            del self.fields["spo_request"]
        else:
            self.fields["spo_request"].queryset = spo_requests
            self.fields["spo_request"].label_from_instance = spo_request_label


class OrderStatusForm(GovForm):
    """Move the order on: only the statuses the domain allows from where it stands are
    offered; the Act's rules on the move come back from the domain as messages."""

    submit_label = "Change status"

    status = forms.ChoiceField(label="New status", widget=forms.RadioSelect)
    applied_on = GovDateField(label="Date applied for", required=False, help_text="When applying")
    granted_on = GovDateField(label="Date granted", required=False, help_text="When the court grants the order")
    expires_on = GovDateField(label="Last day in force", required=False,
                              help_text="Leave blank for a full order until further order")
    decided_on = GovDateField(label="Date decided", required=False,
                              help_text="When refused or withdrawn; leave blank for today")
    decision_reason = forms.CharField(label="Reason for the decision", required=False, widget=forms.Textarea,
                                      help_text="Needed when police decide not to apply")
    discharged_on = GovDateField(label="Date discharged", required=False, help_text="Leave blank for today")
    discharge_consent = forms.BooleanField(
        label="The defendant and the police both consent to the discharge", required=False,
        help_text="Needed to discharge a full order within 2 years of it being made")

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _choices(OrderStatus, allowed_transitions(order.status))

    def changes(self) -> dict:
        """The new status and what the person filled in; a blank field keeps the order's value."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class ProhibitionForm(GovForm):
    submit_label = "Add prohibition"

    text = forms.CharField(label="Term", widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="For example, no contact with the victim by any means")
    locality = forms.CharField(label="Where it applies", required=False, max_length=200,
                               help_text="Leave blank if it applies across the UK")
    ends_on = GovDateField(label="Last day of this term", required=False,
                           help_text="Leave blank for the order's own period")


class RequirementForm(GovForm):
    submit_label = "Add requirement"

    kind = forms.ChoiceField(label="Requirement", choices=_choices(RequirementKind), widget=forms.RadioSelect)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    responsible_agency = forms.ModelChoiceField(label="Responsible agency", queryset=Agency.objects.order_by("name"),
                                                empty_label="Choose an agency")
    due_date = GovDateField(label="Due date", required=False, help_text=DATE_HELP)
    starts_on = GovDateField(label="First day", required=False, help_text="Leave blank for the order's first day")
    ends_on = GovDateField(label="Last day", required=False, help_text="Leave blank for the order's last day")


class RequirementUpdateForm(GovForm):
    submit_label = "Save"

    status = forms.ChoiceField(label="Status", choices=_choices(RequirementStatus), widget=forms.RadioSelect)
    notes = forms.CharField(label="Private notes", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="Seen only by police on the case and your agency")


class ComplianceEventForm(GovForm):
    submit_label = "Record event"

    kind = forms.ChoiceField(label="What happened", choices=_choices(ComplianceEventKind), widget=forms.RadioSelect)
    occurred_on = GovDateField(label="Date", help_text=DATE_HELP)
    details = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3}))


NOTIFIABLE_CHANGE_LABELS = {NotifiableChangeKind.NAME_CHANGE: "A new name",
                            NotifiableChangeKind.ADDRESS_CHANGE: "A new home address"}


class NotifiableChangeForm(GovForm):
    """A new name or home address of the defendant (s.9(3)-(4)); the dates' rules are the
    domain's (record_notifiable_change)."""

    submit_label = "Record change"

    kind = forms.ChoiceField(label="What changed", choices=list(NOTIFIABLE_CHANGE_LABELS.items()),
                             widget=forms.RadioSelect, error_messages={"required": "Select what changed"})
    changed_on = GovDateField(label="Date of the change", help_text=DATE_HELP)
    notified_on = GovDateField(label="Date the defendant notified police", required=False,
                               help_text="Leave blank if they have not notified police yet")
    details = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="For example the new name, or where the new address is recorded")


class NotifiedForm(GovForm):
    """The defendant notified police of a change after it was recorded."""

    submit_label = "Save"

    notified_on = GovDateField(label="Date the defendant notified police", required=False, help_text=DATE_HELP)
    details = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3}))


TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


class BreachForm(GovForm):
    submit_label = "Report breach"

    kind = forms.ChoiceField(label="What was breached", choices=_choices(BreachKind), widget=forms.RadioSelect,
                             initial=BreachKind.PROHIBITION)
    requirement = forms.ModelChoiceField(label="Which requirement (for a breach of a requirement)",
                                         queryset=Requirement.objects.none(), required=False, empty_label="None")
    occurred_on = GovDateField(label="Date it happened", help_text=DATE_HELP)
    occurred_time = forms.TimeField(label="Time it happened", input_formats=TIME_FORMATS,
                                    help_text="24-hour clock, for example 14:30",
                                    widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))
    description = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = order.requirements.order_by("pk")
        self.fields["requirement"].label_from_instance = lambda r: f"{r.get_kind_display()} ({r.pk})"

    def breach_fields(self) -> dict:
        data = self.cleaned_data
        occurred_at = timezone.make_aware(datetime.combine(data["occurred_on"], data["occurred_time"] or time()))
        return dict(kind=data["kind"], requirement=data["requirement"], occurred_at=occurred_at,
                    description=data["description"])


class BreachResponseForm(GovForm):
    submit_label = "Save response"

    status = forms.ChoiceField(label="Status", choices=_choices(BreachStatus), widget=forms.RadioSelect)
    police_response = forms.CharField(label="Police response", required=False,
                                      widget=forms.Textarea(attrs={"rows": 5}))
