"""The form of a request that police consider an SPO. It parses what a person typed;
the rules (not in the future) are the domain's (marac.orders.services.record_spo_request)."""

from django import forms

from web.orders.forms import DATE_HELP, GovDateField, GovForm


class SpoRequestForm(GovForm):
    submit_label = "Record the request"

    requested_on = GovDateField(label="Date of the request", help_text=DATE_HELP)
    requested_by_victim = forms.BooleanField(label="The victim herself asked for an SPO", required=False)
    note = forms.CharField(label="Note for the police", required=False, widget=forms.Textarea,
                           help_text="What was asked and why; the meeting pack never shows it")
