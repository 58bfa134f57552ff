"""The user-management pages' forms: input shape only; the rules are in services and roles.

Agencies and teams are chosen from lists drawn from the database as text choices, so that an id
typed into the address bar (30 digits, letters) is refused by the form without reaching a query."""

from __future__ import annotations

from typing import Any

from django import forms

from safehub.accounts.models import Agency, AgencyKind, Role, Team
from safehub.core.forms import GovukForm, choice_field
from safehub.users.services import (
    AGENCY_NAME_LENGTH,
    EMAIL_LENGTH,
    JOB_TITLE_LENGTH,
    NAME_LENGTH,
    REASON_LENGTH,
    USERNAME_LENGTH,
    new_user_problems,
)

ROLE_CHOICES = [(role.value, role.label) for role in Role]
MAX_ID = 2**63 - 1
# A hidden field is missing or altered only when the page is old or was edited: say what to do.
OUT_OF_DATE = dict.fromkeys(["required", "invalid", "max_length"], "This page is out of date: reload it and try again")
NOT_THERE = dict.fromkeys(["min_value", "max_value"], "That role is not on this page: reload it and try again")


def agency_choices() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in Agency.objects.order_by("name").values_list("pk", "name")]


def team_choices() -> list[tuple[str, str]]:
    """Each team with its agency, the host's first: "MASH (Example Borough Council)"."""
    teams = Team.objects.select_related("agency").order_by("-agency__is_host", "agency__name", "name")
    return [(str(team.pk), f"{team.name} ({team.agency.name})") for team in teams]


class UserSearchForm(GovukForm):
    q = forms.CharField(label="Name or username", max_length=USERNAME_LENGTH, required=False)
    agency = forms.ChoiceField(label="Agency", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    role = forms.ChoiceField(label="Role", choices=[("", "Any role"), *ROLE_CHOICES], required=False)
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Active and deactivated"), ("active", "Active"), ("inactive", "Deactivated")],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["agency"]).choices = [("", "Any agency"), *agency_choices()]
        choice_field(self.fields["team"]).choices = [("", "Any team"), *team_choices()]
        for name, article in (("agency", "an"), ("team", "a"), ("role", "a"), ("status", "a")):
            self.fields[name].error_messages["invalid_choice"] = f"Choose {article} {name} from the list"


class DetailsFields(GovukForm):
    first_name = forms.CharField(
        label="First name", max_length=NAME_LENGTH, error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=NAME_LENGTH, error_messages={"required": "Enter their last name"}
    )
    email = forms.EmailField(
        label="Work email address",
        help_text="A one-time link to set their password is sent here.",
        max_length=EMAIL_LENGTH,
        error_messages={
            "required": "Enter their work email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=JOB_TITLE_LENGTH, required=False)


class TeamAndRoleFields(GovukForm):
    team = forms.ChoiceField(
        label="Team", error_messages={"required": "Choose a team", "invalid_choice": "Choose a team from the list"}
    )
    role = forms.ChoiceField(
        label="Role",
        help_text="Partner professionals work in a partner agency's team; every other role in a team of the hub's own agency.",
        choices=[("", "Choose a role"), *ROLE_CHOICES],
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["team"]).choices = [("", "Choose a team"), *team_choices()]

    def chosen_team(self) -> Team:
        return Team.objects.select_related("agency").get(pk=int(self.cleaned_data["team"]))


class CreateUserForm(TeamAndRoleFields, DetailsFields):
    username = forms.CharField(
        label="Username",
        help_text="What they sign in with: letters, numbers and @ . + - _ only.",
        max_length=USERNAME_LENGTH,
        error_messages={"required": "Enter a username"},
    )
    field_order = ["username", "first_name", "last_name", "email", "job_title", "team", "role"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:  # the service will not see this form: say now what it would say as well
            data = {name: cleaned.get(name) for name in ("username", "email", "team", "role")}
            team = Team.objects.select_related("agency").filter(pk=int(data["team"])).first() if data["team"] else None
            role = Role(data["role"]) if data["role"] else None
            for problem in new_user_problems(username=data["username"], email=data["email"], team=team, role=role):
                if problem.field not in self.errors:
                    self.add_error(problem.field, problem.message)
        return cleaned


class StateForm(GovukForm):
    """Every form on a user's page: the state of the account it was drawn from (services.account_state)."""

    state = forms.CharField(widget=forms.HiddenInput, max_length=64, error_messages=OUT_OF_DATE)


class DetailsForm(StateForm, DetailsFields):
    pass


class GrantRoleForm(StateForm, TeamAndRoleFields):
    pass


class RemoveRoleForm(StateForm):
    membership = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=MAX_ID, error_messages=OUT_OF_DATE | NOT_THERE
    )


class ReasonForm(StateForm):
    reason = forms.CharField(
        label="Reason",
        help_text="For example: left the council on 30 November; returned from leave.",
        max_length=REASON_LENGTH,
        error_messages={"required": "Enter a reason"},
    )


class AgencyForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=AGENCY_NAME_LENGTH, error_messages={"required": "Enter the agency's name"}
    )
    kind = forms.ChoiceField(
        label="Kind of agency",
        choices=[("", "Choose a kind"), *AgencyKind.choices],
        error_messages={
            "required": "Choose the kind of agency",
            "invalid_choice": "Choose a kind of agency from the list",
        },
    )
    is_host = forms.BooleanField(
        label="This is the local authority that runs the hub (the host agency)",
        help_text="The hub's own staff work in its teams. There is exactly one host agency.",
        required=False,
    )


class AgencyEmailForm(GovukForm):
    email = forms.EmailField(
        label="Shared email address (optional)",
        help_text="The agency's safeguarding inbox. Strategy discussion invitations go to it as well as to its"
        " people in Safehub, and reach it when nobody there uses Safehub. Leave it empty for none.",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    old_email = forms.CharField(widget=forms.HiddenInput, max_length=254, required=False)


class AgencySecureEmailForm(GovukForm):
    email = forms.EmailField(
        label="Agreed secure email address (optional)",
        help_text="The address the agency agreed for information that names people, such as a GP practice's"
        " nhs.net address. Requests for information to the agency are emailed here with their form. Leave it"
        " empty for none: the hub then sends the form another way.",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    old_email = forms.CharField(widget=forms.HiddenInput, max_length=254, required=False)


class RenameForm(GovukForm):
    name = forms.CharField(
        label="New name", max_length=AGENCY_NAME_LENGTH, error_messages={"required": "Enter the new name"}
    )
    old_name = forms.CharField(widget=forms.HiddenInput, max_length=AGENCY_NAME_LENGTH, required=False)


class TeamForm(GovukForm):
    name = forms.CharField(
        label="Team name", max_length=AGENCY_NAME_LENGTH, error_messages={"required": "Enter the team's name"}
    )
