from __future__ import annotations

from typing import Any

from django import forms

from safehub.core.forms import VersionForm, choice_field

NOT_SAME = "not_same"


class PairDecisionForm(VersionForm):
    decision = forms.ChoiceField(
        label="Are these the same person?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether these are the same person, and which record to keep"},
    )

    def __init__(self, *args: Any, keep_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["decision"]).choices = [
            *keep_choices,
            (NOT_SAME, "No: they are different people (this pair will not be suggested again)"),
        ]
