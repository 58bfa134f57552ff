from __future__ import annotations

from typing import Any

from django import forms

from safehub.accounts.models import Agency
from safehub.core.forms import GovukDateField, GovukForm
from safehub.people.models import Person
from safehub.sharing.vocabulary import Basis, Direction


class BasesField(forms.MultipleChoiceField):
    """The lawful bases for sharing, as coded choices (the services check the combination)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Lawful basis for sharing")
        kwargs.setdefault(
            "help_text",
            "An Article 6 basis always; an Article 9 condition as well when health or other special"
            " category information is shared.",
        )
        super().__init__(
            choices=Basis.choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Choose the lawful basis for sharing"},
            **kwargs,
        )


class LedgerFilterForm(GovukForm):
    """The DPO's search of the sharing ledger: by person, agency, period and basis (issue 14)."""

    person = forms.CharField(
        label="Person ID",
        help_text="The person index's ID, like P0000040",
        required=False,
        max_length=40,
    )
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.filter(is_host=False), required=False, empty_label="Any agency"
    )
    basis = forms.ChoiceField(label="Lawful basis", choices=[("", "Any basis"), *Basis.choices], required=False)
    direction = forms.ChoiceField(label="Sent or received", choices=[("", "Both"), *Direction.choices], required=False)
    declined = forms.BooleanField(label="Only decisions not to share", required=False)
    start = GovukDateField(label="From", label_for_errors="The start date", required=False)
    end = GovukDateField(label="To", label_for_errors="The end date", required=False)

    def clean_person(self) -> Person | None:
        wanted = (self.cleaned_data.get("person") or "").strip()
        if not wanted:
            return None
        found = Person.objects.filter(local_id__iexact=wanted).first()
        if found is None:
            raise forms.ValidationError("No one in the person index has that ID: check it, like P0000040")
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        return data


class SeenByForm(GovukForm):
    person = forms.CharField(
        label="Person ID",
        help_text="The person index's ID, like P0000040",
        max_length=40,
        error_messages={"required": "Enter the person's ID, like P0000040"},
    )

    def clean_person(self) -> Person:
        wanted = self.cleaned_data["person"].strip()
        found = Person.objects.filter(local_id__iexact=wanted).first()
        if found is None:
            raise forms.ValidationError("No one in the person index has that ID: check it, like P0000040")
        return found


class DeclineForm(GovukForm):
    """A decision not to share: what was asked, by whom, and why not (issue 14)."""

    asked_by = forms.CharField(
        label="Who asked",
        help_text="Their name, role and organisation.",
        max_length=200,
        required=False,  # the service says so, with every other problem
    )
    agency = forms.ModelChoiceField(
        label="Their agency, if a partner",
        queryset=Agency.objects.filter(is_host=False),
        required=False,
        empty_label="Not a partner agency",
    )
    asked = forms.CharField(
        label="What they asked for", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False
    )
    declined_reason = forms.CharField(
        label="Why it is not shared",
        help_text="The requester may be told this, and the data protection officer reads it.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
