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
