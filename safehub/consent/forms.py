"""The consent pages' forms: an answer, a competence assessment, a request to share without consent and
its decision. Shape and field checks only; the rules are the services' (consent.services)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms

from safehub.consent.models import ConsentAnswer, ConsentMethod, ConsentPurpose, Giver, OverridePower
from safehub.consent.pauses import Resumed
from safehub.consent.services import Answer, Assessment, Decision
from safehub.core.forms import ClockField, GovukDateField, GovukForm, VersionForm, choice_field
from safehub.core.working_time import LONDON

YES_NO = [("yes", "Yes"), ("no", "No")]
# What may be asked to be shared without consent: everything but early help, which always needs it.
OVERRIDABLE = [(value, label) for value, label in ConsentPurpose.choices if value != ConsentPurpose.EARLY_HELP]


def _radio(label: str, choices: list[tuple[str, str]], message: str, **kwargs: Any) -> forms.ChoiceField:
    """Radios whose error, when none or a choice not offered is sent, is `message`."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


class AnswerForm(GovukForm):
    subject = _radio("Whose consent", [], "Choose the person the answer is about")
    purpose = _radio("What for", list(ConsentPurpose.choices), "Choose what the consent is for")
    answer = _radio("Their answer", list(ConsentAnswer.choices), "Say whether consent was given or refused")
    given_by = _radio("Who answered", list(Giver.choices), "Say who answered")
    giver_name = forms.CharField(
        label="Name of the parent or carer who answered",
        help_text="Leave it blank when the person answered for themselves.",
        max_length=200,
        required=False,
    )
    given_on = GovukDateField(
        label="Day they answered", label_for_errors="The day they answered", help_text="For example 24 11 2026"
    )
    method = _radio("How they answered", list(ConsentMethod.choices), "Say how they answered")
    note = forms.CharField(
        label="Anything else (optional)", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["subject"]).choices = [(str(pk), name) for pk, name in people]

    def answer_data(self) -> Answer:
        data = self.cleaned_data
        return Answer(
            subject_id=int(data["subject"]),
            purpose=data["purpose"],
            answer=data["answer"],
            given_by=data["given_by"],
            giver_name=data["giver_name"],
            given_on=data["given_on"],
            method=data["method"],
            note=data["note"],
        )


class CompetenceForm(GovukForm):
    subject = _radio("Which young person", [], "Choose the young person assessed")
    purpose = _radio("About what", list(ConsentPurpose.choices), "Choose what they would be answering about")
    understands = _radio(
        "Do they understand what is asked and why?", YES_NO, "Answer whether they understand what is asked and why"
    )
    consequences = _radio(
        "Do they understand what follows from saying yes, and from saying no?",
        YES_NO,
        "Answer whether they understand what follows from yes and from no",
    )
    weighs = _radio(
        "Can they weigh it up and reach a decision?", YES_NO, "Answer whether they can weigh it up and decide"
    )
    voluntary = _radio(
        "Are they deciding freely, without pressure from anyone?", YES_NO, "Answer whether they are deciding freely"
    )
    rationale = forms.CharField(
        label="Why you reached this view",
        help_text="What they said and did that shows it: at least 50 characters.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
    assessed_on = GovukDateField(label="Day of the assessment", label_for_errors="The day of the assessment")
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["subject"]).choices = [(str(pk), name) for pk, name in people]
        self.fields["rationale"].error_messages["required"] = "Enter why you reached this view"

    def assessment(self) -> Assessment:
        data = self.cleaned_data
        return Assessment(
            subject_id=int(data["subject"]),
            purpose=data["purpose"],
            understands=data["understands"] == "yes",
            consequences=data["consequences"] == "yes",
            weighs=data["weighs"] == "yes",
            voluntary=data["voluntary"] == "yes",
            rationale=data["rationale"],
            assessed_on=data["assessed_on"],
        )


class AskForm(GovukForm):
    purpose = _radio("Share what for", OVERRIDABLE, "Choose what the information would be shared for")
    reason = forms.CharField(
        label="Why share without consent",
        help_text="Why consent cannot be sought, or why a refusal should be set aside: at least 50 characters.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "Enter why the information should be shared without consent"},
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)


class DecideForm(VersionForm):
    decision = _radio(
        "Your decision", [("agree", "Agree: share without consent"), ("decline", "Decline")], "Choose agree or decline"
    )
    power = _radio("The power relied on", list(OverridePower.choices), "Choose the power relied on", required=False)
    # Not required here: the service says what is missing from an agreement all at once (rationale,
    # power, the owning agency's agreement).
    rationale = forms.CharField(
        label="Your rationale",
        help_text="What you weighed, and why: at least 50 characters. It is recorded on the contact.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        required=False,
    )
    owner = forms.ChoiceField(label="The agency that owns the information", choices=[], required=False)
    owner_agreed_by = forms.CharField(label="Who there agreed", max_length=200, required=False)
    owner_agreed_on = GovukDateField(label="Day they agreed", label_for_errors="The day they agreed", required=False)
    owner_agreed_time = ClockField(label="Time they agreed", help_text="For example 14:30", required=False)

    def __init__(self, *args: Any, owners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["owner"]).choices = [
            ("", "Choose the agency"),
            *((str(pk), name) for pk, name in owners),
        ]

    def decision_data(self) -> Decision:
        data = self.cleaned_data
        agreed_at = None
        if data.get("owner_agreed_on") and data.get("owner_agreed_time"):
            moment: time = data["owner_agreed_time"]
            agreed_at = datetime.combine(data["owner_agreed_on"], moment, tzinfo=LONDON)
        return Decision(
            agree=data["decision"] == "agree",
            rationale=data["rationale"],
            power=data.get("power") or "",
            owner_id=int(data["owner"]) if data.get("owner") else None,
            owner_agreed_by=data.get("owner_agreed_by") or "",
            owner_agreed_at=agreed_at,
        )


class WithdrawForm(VersionForm):
    note = forms.CharField(
        label="Why you are withdrawing it (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class PauseForm(VersionForm):
    """Ask the professional referrer to discuss the request with the family first (002 §19)."""

    asked = forms.CharField(
        label="What have you asked the referrer to do?",
        help_text="For example: discuss the request with the mother and call back with her answer.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,  # the service says so, with any other problem
    )


class ResumeForm(VersionForm):
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=Resumed.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    note = forms.CharField(label="Details", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False)
