"""The outcome as a partner's page shows it, from what the sharing ledger recorded as shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from safehub.core.presenters import as_day, record_links, shown_date, shown_day


@dataclass(frozen=True)
class ChildShown:
    name: str
    outcome: str


@dataclass(frozen=True)
class DecisionShown:
    decided: str  # "24 November 2026, 10:00"
    children: list[ChildShown]


def decision_shown(content: Mapping[str, Any] | None) -> DecisionShown | None:
    """The Decision panel: each child's approved outcome and when it was decided; None before then."""
    if content is None:
        return None
    return DecisionShown(
        decided=shown_date(as_day(content.get("decided_at"))),
        children=[ChildShown(child["name"], child["outcome"]) for child in content.get("children", [])],
    )


@dataclass(frozen=True)
class ReferralRow:
    reference: str
    href: str
    received: str
    referrer: str
    decided: str


def referral_rows(rows: Iterable[Mapping[str, Any]]) -> list[ReferralRow]:
    link = record_links("partner_outcomes:referral")
    return [
        ReferralRow(
            reference=row["reference"],
            href=link(row["pk"]),
            received=shown_day(row["received_at"]),
            referrer=row["referrer_name"] or "Not named",
            decided=shown_day(row["decided_at"]),
        )
        for row in rows
    ]
