"""The forms of onward referrals: sending a referral pack, and a team in the register."""

from __future__ import annotations

from typing import Any

from django import forms

from safehub.core.forms import GovukForm, VersionForm
from safehub.onward.models import PACK_OUTCOMES, ReceivingTeam
from safehub.onward.services import receiving_teams_in_safehub


class SendForm(GovukForm):
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    team = forms.TypedChoiceField(
        label="Which team is it sent to?",
        widget=forms.RadioSelect,
        coerce=int,
        error_messages={"required": "Choose the team", "invalid_choice": "Choose one of the teams listed"},
    )

    def __init__(self, *args: Any, teams: list[ReceivingTeam], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        field.choices = [  # type: ignore[attr-defined]
            (
                team.pk,
                f"{team.name} ({'its worktray in Safehub' if team.in_safehub else f'emailed as a PDF to {team.email}'})",
            )
            for team in teams
        ]


class ReceivingTeamForm(GovukForm):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the team's name"})
    outcomes = forms.MultipleChoiceField(
        label="The outcomes it takes children for",
        widget=forms.CheckboxSelectMultiple,
        choices=[(outcome.value, outcome.label) for outcome in PACK_OUTCOMES],
        error_messages={
            "required": "Choose the outcomes the team takes children for",
            "invalid_choice": "Choose from the outcomes listed",
        },
    )
    safehub_team = forms.TypedChoiceField(
        label="Its team in Safehub",
        help_text="Its referrals go to the worktray of this team's members. Leave it empty for a team that"
        " works outside Safehub.",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose one of the teams listed"},
    )
    email = forms.EmailField(
        label="Agreed secure email address",
        help_text="For a team outside Safehub: its referral packs are emailed here as PDFs.",
        max_length=254,
        required=False,
        error_messages={"invalid": "Enter an email address like referrals@example.gov.uk"},
    )
    is_active = forms.BooleanField(label="Takes referrals now", required=False, initial=True)
    # The team's version as the page showed it: an edit made on a stale page is refused (0 for a new one).
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages=dict.fromkeys(
            ["required", "invalid", "min_value"], "This page is out of date: reload the page and try again"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["safehub_team"]
        field.choices = [("", "Not in Safehub")] + [  # type: ignore[attr-defined]
            (team.pk, f"{team.name} ({team.agency.name})") for team in receiving_teams_in_safehub()
        ]


class ReturnForm(VersionForm):
    reason = forms.CharField(
        label="Why are you returning it?",
        help_text="Not your team's, or not enough to go on: the MASH reads this to put it right",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why it is returned, so that the MASH can put it right"},
    )
