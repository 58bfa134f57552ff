from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from safehub.core.forms import GovukForm, VersionForm
from safehub.core.working_time import ClockUnit
from safehub.protocols.models import LocalProtocol

UNIT_CHOICES = [
    (ClockUnit.ELAPSED_HOURS.value, "hours (elapsed)"),
    (ClockUnit.WORKING_HOURS.value, "working hours"),
    (ClockUnit.WORKING_DAYS.value, "working days"),
]


class ProtocolForm(VersionForm):
    working_day_start = forms.TimeField(label="Working day starts", help_text="For example 09:00")
    working_day_end = forms.TimeField(label="Working day ends", help_text="For example 17:00")
    three_month_rule = forms.BooleanField(
        label="Allocate to the previous social worker if the family was open to children's social care in the last three months",
        required=False,
    )


class TimescaleForm(GovukForm):
    pk = forms.IntegerField(widget=forms.HiddenInput)
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
    unit = forms.ChoiceField(label="Unit", choices=UNIT_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs["class"] += " govuk-input--width-5"


TimescaleFormSet = forms.formset_factory(TimescaleForm, extra=0)


def protocol_initial(protocol: LocalProtocol) -> dict[str, Any]:
    return {
        "version": protocol.version,
        "working_day_start": protocol.working_day_start,
        "working_day_end": protocol.working_day_end,
        "three_month_rule": protocol.three_month_rule,
    }
