from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet

from safehub.accounts.forms import StaffChoiceField
from safehub.accounts.models import Agency, User
from safehub.checks.services import DEFAULT_BASES
from safehub.core.forms import (
    MAX_TEXT,
    ClockField,
    GovukDateField,
    GovukForm,
    RecordsChoiceField,
    VersionForm,
    choice_field,
)
from safehub.core.working_time import LONDON
from safehub.protocols.models import BRAG_HINTS, Brag
from safehub.sharing.exits import Exit
from safehub.sharing.forms import BasesField
from safehub.sharing.vocabulary import Condition

TEXT = 5000


class StartChecksForm(VersionForm):
    reason = forms.CharField(
        label="Why are MASH checks needed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT,
        error_messages={"required": "Enter why MASH checks are needed"},
    )
    rating = forms.ChoiceField(
        label="Level of risk (sets the due times)",
        choices=[(b.value, BRAG_HINTS[b]) for b in Brag if b != Brag.BLUE],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the level of risk"},
    )
    coordinator = StaffChoiceField(
        label="Coordinating social worker",
        queryset=User.objects.none(),
        empty_label="Choose a social worker",
        error_messages={"required": "Choose the coordinating social worker"},
    )
    agencies = RecordsChoiceField(
        label="Agencies to ask",
        help_text="The local protocol's always-checked agencies are selected. Add others only where proportionate.",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one agency to ask"},
    )
    left_out_reason = forms.CharField(
        label="If you untick an always-checked agency, why is it not being asked?",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT,
        required=False,  # the service asks for it only when one is left out (checks.services._validate)
    )
    questions = forms.CharField(
        label="What are the agencies asked?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT,
        initial="Is the family known to you? What do you hold about the children and the adults, and what does it mean for the children?",
        error_messages={"required": "Enter what the agencies are asked"},
    )
    bases = BasesField(initial=[basis.value for basis in DEFAULT_BASES])
    respond_by_date = GovukDateField(
        label="Answers needed sooner? Date (optional)",
        label_for_errors="The date to respond by",
        help_text="Leave blank to use the local protocol's time. For example, before a strategy meeting.",
        required=False,
    )
    respond_by_time = ClockField(label="Time to respond by (optional)", help_text="For example 13:00", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, clock = data.get("respond_by_date"), data.get("respond_by_time")
        data["respond_by"] = None
        if day and clock:
            data["respond_by"] = datetime.combine(day, clock, tzinfo=LONDON)
        elif day and "respond_by_time" not in self.errors:
            self.add_error("respond_by_time", "Enter the time to respond by, like 13:00")
        elif clock and "respond_by_date" not in self.errors:
            self.add_error("respond_by_date", "Enter the date to respond by")
        return data

    def __init__(
        self,
        *args: Any,
        coordinators: QuerySet[User],
        agencies: QuerySet[Agency],
        always_checked: Sequence[Agency] = (),
        **kwargs: Any,
    ) -> None:
        """`always_checked`: the local protocol's always-checked agencies, named in the hint of the
        reason for leaving one out."""
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators  # type: ignore[attr-defined]
        self.fields["agencies"].queryset = agencies  # type: ignore[attr-defined]
        if always_checked:
            names = ", ".join(agency.name for agency in always_checked)
            self.fields[
                "left_out_reason"
            ].help_text = f"The local protocol always checks {names}. Leave blank if you ask them all."
        else:
            del self.fields["left_out_reason"]


class AskAnotherAgencyForm(VersionForm):
    agencies = RecordsChoiceField(
        label="Agencies to ask",
        help_text="Only the agencies these checks have not asked are listed.",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one agency to ask"},
    )
    questions = forms.CharField(
        label="What are the agencies asked?",
        help_text="What the other agencies were asked. Change it if this agency needs asking something else.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT,
        required=False,  # the service says so, with the lawful basis (checks.services.ask_another_agency)
    )
    bases = BasesField(required=False)

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies  # type: ignore[attr-defined]


class WithdrawForm(VersionForm):
    reason = forms.CharField(
        label="Why is the request withdrawn?",
        help_text="The agency sees this reason.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT,
        error_messages={"required": "Enter why the request is withdrawn"},
    )


class ResponseForm(VersionForm):
    nothing_known = forms.BooleanField(
        label="Nothing known: our systems hold nothing about these people", required=False
    )
    information = forms.CharField(
        label="What your agency holds", widget=forms.Textarea(attrs={"rows": 5}), max_length=TEXT, required=False
    )
    # 002 §16: each agency analyses what it holds (the reference stays here, not on the page).
    analysis = forms.CharField(
        label="What it means for the child",
        help_text="Your agency's analysis of the risk or need.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT,
        required=False,
    )
    sources_searched = forms.CharField(label="Systems searched", max_length=500, required=False)
    handling_conditions = forms.MultipleChoiceField(
        label="Handling conditions (optional)",
        help_text="The hub keeps each condition every time it sends information on, unless you agree otherwise.",
        choices=Condition.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    handling_restriction = forms.CharField(
        label="More about the conditions (optional)",
        help_text="For example: who in your agency to ask before it is passed on.",
        max_length=500,
        required=False,
    )
    on_behalf_of = forms.CharField(
        label="Answering for (GP practice and clinician, if you record their answer)", max_length=200, required=False
    )
    # A new one each time the form is drawn (core.submissions): the same form sent again is recognised.
    # Not required, so that a form drawn before keys were added is still taken (its version guards it).
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    # The fields a response is drawn from (every one but the version), as the service's `Answer` names them.
    ANSWER_FIELDS = (
        "nothing_known",
        "information",
        "analysis",
        "sources_searched",
        "handling_conditions",
        "handling_restriction",
        "on_behalf_of",
    )

    def __init__(self, *args: Any, for_gp_practice: bool = False, **kwargs: Any) -> None:
        """`for_gp_practice`: the request is to a GP practice, whose answer the hub's health
        professional records for it; only then is there a practice and clinician to name."""
        super().__init__(*args, **kwargs)
        if not for_gp_practice:
            del self.fields["on_behalf_of"]


class CorrectionForm(ResponseForm):
    """A correction starts from the answer it corrects (the view fills it in), so that what is not
    being corrected, a handling restriction above all, is kept without typing it again. Every field
    is checked by the service, so that all the problems show at once."""

    remove_restriction = forms.BooleanField(
        label="Remove the handling conditions",
        help_text="Tick only if the conditions on your earlier answer no longer apply.",
        required=False,
    )
    reason = forms.CharField(
        label="Why is the response being corrected?",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT,
        required=False,
    )

    def __init__(self, *args: Any, restricted: bool = False, **kwargs: Any) -> None:
        """`restricted`: the answer being corrected has handling conditions, which only a ticked
        'Remove the handling conditions' takes away."""
        super().__init__(*args, **kwargs)
        if not restricted:
            del self.fields["remove_restriction"]
        # The confirmation straight after the restriction it removes, the reason last.
        self.order_fields(
            [
                "version",
                "nothing_known",
                "information",
                "analysis",
                "sources_searched",
                "handling_conditions",
                "handling_restriction",
                "remove_restriction",
                "on_behalf_of",
                "reason",
            ]
        )


class SubmitForDecisionForm(VersionForm):
    analysis = forms.CharField(
        label="Your analysis of what the agencies hold",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT,
        required=False,  # the service says so, with every other problem (checks.services.submit_for_decision)
    )
    outstanding_reason = forms.CharField(
        label="Why submit before every agency has answered? (only if any are outstanding)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT,
        required=False,
    )


class AskForChecksForm(VersionForm):
    reason = forms.CharField(
        label="What do the partner agencies need to be asked, and why?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        error_messages={"required": "Say what the partner agencies need to be asked, and why"},
    )


class AgreementForm(GovukForm):
    """The agency that gave an answer opens routes its conditions bar (checks.agreements)."""

    routes = forms.MultipleChoiceField(
        label="Where may your answer go?",
        help_text="Only the routes your conditions keep it from are listed.",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,  # the service says so, with the note (checks.agreements.agreement_problems)
        error_messages={"invalid_choice": "Choose only the routes listed: one may have been agreed since"},
    )
    note = forms.CharField(
        label="What you agree to, and any limit on it",
        help_text="For example: the papers may include it; the family is not to be told of the arrest.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT,
        required=False,
    )

    def __init__(self, *args: Any, routes: Sequence[Exit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(routes)

    def offer(self, routes: Sequence[Exit]) -> None:
        choice_field(self.fields["routes"]).choices = [(route.value, route.label) for route in routes]
