"""The dashboard's period and filters, from the address (a GET form: a period can be bookmarked and
shared). A bad date, a range that ends before it starts, one that ends after today or one longer than five
years is an error beside its box and in the error summary, and no figures are counted."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.http import urlencode
from django.utils.text import slugify

from safehub.accounts.models import Team
from safehub.contacts.models import ReferralSource
from safehub.core.forms import GovukDateField, GovukForm
from safehub.decisions.models import MOST_SERIOUS_FIRST
from safehub.reports.measures.scope import NOT_RATED, Filters
from safehub.reports.periods import LONGEST_RANGE_DAYS, PERIOD_LABELS, Period, PeriodKind, period_for

EARLIEST_YEAR = 2000


class DashboardForm(GovukForm):
    period = forms.ChoiceField(
        error_messages={"invalid_choice": "Choose a period from the list"},
        label="Period",
        required=False,
        choices=[(kind.value, label) for kind, label in PERIOD_LABELS.items()],
        widget=forms.RadioSelect,
        help_text="Weeks start on Monday. The year is the financial year, from 1 April, as the DfE counts it.",
    )
    start = GovukDateField(
        label="From",
        label_for_errors="The start date",
        required=False,
        help_text="For dates you choose. For example, 1 4 2026",
    )
    end = GovukDateField(
        label="To", label_for_errors="The end date", required=False, help_text="For example, 30 6 2026"
    )
    team = forms.ChoiceField(
        error_messages={"invalid_choice": "Choose a team from the list"},
        label="Team",
        required=False,
        help_text=(
            "The team that took the contact at the front door, usually the MASH team. A contact referred on to"
            " an assessment team is counted under the team that took it, so an assessment team shows none."
        ),
    )
    source = forms.ChoiceField(
        error_messages={"invalid_choice": "Choose a source from the list"},
        label="Referral source",
        required=False,
        choices=[("", "Any source"), *ReferralSource.choices],
    )
    rating = forms.ChoiceField(
        error_messages={"invalid_choice": "Choose a rating from the list"},
        label="Rating",
        required=False,
        choices=[("", "Any rating"), *((r.value, r.label) for r in MOST_SERIOUS_FIRST), (NOT_RATED, "Not rated")],
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        team = self.fields["team"]
        assert isinstance(team, forms.ChoiceField)  # noqa: S101 - declared above
        teams = Team.objects.filter(agency__is_host=True).order_by("name").values_list("pk", "name")
        team.choices = [("", "Every team"), *((str(pk), name) for pk, name in teams)]
        if not self.is_bound:
            self.initial.setdefault("period", PeriodKind.MONTH.value)  # what the page shows before a choice

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("period") or PeriodKind.MONTH.value
        data["period"] = kind
        if kind != PeriodKind.RANGE:
            # Dates left in the boxes belong to "Dates you choose": another period does not read them.
            for name in ("start", "end"):
                self.errors.pop(name, None)
                data.pop(name, None)
            return data
        start, end = data.get("start"), data.get("end")
        if "start" not in self.errors and start is None:
            self.add_error("start", "Enter the start date")
        if "end" not in self.errors and end is None:
            self.add_error("end", "Enter the end date")
        if start is not None and start.year < EARLIEST_YEAR:
            self.add_error("start", f"The start date must be in {EARLIEST_YEAR} or later")
        elif start is not None and start > self.today:
            self.add_error("start", "The start date must be today or in the past")
        if end is not None and end > self.today:
            self.add_error("end", "The end date must be today or in the past")
        elif start is not None and end is not None and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        elif start is not None and end is not None and (end - start).days + 1 > LONGEST_RANGE_DAYS:
            self.add_error("end", "The end date must be within 5 years of the start date")
        return data

    @property
    def chosen_period(self) -> Period:
        """The period asked for: this month when nothing was asked. Call after is_valid()."""
        data = self.cleaned_data if self.is_bound else {}
        kind = PeriodKind(data.get("period") or PeriodKind.MONTH)
        return period_for(kind, today=self.today, first=data.get("start"), last=data.get("end"))

    @property
    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound else {}
        team = data.get("team")
        return Filters(
            team=int(team) if team else None, source=data.get("source") or "", rating=data.get("rating") or ""
        )

    @property
    def filters_shown(self) -> str:
        """The filters chosen, as the page names them: 'Team: MASH; rating: Red'."""
        data = self.cleaned_data if self.is_bound else {}
        chosen = []
        for name in ("team", "source", "rating"):
            field = self.fields[name]
            value = data.get(name)
            if value and isinstance(field, forms.ChoiceField):
                labels = {str(key): text for key, text in field.choices}  # type: ignore[union-attr, misc]
                label = labels.get(str(value), value)
                chosen.append(f"{field.label}: {label}")
        return "; ".join(chosen)

    @property
    def filters_slug(self) -> str:
        """The filters chosen, for a download's name: 'team-mash-source-3a-rating-red' (letters, digits
        and hyphens only), or '' when none is."""
        data = self.cleaned_data if self.is_bound else {}
        chosen = []
        for name in ("team", "source", "rating"):
            value = data.get(name)
            field = self.fields[name]
            if value and isinstance(field, forms.ChoiceField):
                shown = str(value)
                if name == "team":  # its name, or its number when its name has no letters a name can keep
                    labels = {str(key): text for key, text in field.choices}  # type: ignore[union-attr, misc]
                    shown = slugify(str(labels.get(shown, ""))) or shown
                elif value == NOT_RATED:
                    shown = "not-rated"
                chosen.append(f"{name}-{slugify(shown)}")
        return "-".join(chosen)

    def query(self) -> str:
        """The period and filters as a query string, for the downloads' addresses."""
        if not self.is_bound:
            return ""
        values: dict[str, str] = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, date):
                for index, part in enumerate((value.day, value.month, value.year)):
                    values[f"{name}_{index}"] = str(part)
            elif value:
                values[name] = str(value)
        return urlencode(values)
