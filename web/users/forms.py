from django import forms

from marac.agencies.models import Agency, Role
from marac.audit.models import AuditAction
from marac.maracs.models import Marac
from web.forms import GovUKForm


class NewUserForm(GovUKForm):
    """A new account. `roles`: the roles the caller may give (the API's ASSIGNABLE_ROLES
    rule, read through web.slice); `agencies`: given only to those who choose the agency
    (platform admins); a manager's new users join the manager's own agency."""

    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    username = forms.RegexField(label="Username", regex=r"^[\w.@+-]+\Z", max_length=150,
                                help_text="Letters, digits and @ . + - _ only. They sign in with it.",
                                error_messages={"invalid": "Enter a username of letters, digits and @ . + - _ only."})
    email = forms.EmailField(label="Email address", required=False)
    password = forms.CharField(label="First password", strip=False,
                               help_text="Give it to them in person; they can change it under Your account.",
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(), empty_label="Choose an agency")
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect)
    maracs = forms.ModelMultipleChoiceField(
        label="MARACs they serve", required=False, queryset=Marac.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Coordinators and chairs only. None chosen: the only active MARAC.")

    def __init__(self, *args, roles=(), agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in roles]
        if agencies is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = agencies
        if not {Role.COORDINATOR, Role.CHAIR} & set(roles):
            del self.fields["maracs"]
        else:
            self.fields["maracs"].queryset = Marac.objects.filter(is_active=True).order_by("name")


class EditUserForm(GovUKForm):
    """Correct an account's name and email, and (`maracs` given: platform administrators,
    for a coordinator or chair) the MARACs they serve: the API's PATCH /users/{id}/
    fields. The username, agency and role stay as they are."""

    first_name = forms.CharField(label="First name", max_length=150,
                                 error_messages={"required": "Enter their first name"})
    last_name = forms.CharField(label="Last name", max_length=150,
                                error_messages={"required": "Enter their last name"})
    email = forms.EmailField(label="Email address", required=False,
                             error_messages={"invalid": "Enter an email address like name@example.org"})
    maracs = forms.ModelMultipleChoiceField(
        label="MARACs they serve", required=False, queryset=Marac.objects.none(),
        widget=forms.CheckboxSelectMultiple, help_text="None chosen: the only active MARAC.")

    def __init__(self, *args, maracs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if maracs is None:
            del self.fields["maracs"]
        else:
            self.fields["maracs"].queryset = maracs


class AuditFilterForm(GovUKForm):
    """The audit trail's filters (the API's ?user, ?action, ?object_type, ?object_id,
    by username here); every one optional."""

    username = forms.CharField(label="Username", required=False, max_length=150)
    action = forms.ChoiceField(label="Action", required=False,
                               choices=[("", "Any action"), *AuditAction.choices])
    object_type = forms.CharField(label="Record type", required=False, max_length=64,
                                  help_text="For example case, referral, order")
    object_id = forms.CharField(label="Record number", required=False, max_length=64)

    def filter(self, events):
        if not self.is_valid():
            return events
        data = self.cleaned_data
        lookups = {"username__iexact": data["username"].strip(), "action": data["action"],
                   "object_type": data["object_type"].strip(), "object_id": data["object_id"].strip()}
        return events.filter(**{lookup: value for lookup, value in lookups.items() if value})
