"""Local protocols as their pages show them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from safehub.protocols.models import LocalProtocol, Timescale


def caption(protocol: LocalProtocol) -> str:
    return "Local protocol (active)" if protocol.is_active else "Local protocol"


@dataclass(frozen=True)
class TimescaleRow:
    timescale: Timescale
    form: Any  # the row of the formset that edits it
    step: str  # "Agency checks: Police requests"
    label: str  # "Agency checks (Police), Red": what the row's fields are for, for their labels


def timescale_rows(timescales: list[Timescale], forms: Any) -> list[TimescaleRow]:
    rows = []
    for timescale, form in zip(timescales, forms, strict=True):
        clock = timescale.get_clock_display()
        agency = timescale.get_agency_display() if timescale.agency else ""
        rating = timescale.get_rating_display() or "any rating"
        rows.append(
            TimescaleRow(
                timescale,
                form,
                step=f"{clock}: {agency} requests" if agency else clock,
                label=f"{clock} ({agency}), {rating}" if agency else f"{clock}, {rating}",
            )
        )
    return rows
