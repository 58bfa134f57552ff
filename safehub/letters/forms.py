"""The forms of letters and messages: writing one, deciding not to write to the family, lifting
that decision, a template's new words, and what happened to a message that did not arrive."""

from __future__ import annotations

from typing import Any

from django import forms

from safehub.core.forms import GovukForm, GovukModelForm, VersionForm, telephone_number
from safehub.letters.models import Channel, School, WithheldReason

BODY_ROWS = 18


class MessageForm(GovukForm):
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    template_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    channel = forms.ChoiceField(
        label="How it is sent",
        widget=forms.RadioSelect,
        choices=Channel.choices,
        error_messages={"required": "Choose how it is sent", "invalid_choice": "Choose how it is sent"},
    )
    recipient_name = forms.CharField(label="To", max_length=200, required=False)
    email = forms.CharField(label="Email address", max_length=254, required=False)
    postal_address = forms.CharField(
        label="Postal address",
        help_text="The name, each line of the address, and the postcode, each on its own line",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=600,
        required=False,
    )
    subject = forms.CharField(label="Subject", max_length=200, required=False)
    body = forms.CharField(
        label="Message",
        help_text="Edit it as you need. Another agency's information must not go in it.",
        widget=forms.Textarea(attrs={"rows": BODY_ROWS}),
        max_length=20_000,
        required=False,
    )

    def __init__(self, *args: Any, channels: list[Channel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["channel"]
        field.choices = [(channel.value, channel.label) for channel in channels]  # type: ignore[attr-defined]


class NotToWriteForm(GovukForm):
    reason = forms.ChoiceField(
        label="Why is the family not written to?",
        widget=forms.RadioSelect,
        choices=WithheldReason.choices,
        error_messages={"required": "Choose why the family is not written to", "invalid_choice": "Choose a reason"},
    )
    explanation = forms.CharField(
        label="Explain why",
        help_text="What the data protection officer, or someone reviewing a complaint, will read",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Explain why the family is not written to"},
    )


class LiftForm(GovukForm):
    explanation = forms.CharField(
        label="Why does the reason no longer hold?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Explain why the reason no longer holds"},
    )


class TemplateForm(GovukForm):
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    subject = forms.CharField(label="Subject", max_length=200, required=False)
    body = forms.CharField(
        label="Words",
        help_text="Write a field as ((name)): the fields this template may use are listed beside it.",
        widget=forms.Textarea(attrs={"rows": 22}),
        max_length=20_000,
        required=False,
    )
    note = forms.CharField(label="What changed (optional)", max_length=300, required=False)


class ToldAnotherWayForm(VersionForm):
    explanation = forms.CharField(
        label="How were they told instead?",
        help_text="For example: telephoned them on 07700 900123 on 5 December and told them what the letter said",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say how they were told instead"},
    )


class RecordCallForm(GovukForm):
    explanation = forms.CharField(
        label="Who did you tell, and when?",
        help_text="For example: telephoned the practice's safeguarding lead, Dr A Example, at 14:10 and gave each child's outcome",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say who you told at the practice, and when"},
    )


class SummaryForm(MessageForm):
    """A consultation's summary: the message, and the consultation's version (a summary sent by
    someone else meanwhile refuses this one)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages=dict.fromkeys(
            ["required", "invalid", "min_value", "max_value"], "This page is out of date: reload the page and try again"
        ),
    )


class TellSchoolForm(GovukForm):
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    school = forms.ModelChoiceField(
        label="The child's school, nursery or college",
        help_text="From the register of schools and their designated safeguarding leads",
        queryset=School.objects.none(),
        empty_label="Choose the school",
        error_messages={"required": "Choose the child's school", "invalid_choice": "Choose a school from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(active=True)  # type: ignore[attr-defined]


class SchoolForm(GovukModelForm):
    class Meta:
        model = School
        fields = ["name", "dsl_name", "dsl_email", "phone", "home_education", "active"]
        error_messages = {
            "name": {"required": "Enter the school's name", "unique": "The register already has a school of that name"},
            "dsl_name": {"required": "Enter the designated safeguarding lead's name"},
            "dsl_email": {
                "required": "Enter their secure email address",
                "invalid": "Enter an email address like dsl@example-primary.sch.uk",
            },
        }

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data.get("name") or "").split())
        if School.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("The register already has a school of that name")
        return name

    def clean_phone(self) -> str:
        return telephone_number(self.cleaned_data.get("phone") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("home_education") and data.get("active"):
            others = School.objects.filter(home_education=True, active=True).exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("home_education", "The register already has an elective home education officer")
        return data
