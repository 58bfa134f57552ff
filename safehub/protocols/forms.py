from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms

from safehub.accounts.models import AgencyKind
from safehub.core.forms import GovukForm, VersionForm, rows_formset, telephone_number
from safehub.core.working_time import ClockUnit
from safehub.protocols.models import APPROVER_CHOICES, Brag, Clock, LocalProtocol, ThresholdLevel, Timescale

UNIT_CHOICES = [
    (ClockUnit.ELAPSED_HOURS.value, "hours (elapsed)"),
    (ClockUnit.WORKING_HOURS.value, "working hours"),
    (ClockUnit.WORKING_DAYS.value, "working days"),
    (ClockUnit.WORKING_DAY_END.value, "working days to the day's end (1: the same day)"),
]
WEEKDAYS = [(str(n), name) for n, name in enumerate(calendar.day_name)]
PARTNER_KINDS = [(kind.value, kind.label) for kind in AgencyKind if kind != AgencyKind.CHILDRENS_SOCIAL_CARE]


class ProtocolForm(VersionForm):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the protocol's name"})
    source = forms.CharField(label="Source document", max_length=200, required=False)
    # Shown as hours and minutes ("09:00"), as typed, not with seconds.
    working_day_start = forms.TimeField(
        label="Working day starts", help_text="For example 09:00", widget=forms.TimeInput(format="%H:%M")
    )
    working_day_end = forms.TimeField(
        label="Working day ends", help_text="For example 17:00", widget=forms.TimeInput(format="%H:%M")
    )
    three_month_rule = forms.BooleanField(
        label="Allocate to the previous social worker if the family was open to children's social care in the last three months",
        required=False,
    )
    hub_phone = forms.CharField(
        label="Hub's telephone number",
        help_text="Letters and messages give it: for example 020 7946 0123",
        max_length=40,
        required=False,
    )
    hub_email = forms.EmailField(
        label="Hub's email address",
        help_text="Letters and messages give it",
        required=False,
        error_messages={"invalid": "Enter an email address like mash@example.gov.uk"},
    )
    hub_address = forms.CharField(
        label="Hub's postal address",
        help_text="Printed at the top of letters, a line for each part",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=500,
        required=False,
    )
    la_code = forms.CharField(
        label="DfE local authority number",
        help_text="Three digits, as the DfE's returns know the council: for example 330",
        max_length=3,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    school_day_start = forms.TimeField(
        label="Schools' day starts",
        help_text="Operation Encompass: a school is told before its next day starts. For example 08:30 (the"
        " time if left blank)",
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        required=False,
        error_messages={"invalid": "Enter the time as hours and minutes, like 08:30"},
    )

    def clean_hub_phone(self) -> str:
        return telephone_number(self.cleaned_data.get("hub_phone") or "")

    daily_meeting = forms.CharField(
        label="Daily MASH meeting",
        help_text="When it meets, for example: Tuesday to Friday at 11:00 (BRAG). Leave blank if there is none.",
        max_length=200,
        required=False,
    )
    meeting_days = forms.MultipleChoiceField(
        label="Days the daily MASH meeting is held",
        help_text="None for a hub without one. Its agenda builds itself from the Red and Amber contacts and the"
        " police domestic-abuse notifications since the last meeting.",
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose days of the week"},
    )
    meeting_time = forms.TimeField(
        label="Time the daily MASH meeting starts",
        help_text="For example 11:00",
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        required=False,
        error_messages={"invalid": "Enter the meeting's time as hours and minutes, like 11:00"},
    )
    meeting_members = forms.MultipleChoiceField(
        label="Agencies that sit in the daily MASH meeting",
        choices=AgencyKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose kinds of agency from the list"},
    )
    triage_days = forms.MultipleChoiceField(
        label="Days the domestic-abuse triage is held",
        help_text="None for a hub without one. Its list builds itself from the police domestic-abuse notifications"
        " since the last triage.",
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose days of the week"},
    )
    triage_time = forms.TimeField(
        label="Time the domestic-abuse triage starts",
        help_text="For example 10:00",
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        required=False,
        error_messages={"invalid": "Enter the triage's time as hours and minutes, like 10:00"},
    )
    triage_members = forms.MultipleChoiceField(
        label="Agencies that sit in the domestic-abuse triage",
        choices=AgencyKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose kinds of agency from the list"},
    )
    marac_threshold = forms.IntegerField(
        label="Refer to MARAC at this many “yes” answers on the DASH checklist",
        help_text="SafeLives sets 14. Below it, a referral needs a recorded professional judgement.",
        min_value=1,
        max_value=24,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the number of “yes” answers that refers to MARAC",
            "invalid": "Enter the number of “yes” answers as a whole number, like 14",
            "min_value": "The MARAC threshold is a number of “yes” answers from 1 to 24",
            "max_value": "The MARAC threshold is a number of “yes” answers from 1 to 24",
        },
    )
    consent_self_age = forms.IntegerField(
        label="Age at which a young person answers for themselves about consent",
        help_text="Usually 16. Younger, a parent or carer answers, unless the young person is assessed as competent.",
        min_value=12,
        max_value=18,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the age at which a young person answers for themselves",
            "invalid": "Enter the age as a whole number, like 16",
            "min_value": "A young person answers for themselves from an age of 12 to 18",
            "max_value": "A young person answers for themselves from an age of 12 to 18",
        },
    )
    consent_competence_age = forms.IntegerField(
        label="Age from which a young person assessed as competent answers for themselves",
        help_text="Usually 12. Younger, only a parent or carer answers.",
        min_value=1,
        max_value=18,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the age from which a competent young person answers for themselves",
            "invalid": "Enter the age as a whole number, like 12",
            "min_value": "Enter an age from 1 to 18",
            "max_value": "Enter an age from 1 to 18",
        },
    )
    override_by_senior_practitioner = forms.BooleanField(
        label="A senior practitioner may agree to share without consent, as well as a team manager",
        required=False,
    )
    override_needs_owner_agreement = forms.BooleanField(
        label="Sharing without consent needs the agreement of the agency that owns the information",
        help_text="The manager records who at that agency agreed, and when.",
        required=False,
    )
    checks_without_consent = forms.BooleanField(
        label="MASH checks may start without consent",
        help_text="Information is shared initially within the MASH with or without consent, to assess risk and"
        " harm. Each request still records everyone's consent and the lawful basis. Early help always needs"
        " consent.",
        required=False,
    )
    approver_roles = forms.MultipleChoiceField(
        label="Who may approve a threshold recommendation",
        help_text="Never the person who made the recommendation.",
        choices=APPROVER_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who may approve a threshold recommendation"},
    )
    always_checked_agencies = forms.MultipleChoiceField(
        label="Agencies asked in every set of MASH checks",
        choices=PARTNER_KINDS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    early_help_criteria = forms.CharField(
        label="Early help criteria",
        help_text="One on each line.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    closure_days = forms.CharField(
        label="Local closure days",
        help_text=(
            "Days the hub is closed besides England's bank holidays, when no working-time clock runs."
            " One on each line: the date, then what it is, for example 24/12/2026 Christmas Eve closure."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def clean_closure_days(self) -> list[tuple[date, str]]:
        """One day a line, 'day/month/year' then its name; blank lines left out, each day once."""
        days: dict[date, str] = {}
        for number, line in enumerate(self.cleaned_data["closure_days"].splitlines(), start=1):
            text = line.strip()
            if not text:
                continue
            typed, _, name = text.partition(" ")
            parts = typed.split("/")
            if len(parts) == 3 and all(part.isdigit() for part in parts) and len(parts[2]) != 4:
                raise forms.ValidationError(f"Line {number}: the year must include 4 numbers, like 24/12/2026")
            try:
                if len(parts) != 3 or len(parts[2]) != 4 or not all(part.isdigit() for part in parts):
                    raise ValueError(typed)
                day = date(int(parts[2]), int(parts[1]), int(parts[0]))
            except (ValueError, OverflowError):  # '²' is a digit int() refuses; twenty nines overflow
                raise forms.ValidationError(
                    f"Line {number}: start with a real date as day/month/year, like 24/12/2026"
                ) from None
            if day in days:
                raise forms.ValidationError(f"Line {number}: {typed} is listed twice")
            name = name.strip() or "Closure day"
            if len(name) > 100:
                raise forms.ValidationError(f"Line {number}: name the day in at most 100 characters")
            days[day] = name
        return sorted(days.items())

    def clean_early_help_criteria(self) -> list[str]:
        """One criterion a line, blank lines and repeats left out."""
        text: str = self.cleaned_data["early_help_criteria"]
        criteria: list[str] = []
        for line in text.splitlines():
            criterion = line.strip()
            if len(criterion) > 200:
                raise forms.ValidationError("Write each criterion in at most 200 characters")
            if criterion and criterion not in criteria:
                criteria.append(criterion)
        return criteria


class LevelForm(GovukForm):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    order = forms.IntegerField(
        label="Order",
        min_value=1,
        max_value=99,
        error_messages={
            "required": "Enter the level's place in the order, like 1",
            "invalid": "Enter the level's place in the order as a number, like 1",
            "min_value": "Enter a number from 1 to 99",
            "max_value": "Enter a number from 1 to 99",
        },
    )
    code = forms.SlugField(
        label="Code",
        max_length=40,
        error_messages={
            "required": "Enter the level's code",
            "invalid": "Enter a code of lower-case letters, numbers, hyphens or underscores",
            "max_length": "Enter a code of at most 40 characters",
        },
    )
    label = forms.CharField(label="Name", max_length=100, error_messages={"required": "Enter the level's name"})
    description = forms.CharField(label="What it leads to", max_length=500, required=False)
    remove = forms.BooleanField(label="Remove", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].widget.attrs["class"] += " govuk-input--width-2"
        self.fields["code"].widget.attrs["class"] += " govuk-input--width-10"

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if code != code.lower():
            raise forms.ValidationError("Enter the code in lower-case letters")
        return code


class TimescaleForm(GovukForm):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    clock = forms.ChoiceField(
        label="Step",
        choices=[("", "Choose a step"), *Clock.choices],
        error_messages={"required": "Choose the step the timescale is for"},
    )
    rating = forms.ChoiceField(label="Rating", choices=[("", "Any rating"), *Brag.choices], required=False)
    agency = forms.ChoiceField(label="Agency", choices=[("", "Any agency"), *PARTNER_KINDS], required=False)
    amount = forms.DecimalField(
        label="Amount",
        min_value=Decimal("0.01"),
        max_value=Decimal("9999.99"),
        max_digits=6,
        decimal_places=2,
        error_messages={
            "min_value": "A timescale must be more than zero",
            "max_value": "A timescale can be at most 9,999.99",
            "max_digits": "A timescale can be at most 9,999.99",
            "max_whole_digits": "A timescale can be at most 9,999.99",
            "max_decimal_places": "Use at most two decimal places",
            "invalid": "Enter a number, like 4 or 1.5",
            "required": "Enter a timescale",
        },
    )
    unit = forms.ChoiceField(
        label="Unit",
        choices=[("", "Choose a unit"), *UNIT_CHOICES],
        error_messages={"required": "Choose the unit of time"},
    )
    note = forms.CharField(
        label="Where the rule comes from", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    remove = forms.BooleanField(label="Remove", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs["class"] += " govuk-input--width-5"


# The most rows each can hold: a level's order is 1 to 99; a timescale is one per step, rating (or
# any) and agency (or any), and one blank row to add one.
MAX_LEVELS = 99
MAX_TIMESCALES = len(Clock) * (len(Brag) + 1) * (len(PARTNER_KINDS) + 1) + 1

# One blank row in each, to add a level or a timescale without script (the page posts it as any other).
LevelFormSet = rows_formset(LevelForm, max_rows=MAX_LEVELS)
TimescaleFormSet = rows_formset(TimescaleForm, max_rows=MAX_TIMESCALES)


def protocol_initial(protocol: LocalProtocol) -> dict[str, Any]:
    return {
        "version": protocol.version,
        "name": protocol.name,
        "source": protocol.source,
        "working_day_start": protocol.working_day_start,
        "working_day_end": protocol.working_day_end,
        "three_month_rule": protocol.three_month_rule,
        "daily_meeting": protocol.daily_meeting,
        "meeting_days": [str(day) for day in protocol.meeting_days],
        "meeting_time": protocol.meeting_time,
        "meeting_members": list(protocol.meeting_members),
        "triage_days": [str(day) for day in protocol.triage_days],
        "triage_time": protocol.triage_time,
        "triage_members": list(protocol.triage_members),
        "marac_threshold": protocol.marac_threshold,
        "consent_self_age": protocol.consent_self_age,
        "consent_competence_age": protocol.consent_competence_age,
        "override_by_senior_practitioner": protocol.override_by_senior_practitioner,
        "override_needs_owner_agreement": protocol.override_needs_owner_agreement,
        "checks_without_consent": protocol.checks_without_consent,
        "approver_roles": list(protocol.approver_roles),
        "hub_phone": protocol.hub_phone,
        "hub_email": protocol.hub_email,
        "hub_address": protocol.hub_address,
        "la_code": protocol.la_code,
        "school_day_start": protocol.school_day_start,
        "always_checked_agencies": list(protocol.always_checked_agencies),
        "early_help_criteria": "\n".join(protocol.early_help_criteria),
        "closure_days": "\n".join(
            f"{holiday.day:%d/%m/%Y} {holiday.name}" for holiday in protocol.local_holidays.order_by("day")
        ),
    }


def level_initial(levels: list[ThresholdLevel]) -> list[dict[str, Any]]:
    return [
        {
            "pk": level.pk,
            "order": level.order,
            "code": level.code,
            "label": level.label,
            "description": level.description,
        }
        for level in levels
    ]


def timescale_initial(timescales: list[Timescale]) -> list[dict[str, Any]]:
    return [
        {
            "pk": t.pk,
            "clock": t.clock,
            "rating": t.rating,
            "agency": t.agency,
            "amount": t.amount,
            "unit": t.unit,
            "note": t.note,
        }
        for t in timescales
    ]
