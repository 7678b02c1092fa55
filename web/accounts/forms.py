from django import forms
from django.contrib.auth.forms import AuthenticationForm

from web.forms import GovUKFormMixin


class SignInForm(GovUKFormMixin, AuthenticationForm):
    """Django's authentication form (labels "Username" and "Password"; inactive accounts
    refused), in GOV.UK style."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both may be case-sensitive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["password"].label = "Password"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})


class ChangePasswordForm(GovUKFormMixin, forms.Form):
    current_password = forms.CharField(label="Current password", strip=False,
                                       widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(
        label="New password", strip=False,
        help_text="At least 10 characters, not a common password, not only numbers and not like your name or username.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    confirm_password = forms.CharField(label="Confirm new password", strip=False,
                                       widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_password") and cleaned.get("confirm_password") != cleaned.get("new_password"):
            self.add_error("confirm_password", "Enter the same new password again.")
        return cleaned
