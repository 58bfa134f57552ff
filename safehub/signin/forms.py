from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm

from safehub.accounts.forms import RefusedUncheckedForm
from safehub.core.forms import GovukForm, GovukFormMixin, relabel
from safehub.signin.lockout import REASON_LIMIT

WHAT_MAKES_A_GOOD_ONE = (
    "At least 12 characters; not a common password, not only numbers and not like your name or username."
)


class UnlockForm(GovukForm):
    reason = forms.CharField(
        label="Why are you unlocking this account?",
        help_text="For example, you spoke to them on the phone and they have remembered their password.",
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are unlocking the account"},
    )


def _new_password_fields(form: SetPasswordForm) -> None:  # type: ignore[type-arg]
    """The new password's two fields, labelled and refused in the product's words."""
    first, second = form.fields["new_password1"], form.fields["new_password2"]
    relabel(first, "New password")
    relabel(second, "Type the new password again")
    first.help_text, second.help_text = WHAT_MAKES_A_GOOD_ONE, ""
    first.error_messages["required"] = "Enter a new password"
    second.error_messages["required"] = "Type the new password again"
    form.error_messages = {**form.error_messages, "password_mismatch": "The two passwords are not the same"}


class _RulesBesideTheNewPassword:
    """Django puts what the password rules refuse beside the repetition; ours go beside the new
    password itself, where it was typed (and only once the two agree)."""

    cleaned_data: dict[str, Any]

    def validate_password_for_user(self, user: Any, password_field_name: str = "") -> None:
        if "new_password2" in self.cleaned_data:
            super().validate_password_for_user(user, "new_password1")  # type: ignore[misc]


class GovukSetPasswordForm(_RulesBesideTheNewPassword, GovukFormMixin, SetPasswordForm):  # type: ignore[type-arg]
    """Django's set-password form (its validators: at least 12 characters, not a common password,
    not like the username, not a guessable pattern) drawn the GOV.UK way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _new_password_fields(self)


class GovukPasswordChangeForm(RefusedUncheckedForm, _RulesBesideTheNewPassword, GovukFormMixin, PasswordChangeForm):
    """A signed-in user changes their own password: the current one first, then the new one twice.
    `refused_because` (the server busy checking passwords) refuses it without checking the current one."""

    def __init__(self, *args: Any, refused_because: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refused_because = refused_because
        _new_password_fields(self)
        current = self.fields["old_password"]
        relabel(current, "Your current password")
        current.error_messages["required"] = "Enter your current password"
        self.error_messages = {**self.error_messages, "password_incorrect": "Your current password is not right"}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        new = cleaned.get("new_password1")
        if new and not self.has_error("old_password") and new == cleaned.get("old_password"):
            self.add_error("new_password1", "Choose a new password, not the one you have now")
        return cleaned
