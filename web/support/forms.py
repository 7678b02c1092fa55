"""The support plan form: an advocate's plan with the victim. Lists are typed one entry a
line; the rules on them (text in each, length, review date) are the domain's."""

from django import forms

from marac.support.models import SupportPlanStatus
from web.orders.forms import DATE_HELP, GovDateField, GovForm


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SupportPlanForm(GovForm):
    submit_label = "Save support plan"

    needs = forms.CharField(label="Needs", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                            help_text="One need a line, for example safe housing")
    safety_measures = forms.CharField(label="Safety measures", required=False,
                                      widget=forms.Textarea(attrs={"rows": 5}),
                                      help_text="One measure a line, for example a panic alarm")
    goals = forms.CharField(label="Goals", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    next_review = GovDateField(label="Next review", required=False, help_text=DATE_HELP)
    status = forms.ChoiceField(label="Status", choices=SupportPlanStatus.choices, widget=forms.RadioSelect,
                               initial=SupportPlanStatus.ACTIVE)

    @classmethod
    def initial_for(cls, plan) -> dict:
        return {"needs": "\n".join(plan.needs), "safety_measures": "\n".join(plan.safety_measures),
                "goals": plan.goals, "next_review": plan.next_review, "status": plan.status}

    def clean_needs(self):
        return _lines(self.cleaned_data["needs"])

    def clean_safety_measures(self):
        return _lines(self.cleaned_data["safety_measures"])

    def plan_fields(self) -> dict:
        return dict(self.cleaned_data)
