from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from safehub.core.forms import GovukFormMixin, RecordsChoiceField


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


def _named_with_job_title(user: Any) -> str:
    return f"{user}, {user.job_title}" if user.job_title else str(user)


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Choose a member of staff, shown with their job title."""

    def label_from_instance(self, obj: Any) -> str:
        return _named_with_job_title(obj)


class StaffMultipleChoiceField(RecordsChoiceField):
    """Choose members of staff, each shown with their job title."""

    def label_from_instance(self, obj: Any) -> str:
        return _named_with_job_title(obj)
