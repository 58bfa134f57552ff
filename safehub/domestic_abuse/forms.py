from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.forms.utils import ErrorDict

from safehub.contacts.models import YesNoUnknown
from safehub.core.errors import Problem
from safehub.core.forms import ClockField, GovukDateField, GovukForm, choice_field, style_field
from safehub.core.working_time import LONDON
from safehub.domestic_abuse.models import (
    PLACE_LENGTH,
    QUESTION_LENGTH,
    RATIONALE_LENGTH,
    REFERENCE_LENGTH,
    Assessment,
    RiskLevel,
)
from safehub.domestic_abuse.rules import Details, Question

NOT_NAMED = ""


class NotificationForm(GovukForm):
    """What police sent: the incident, who was involved, each child and whether they were there, and the
    risk assessment. Every rule is the service's (rules.problems): the page shows all its problems at once."""

    # None on a first recording; the version drawn at on a correction.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    police_reference = forms.CharField(
        label="Police reference", max_length=REFERENCE_LENGTH, error_messages={"required": "Enter the police reference"}
    )
    incident_on = GovukDateField(label="Date of the incident", label_for_errors="The date of the incident")
    incident_time = ClockField(
        label="Time of the incident",
        help_text="For example 23:15",
        invalid="Enter the time of the incident as hours and minutes, like 23:15",
        error_messages={"required": "Enter the time of the incident, like 23:15"},
    )
    place = forms.CharField(
        label="Where it happened",
        max_length=PLACE_LENGTH,
        error_messages={"required": "Enter where the incident happened"},
    )
    victim = forms.TypedChoiceField(
        label="Victim",
        help_text="Someone police named who is not here: add them to the contact first (Amend the contact).",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the victim from the people on the contact",
            "invalid_choice": "Choose the victim from the people on the contact",
        },
    )
    perpetrator = forms.TypedChoiceField(
        label="Alleged perpetrator",
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose the alleged perpetrator from the people on the contact"},
    )
    assessment = forms.ChoiceField(
        label="The risk assessment police sent",
        choices=Assessment.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the risk assessment police sent",
            "invalid_choice": "Choose the risk assessment police sent",
        },
    )
    risk_level = forms.ChoiceField(
        label="Risk level police gave",
        help_text="Needed for DARA and for a grade only; with a DASH checklist, if the officer gave one.",
        choices=[("", "Not given"), *RiskLevel.choices],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose the risk level police gave"},
    )
    refer_on_judgement = forms.BooleanField(
        label="Refer to MARAC on professional judgement",
        help_text="For a notification below the threshold, or not assessed as high risk, that should still go to MARAC.",
        required=False,
    )
    rationale = forms.CharField(
        label="Why professional judgement refers it to MARAC",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=RATIONALE_LENGTH,
        required=False,
    )

    correction_reason = forms.CharField(
        label="Why are you correcting it?",
        help_text="Kept with the correction, for everyone who reads the notification.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=RATIONALE_LENGTH,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str]],
        children: list[tuple[int, str]],
        questions: list[Question],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["victim"]).choices = people
        choice_field(self.fields["perpetrator"]).choices = [(NOT_NAMED, "Not named by police"), *people]
        self.children = children  # each child's box is "present_<pk>", each question's "dash_<number>"
        self.questions = questions
        for pk, name in children:
            self.fields[f"present_{pk}"] = forms.ChoiceField(
                label=f"Was {name} there?",
                choices=YesNoUnknown.choices,
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": f"Say whether {name} was there"},
            )
        for question in questions:
            self.fields[f"dash_{question.number}"] = forms.ChoiceField(
                label=f"{question.number}. {question.text}",
                choices=YesNoUnknown.choices,
                widget=forms.RadioSelect(attrs={"inline": True}),
                required=False,
                error_messages={"invalid_choice": f"Answer DASH question {question.number}"},
            )
        for name, field in self.fields.items():
            if name.startswith(("present_", "dash_")):
                style_field(field)
        # The fields in the page's order (each child after the people, the checklist after the levels),
        # so that the error summary lists the problems as the page shows them.
        self.order_fields(
            [
                "version",
                "police_reference",
                "incident_on",
                "incident_time",
                "place",
                "victim",
                "perpetrator",
                *(f"present_{pk}" for pk, _ in children),
                "assessment",
                "risk_level",
                *(f"dash_{question.number}" for question in questions),
            ]
        )

    def child_fields(self) -> list[forms.BoundField]:
        return [self[f"present_{pk}"] for pk, _ in self.children]

    def dash_fields(self) -> list[forms.BoundField]:
        return [self[f"dash_{question.number}"] for question in self.questions]

    def details(self) -> Details:
        """What was sent, as far as it could be read (a box that could not be read is left empty, so that
        the service's rules can still say what else is wrong)."""
        data = getattr(self, "cleaned_data", {})
        day, clock = data.get("incident_on"), data.get("incident_time")
        incident_at = (
            datetime.combine(day, clock, tzinfo=LONDON) if isinstance(day, date) and isinstance(clock, time) else None
        )
        return Details(
            police_reference=data.get("police_reference") or "",
            incident_at=incident_at,
            place=data.get("place") or "",
            victim=data.get("victim"),
            perpetrator=data.get("perpetrator"),
            children_present={pk: data.get(f"present_{pk}", "") for pk, _ in self.children},
            assessment=data.get("assessment") or "",
            risk_level=data.get("risk_level", ""),
            answers={q.number: data.get(f"dash_{q.number}", "") for q in self.questions},
            refer_on_judgement=data.get("refer_on_judgement", False),
            rationale=data.get("rationale", ""),
            correction_reason=data.get("correction_reason", ""),
        )

    def add_problems(self, problems: list[Problem]) -> None:
        """The service's problems beside the boxes that have no message of their own yet."""
        moment = {"incident_on", "incident_time"}
        for problem in problems:
            name = problem.field if problem.field in self.fields else None
            if name in moment and moment & set(self.errors):
                continue  # the date or the time box already says what is wrong with the moment
            if name is None or name not in self.errors:
                self.add_error(name, problem.message)
        # The error summary in the page's order, whichever check found each problem.
        order = {name: index for index, name in enumerate(self.fields)}
        errors = sorted(self.errors.items(), key=lambda pair: order.get(pair[0], -1))
        self._errors = ErrorDict(errors, renderer=self.renderer)


class QuestionForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    text = forms.CharField(
        label="Question",
        max_length=QUESTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the question"},
    )
    in_use = forms.BooleanField(
        label="Asked on new notifications",
        help_text="A question no longer asked stays on the notifications that answered it.",
        required=False,
    )
