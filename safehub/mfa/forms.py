"""The second step's forms: a code, a recovery code, the saved-codes check, an administrator's reset."""

from __future__ import annotations

from typing import Any

from django import forms

from safehub.core.forms import GovukForm
from safehub.mfa.models import ResetAction


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows for Safehub",
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attrs = self.fields["code"].widget.attrs
        attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"})
        attrs["class"] = f"{attrs.get('class', '')} govuk-input--width-10".strip()


class RecoveryCodeForm(GovukForm):
    code = forms.CharField(
        label="Recovery code",
        max_length=40,
        help_text="One of the codes you saved when you set up your authenticator app. Each code works once.",
        error_messages={"required": "Enter one of your recovery codes"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attrs = self.fields["code"].widget.attrs
        attrs.update({"autocomplete": "off", "spellcheck": "false"})
        attrs["class"] = f"{attrs.get('class', '')} govuk-input--width-20".strip()


class SavedCodesForm(GovukForm):
    saved = forms.BooleanField(
        label="I have saved these recovery codes somewhere safe",
        error_messages={"required": "Confirm that you have saved your recovery codes"},
    )


class ResetForm(GovukForm):
    """On a user's page in Administration: unlock their code step, or remove their app."""

    action = forms.ChoiceField(
        label="What do you want to do?",
        choices=ResetAction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to do", "invalid_choice": "Choose what to do"},
    )
    reason = forms.CharField(
        label="Why?",
        help_text="For example, how you confirmed who they are and what happened to their phone",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are doing this"},
    )
