"""Forms of the transfers area. They parse only; the rules (an open case, one pending
transfer, another active MARAC, a note for "other", the receiving MARAC's open
meeting) live in marac/transfers/services.py, shared with the API."""

from django import forms

from marac.transfers.models import TransferReason
from web.forms import GovUKForm


class RequestTransferForm(GovUKForm):
    to_marac = forms.ModelChoiceField(queryset=None, label="Which MARAC should take the case?",
                                      empty_label="Choose a MARAC",
                                      error_messages={"required": "Choose the MARAC to transfer the case to",
                                                      "invalid_choice": "Choose one of the MARACs listed"})
    reason = forms.ChoiceField(choices=TransferReason.choices, widget=forms.RadioSelect,
                               label="Why is the case being transferred?",
                               error_messages={"required": "Choose why the case is being transferred"})
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label="Note (optional)",
                           help_text="Required when the reason is other.")

    def __init__(self, *args, maracs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_marac"].queryset = maracs


class AcceptTransferForm(GovUKForm):
    meeting = forms.ModelChoiceField(queryset=None, required=False, label="List the case on which meeting?",
                                     empty_label="The next meeting (if there is one)",
                                     help_text="The case's open actions are carried over to this meeting.",
                                     error_messages={"invalid_choice": "Choose one of the meetings listed"})

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda meeting: f"{meeting.date:%-d %B %Y}"


class DeclineTransferForm(GovUKForm):
    reason = forms.CharField(label="Why is the transfer declined?", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Enter why the transfer is declined"})
