import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import ErrorDict
from django.utils import timezone

from safehub.core.forms import GovukFormMixin, RecordsChoiceField
from safehub.signin import lockout

BUSY = "Safehub is busy signing other people in. Wait a few seconds, then try again."


def throttled_message(until: dt.datetime) -> str:
    return (
        "Too many sign-ins from your network have failed. "
        f"Wait until {timezone.localtime(until):%H:%M}, then try again, or ask an administrator for help."
    )


class RefusedUncheckedForm(forms.Form):
    """A form that can be refused before anything sent is looked at (a throttled client, a server
    busy checking others' passwords): with `refused_because` set, validating it checks nothing,
    least of all a password, and shows that message."""

    refused_because = ""

    def full_clean(self) -> None:
        if not self.refused_because:
            super().full_clean()
            return
        self._errors = ErrorDict()
        self.cleaned_data = {}
        self.add_error(None, self.refused_because)


class SignInForm(RefusedUncheckedForm, GovukFormMixin, AuthenticationForm):
    """The password step. A locked account is refused exactly as a wrong password is, after the
    same work; a throttled client, or a server busy checking others' passwords, is refused with
    `refused_because` before any password is checked."""

    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account has been switched off. Ask an administrator.",
    }

    def __init__(self, *args: Any, refused_because: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refused_because = refused_because
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["username"].error_messages["max_length"] = (
            f"Enter a username of {lockout.USERNAME_LIMIT} characters or fewer"
        )
        self.fields["password"].error_messages["required"] = "Enter your password"
        # The page starts at the top for screen reader users (GOV.UK: do not autofocus fields).
        self.fields["username"].widget.attrs.pop("autofocus", None)

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password and lockout.is_locked(username):
            lockout.spend_a_password_check(password)
            raise self.get_invalid_login_error()
        return super().clean()


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
