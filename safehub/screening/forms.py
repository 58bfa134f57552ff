from __future__ import annotations

from typing import Any

from django import forms

from safehub.core.forms import VersionForm, choice_field
from safehub.screening.models import ScreeningRoute


class IdentifyForm(VersionForm):
    person = forms.CharField(
        label="Who is this?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the matching person, or create a new record"},
    )
    confirm_unlikely = forms.BooleanField(
        label="I have checked that this unlikely match is the same person",
        required=False,
        help_text="Needed only to link someone the index rates as an unlikely match",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], unlikely: bool = True, **kwargs: Any) -> None:
        """`unlikely`: whether any candidate offered is an unlikely match (the confirmation is asked
        only then: a box beside no candidate, or only likely ones, would be noise)."""
        super().__init__(*args, **kwargs)
        self.fields["person"].widget.choices = choices
        self.allowed = {value for value, _ in choices}
        if not unlikely:
            del self.fields["confirm_unlikely"]

    def clean_person(self) -> str:
        value: str = self.cleaned_data["person"]
        if value not in self.allowed:
            raise forms.ValidationError("Select the matching person, or create a new record")
        return value


class RouteForm(VersionForm):
    route = forms.ChoiceField(
        label="Where does the contact go next?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the contact goes next"},
    )
    signposted_to = forms.CharField(
        label="Service signposted to", required=False, help_text="Only for information or advice"
    )
    notes = forms.CharField(label="Screening notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, routes: list[ScreeningRoute], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["route"]).choices = [(r.value, r.label) for r in routes]
        if ScreeningRoute.SIGNPOST not in routes:  # an open case is forwarded: there is nothing to signpost
            del self.fields["signposted_to"]
