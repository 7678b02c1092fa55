"""Forms of the referrals and cases pages. They parse what a person typed; every rule
(the referral criteria, the checklist, children, birth dates, research, incidents) is
the domain's, raised as DomainError by the service the API calls too and shown here
beside the field it names (web.forms.apply_domain_errors)."""

from datetime import datetime, time

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from marac.cases.models import Behaviour, ContactChannel, Gender, Relationship
from marac.dates import LATEST_DATE
from marac.maracs.models import Marac
from marac.referrals.checklists import ANSWER_VALUES, CHECKLISTS, DASH
from marac.referrals.models import ReferralReason
from web.forms import GovUKForm

YES_NO_NOT_KNOWN = [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")]
ANSWER_LABELS = dict(YES_NO_NOT_KNOWN)
assert set(ANSWER_LABELS) == set(ANSWER_VALUES)
TRI_STATE = {"yes": True, "no": False, "not_known": None, "": None}

REASON_CHOICES = [
    (ReferralReason.VISIBLE_HIGH_RISK.value, "Visible high risk (DASH score of 14 or more)"),
    (ReferralReason.PROFESSIONAL_JUDGEMENT.value, "Professional judgement"),
    (ReferralReason.POTENTIAL_ESCALATION.value, "Potential escalation (3 or more police incidents in 12 months)"),
]
GENDER_CHOICES = [(Gender.FEMALE.value, "Female"), (Gender.MALE.value, "Male"),
                  (Gender.NON_BINARY.value, "Non-binary"), (Gender.OTHER.value, "Other"),
                  (Gender.NOT_KNOWN.value, "Not known")]
RELATIONSHIP_CHOICES = [(value, label.capitalize()) for value, label in [
    (Relationship.PARTNER.value, "partner"), (Relationship.EX_PARTNER.value, "ex-partner"),
    (Relationship.FAMILY_MEMBER.value, "family member"), (Relationship.ACQUAINTANCE.value, "acquaintance"),
    (Relationship.COLLEAGUE.value, "colleague"), (Relationship.STRANGER.value, "stranger"),
    (Relationship.OTHER.value, "other")]]
CHANNEL_LABELS = {
    ContactChannel.PHONE: "Phone call", ContactChannel.TEXT_MESSAGE: "Text message",
    ContactChannel.VOICEMAIL: "Voicemail", ContactChannel.EMAIL: "Email", ContactChannel.POST: "Post",
    ContactChannel.HOME_VISIT: "Home visit", ContactChannel.WORK: "At work",
    ContactChannel.SOCIAL_MEDIA: "Social media", ContactChannel.FAMILY_OR_FRIENDS: "Family or friends",
}
BEHAVIOUR_LABELS = {
    Behaviour.FOLLOWING: "Following", Behaviour.CONTACTING: "Contacting, or attempting to contact",
    Behaviour.PUBLISHING: "Publishing statements or material about the victim",
    Behaviour.MONITORING_ONLINE: "Monitoring use of the internet, email or other electronic communication",
    Behaviour.LOITERING: "Loitering in a public or private place",
    Behaviour.INTERFERING_WITH_PROPERTY: "Interfering with property",
    Behaviour.WATCHING_OR_SPYING: "Watching or spying",
    Behaviour.OTHER: "Other",
}


class BoundedDateField(DateInputField):
    """The GOV.UK date input (day, month, year), no later than the latest date any
    input may carry (marac.dates.LATEST_DATE, as the API's date fields)."""

    def __init__(self, *, error_messages=None, **kwargs):
        super().__init__(**kwargs)
        self.error_messages.update(error_messages or {})
        self.require_all_fields = False

    def compress(self, data_list):
        if not data_list or not any(part not in (None, "") for part in data_list):
            return None
        try:
            day, month, year = (int(part) for part in data_list)
            value = datetime(year, month, day).date()
        except (TypeError, ValueError):
            raise ValidationError("Enter a real date") from None
        if value > LATEST_DATE:
            raise ValidationError(f"Enter a date no later than {LATEST_DATE:%-d %B %Y}")
        return value


def section(*fields) -> FormHelper:
    """A helper rendering some of a form's fields (`{% crispy form helper %}`), so a
    long form is laid out in sections with other content between them."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


class ChecklistToolForm(GovUKForm):
    tool = forms.ChoiceField(choices=[(tool, checklist.name) for tool, checklist in CHECKLISTS.items()],
                             initial=DASH.tool, widget=forms.HiddenInput)


class ReferralForm(GovUKForm):
    """A referral to MARAC, as the API's POST /referrals/ takes it, for one checklist
    (`tool`: DASH's 24 questions or S-DASH's 11, each numbered with our short label)."""

    tool = forms.ChoiceField(choices=[(tool, tool) for tool in CHECKLISTS], widget=forms.HiddenInput)

    victim_first_name = forms.CharField(label="First name", max_length=100,
                                        error_messages={"required": "Enter the victim's first name"})
    victim_last_name = forms.CharField(label="Last name", max_length=100,
                                       error_messages={"required": "Enter the victim's last name"})
    victim_date_of_birth = BoundedDateField(label="Date of birth", help_text="For example, 27 3 1990",
                                            error_messages={"required": "Enter the victim's date of birth"})
    victim_gender = forms.ChoiceField(label="Gender", choices=GENDER_CHOICES, widget=forms.RadioSelect,
                                      error_messages={"required": "Select the victim's gender"})
    victim_postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    victim_aliases = forms.CharField(label="Other names the victim is known by (optional)", required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}), help_text="One name a line")
    victim_safe_contact = forms.CharField(label="How and when it is safe to contact the victim", required=False,
                                          widget=forms.Textarea(attrs={"rows": 3}))
    victim_do_not_contact_via = forms.MultipleChoiceField(
        label="Do not contact the victim by", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(value, CHANNEL_LABELS[value]) for value in ContactChannel.values],
        help_text="Select all that are unsafe")
    victim_do_not_contact_note = forms.CharField(label="Anything else not to do when making contact",
                                                 required=False, widget=forms.Textarea(attrs={"rows": 2}))

    perpetrator_first_name = forms.CharField(label="First name", max_length=100,
                                             error_messages={"required": "Enter the perpetrator's first name"})
    perpetrator_last_name = forms.CharField(label="Last name", max_length=100,
                                            error_messages={"required": "Enter the perpetrator's last name"})
    perpetrator_date_of_birth = BoundedDateField(label="Date of birth (optional)", required=False,
                                                 help_text="For example, 27 3 1985")
    perpetrator_relationship = forms.ChoiceField(
        label="Relationship to the victim", choices=RELATIONSHIP_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": "Select the perpetrator's relationship to the victim"})

    children_in_household = forms.IntegerField(
        label="How many children live in the household (optional)", required=False, min_value=0, max_value=30,
        help_text="At least the children listed below; leave blank to count them")

    reason = forms.ChoiceField(label="Why does this case meet the MARAC criteria?", choices=REASON_CHOICES,
                               widget=forms.RadioSelect, error_messages={"required": "Select the reason for referral"})
    police_incidents_last_12_months = forms.IntegerField(
        label="Police-reported incidents in the past 12 months (optional)", required=False, min_value=0,
        max_value=1000)
    stalking = forms.TypedChoiceField(label="Is stalking part of the abuse?", choices=[("yes", "Yes"), ("no", "No")],
                                      coerce=lambda value: value == "yes", initial="no", widget=forms.RadioSelect,
                                      required=False, empty_value=False)
    summary = forms.CharField(label="Summary of the risk", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    victim_aware = forms.ChoiceField(label="Is the victim aware of the referral?", choices=YES_NO_NOT_KNOWN,
                                     required=False, widget=forms.RadioSelect)
    victim_consented = forms.ChoiceField(label="Has the victim consented to information being shared?",
                                         choices=YES_NO_NOT_KNOWN, required=False, widget=forms.RadioSelect)
    sharing_justification = forms.CharField(
        label="Why is sharing without consent justified?", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed unless the victim has consented")
    referrer_contact = forms.CharField(label="Your contact details (optional)", max_length=200, required=False)

    def __init__(self, *args, tool: str = DASH.tool, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get("tool") in CHECKLISTS:
            tool = self.data["tool"]
        self.tool = tool
        self.checklist = CHECKLISTS[tool]
        self.initial.setdefault("tool", tool)
        for number, label in self.checklist.labels.items():
            self.fields[f"q_{number}"] = forms.ChoiceField(
                label=f"{number}. {label.capitalize()}", choices=YES_NO_NOT_KNOWN, widget=forms.RadioSelect,
                error_messages={"required": f"Answer question {number}: yes, no or not known"})

        # Which MARAC: asked only when several are active (marac.maracs.services.resolve_marac
        # answers for the only one, and says so when one must be named).
        active = Marac.objects.filter(is_active=True).order_by("name")
        if len(active[:2]) > 1:
            self.fields["marac"] = forms.ModelChoiceField(
                label="Which MARAC is the referral for?", queryset=active, required=False,
                empty_label="Select a MARAC")
        self.sections = {
            "marac": section(*([Field("marac")] if "marac" in self.fields else [])),
            "victim": section(
                Fieldset(Field.text("victim_first_name", field_width=20), Field.text("victim_last_name", field_width=20),
                         Field("victim_date_of_birth"), Field.radios("victim_gender", small=True, inline=True),
                         Field.text("victim_postcode", field_width=10), Field.textarea("victim_aliases", rows=2),
                         legend="The victim", legend_size=Size.MEDIUM, legend_tag="h2")),
            "safe_contact": section(
                Fieldset(Field.textarea("victim_safe_contact", rows=3),
                         Field.checkboxes("victim_do_not_contact_via", small=True),
                         Field.textarea("victim_do_not_contact_note", rows=2),
                         legend="Safe contact", legend_size=Size.MEDIUM, legend_tag="h2")),
            "perpetrator": section(
                Fieldset(Field.text("perpetrator_first_name", field_width=20),
                         Field.text("perpetrator_last_name", field_width=20), Field("perpetrator_date_of_birth"),
                         Field.radios("perpetrator_relationship", small=True),
                         legend="The perpetrator", legend_size=Size.MEDIUM, legend_tag="h2")),
            "household": section(Field.text("children_in_household", field_width=3)),
            "reason": section(
                Fieldset(Field.radios("reason"), Field.text("police_incidents_last_12_months", field_width=4),
                         Field.radios("stalking", small=True, inline=True), Field.textarea("summary", rows=4),
                         legend="Reason for referral", legend_size=Size.MEDIUM, legend_tag="h2")),
            "consent": section(
                Fieldset(Field.radios("victim_aware", small=True, inline=True),
                         Field.radios("victim_consented", small=True, inline=True),
                         Field.textarea("sharing_justification", rows=3), Field.text("referrer_contact"),
                         legend="Consent and sharing", legend_size=Size.MEDIUM, legend_tag="h2")),
            "checklist": section(*(Field.radios(f"q_{number}", small=True, inline=True, legend_size=Size.SMALL)
                                   for number in self.checklist.labels)),
        }

    def answers(self, data=None) -> dict[str, str]:
        """The answers given (by question number), read from the cleaned or raw data."""
        source = self.cleaned_data if data is None else data
        return {number: source.get(f"q_{number}") for number in self.checklist.labels
                if source.get(f"q_{number}") in ANSWER_VALUES}

    def submission(self, children: list[dict]) -> dict:
        """The keyword arguments of marac.referrals.services.submit_referral."""
        data = self.cleaned_data
        return {
            "victim": {
                "first_name": data["victim_first_name"], "last_name": data["victim_last_name"],
                "date_of_birth": data["victim_date_of_birth"], "gender": data["victim_gender"],
                "postcode": data["victim_postcode"], "safe_contact": data["victim_safe_contact"],
                "do_not_contact_via": data["victim_do_not_contact_via"],
                "do_not_contact_note": data["victim_do_not_contact_note"],
                "aliases": [name.strip() for name in data["victim_aliases"].splitlines() if name.strip()],
            },
            "perpetrator": {
                "first_name": data["perpetrator_first_name"], "last_name": data["perpetrator_last_name"],
                "date_of_birth": data["perpetrator_date_of_birth"],
                "relationship": data["perpetrator_relationship"],
            },
            "children_in_household": data["children_in_household"],
            "children": children,
            "reason": data["reason"],
            "risk_checklist": {"tool": self.tool, "answers": self.answers()},
            "stalking": data["stalking"],
            "summary": data["summary"],
            "police_incidents_last_12_months": data["police_incidents_last_12_months"],
            "victim_aware": TRI_STATE[data["victim_aware"]],
            "victim_consented": TRI_STATE[data["victim_consented"]],
            "sharing_justification": data["sharing_justification"],
            "referrer_contact": data["referrer_contact"],
            "marac": data.get("marac"),
        }

    def assessment_input(self) -> dict:
        """What the score panel reads (marac.referrals.services.assess_referral), from
        the raw data: it is shown as answers are given, before the form is valid."""
        data = self.data if self.is_bound else {}
        try:
            incidents = int(data.get("police_incidents_last_12_months") or "")
        except ValueError:
            incidents = None
        return {
            "tool": self.tool,
            "answers": self.answers(data),
            "reason": data.get("reason") or None,
            "police_incidents": incidents,
            "victim_consented": TRI_STATE.get(data.get("victim_consented", ""), None),
            "sharing_justification": data.get("sharing_justification", ""),
        }


class ChildForm(GovUKForm):
    """One child in the household. A row left blank is not a child."""

    first_name = forms.CharField(label="First name", max_length=100, required=False)
    date_of_birth = BoundedDateField(label="Date of birth", required=False)
    age = forms.IntegerField(label="Age, if the date of birth is not known", required=False, min_value=0,
                             max_value=17)
    school = forms.CharField(label="School or nursery (optional)", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = section(Field.text("first_name", field_width=20), Field("date_of_birth"),
                              Field.text("age", field_width=2), Field.text("school"))

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) not in (None, "") for name in self.fields)

    def child(self) -> dict:
        data = self.cleaned_data
        return {"first_name": data["first_name"], "date_of_birth": data["date_of_birth"], "age": data["age"],
                "school": data["school"]}


ChildFormSet = forms.formset_factory(ChildForm, extra=3, max_num=30, absolute_max=30)


class AcceptReferralForm(GovUKForm):
    meeting = forms.ModelChoiceField(
        label="List the case on this meeting's agenda", queryset=None, required=False,
        empty_label="Do not list it on a meeting yet")

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda meeting: f"{meeting.date:%-d %B %Y} ({meeting.status})"


NOT_THE_SAME_VICTIM = "none"


class LinkReferralForm(GovUKForm):
    """The coordinator's decision on which existing case a referral is for: one of the
    cases offered (the likely matches, and the case it is linked to now), a case
    reference typed, or, with the "Not the same victim" button (`decision=none`), none.
    `cases` is the caller's case slice: a reference outside it is not found."""

    case = forms.TypedChoiceField(label="Which case is the victim's?", coerce=int, required=False,
                                  widget=forms.RadioSelect)
    reference = forms.CharField(label="Or type the case reference", required=False, max_length=32,
                                help_text="For a case that is not listed, for example MARAC-2025-000042",
                                widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))

    def __init__(self, *args, offered: list[tuple[int, str]], cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = cases
        if offered:
            self.fields["case"].choices = offered
        else:
            del self.fields["case"]
            self.fields["reference"].label = "Case reference"

    def clean(self):
        data = super().clean()
        if self.data.get("decision") == NOT_THE_SAME_VICTIM:
            data["linked_case"] = None
            return data
        chosen, reference = data.get("case"), (data.get("reference") or "").strip()
        if self.errors:
            return data
        if chosen and reference:
            self.add_error("reference", "Select a case or type a reference, not both")
        elif chosen:
            data["linked_case"] = self.cases.filter(pk=chosen).first()
            if data["linked_case"] is None:
                self.add_error("case", "Select one of the cases listed")
        elif reference:
            data["linked_case"] = self.cases.filter(reference__iexact=reference).first()
            if data["linked_case"] is None:
                self.add_error("reference", f"There is no case {reference} in the MARACs you serve")
        else:
            self.add_error("case" if "case" in self.fields else "reference",
                           "Select the victim's case or type its reference")
        return data


class DeclineReferralForm(GovUKForm):
    reason = forms.CharField(label="Why does the referral not meet the MARAC criteria?",
                             widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Enter why the referral is declined"})


class CaseFilterForm(GovUKForm):
    """The case list's filters (MoJ filter pattern); every one optional."""

    reference = forms.CharField(label="Case reference", required=False, max_length=32)
    risk_level = forms.MultipleChoiceField(
        label="Risk level", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("high", "High"), ("medium", "Medium"), ("standard", "Standard"), ("not_graded", "Not graded")])
    status = forms.MultipleChoiceField(label="Status", required=False, widget=forms.CheckboxSelectMultiple,
                                       choices=[("open", "Open"), ("closed", "Closed")])
    flagged = forms.BooleanField(label="Flagged as a repeat for the next agenda", required=False)

    def __init__(self, *args, show_flagged: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.filter_helper = section(Field.checkboxes("risk_level", small=True, legend_size=Size.SMALL),
                                     Field.checkboxes("status", small=True, legend_size=Size.SMALL),
                                     *([Field("flagged")] if show_flagged else []))
        self.show_flagged = show_flagged

    @property
    def checkbox_filters(self):
        """The checkbox groups, for the list's written-out filter markup (_case_filter.html)."""
        return [self["risk_level"], self["status"]]

    @property
    def flagged_filter(self):
        return self["flagged"] if self.show_flagged else None


class ParticipantForm(GovUKForm):
    agency = forms.ModelChoiceField(label="Add an agency to the case", queryset=None, empty_label="Select an agency",
                                    error_messages={"required": "Select the agency to add"})

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class CaseEditForm(GovUKForm):
    """A coordinator's correction of the case record: the fields of PATCH /cases/{id}/
    (the rule on children is update_case's)."""

    status = forms.ChoiceField(label="Status", widget=forms.RadioSelect,
                               choices=[("open", "Open"), ("closed", "Closed")],
                               error_messages={"required": "Select the case's status"})
    stalking = forms.TypedChoiceField(label="Is stalking part of the case?", widget=forms.RadioSelect,
                                      coerce=lambda value: value == "yes", choices=[("yes", "Yes"), ("no", "No")],
                                      error_messages={"required": "Select whether stalking is part of the case"})
    children_in_household = forms.IntegerField(
        label="Children in the household", min_value=0, max_value=30,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={"required": "Enter the number of children in the household",
                        "invalid": "Enter the number of children as a whole number, like 2"})
    summary = forms.CharField(label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def changes(self) -> dict:
        """Only what the coordinator changed, as a PATCH sends it."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class ResearchForm(GovUKForm):
    summary = forms.CharField(label="What your agency knows", widget=forms.Textarea(attrs={"rows": 6}),
                              error_messages={"required": "Enter your agency's research"})
    shared_with_marac = forms.TypedChoiceField(
        label="Who may read it?", coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        choices=[("yes", "Shared with the MARAC (everyone on the case, the chair and coordinators)"),
                 ("no", "My agency only")],
        error_messages={"required": "Select who may read the research"})
    withheld_note = forms.CharField(label="Information withheld, and why (optional)", required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))


class IncidentForm(GovUKForm):
    occurred_on = BoundedDateField(label="Date of the incident",
                                   error_messages={"required": "Enter the date of the incident"})
    occurred_time = forms.TimeField(label="Time (optional)", required=False, help_text="For example, 21:30",
                                    input_formats=["%H:%M", "%H.%M", "%H:%M:%S"])
    behaviour = forms.ChoiceField(
        label="Behaviour", widget=forms.RadioSelect,
        choices=[(value, BEHAVIOUR_LABELS[value]) for value in Behaviour.values],
        help_text="Stalking behaviours listed in section 2A(3) of the Protection from Harassment Act 1997",
        error_messages={"required": "Select the behaviour"})
    description = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 5}),
                                  error_messages={"required": "Enter what happened"})
    witnesses = forms.CharField(label="Witnesses (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(label="Digital evidence: where it is held (optional)", required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def occurred_at(self):
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["occurred_on"], data["occurred_time"] or time(0, 0)))
