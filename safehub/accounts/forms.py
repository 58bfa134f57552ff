from typing import Any

from django.contrib.auth.forms import AuthenticationForm

from safehub.core.forms import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account has been switched off. Ask an administrator.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        # The page starts at the top for screen reader users (GOV.UK: do not autofocus fields).
        self.fields["username"].widget.attrs.pop("autofocus", None)
