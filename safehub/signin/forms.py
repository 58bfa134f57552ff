from __future__ import annotations

from django import forms

from safehub.core.forms import GovukForm
from safehub.signin.lockout import REASON_LIMIT


class UnlockForm(GovukForm):
    reason = forms.CharField(
        label="Why are you unlocking this account?",
        help_text="For example, you spoke to them on the phone and they have remembered their password.",
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are unlocking the account"},
    )
