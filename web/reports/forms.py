from django import forms

from web.forms import GovUKForm

LATEST = "2100-12-31"


class PeriodForm(GovUKForm):
    """The period of a report: both days or neither (then the last complete quarter)."""

    start = forms.DateField(label="From", required=False, input_formats=["%Y-%m-%d"],
                            help_text="The first day, for example 2025-04-01",
                            widget=forms.DateInput(attrs={"type": "date", "max": LATEST}))
    end = forms.DateField(label="To", required=False, input_formats=["%Y-%m-%d"],
                          help_text="The last day, included, for example 2025-06-30",
                          widget=forms.DateInput(attrs={"type": "date", "max": LATEST}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None) and not self.errors:
            self.add_error("end" if start else "start", "Enter both days, or neither for the last quarter.")
        elif start and end and start > end:
            self.add_error("end", "The last day must be on or after the first day.")
        for name in ("start", "end"):
            if data.get(name) and data[name].isoformat() > LATEST:
                self.add_error(name, f"Enter a date no later than {LATEST}.")
        return data
