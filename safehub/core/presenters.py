"""Display helpers shared by every page: due-time wording, BRAG tags, and dates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils.formats import date_format
from django.utils.timezone import is_aware, localtime

BRAG_TAG_CLASSES = {
    "blue": "govuk-tag app-tag--blue",
    "red": "govuk-tag govuk-tag--red",
    "amber": "govuk-tag govuk-tag--orange",
    "green": "govuk-tag govuk-tag--green",
}


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = hours // 24
    return f"{days} days"


@dataclass(frozen=True)
class Due:
    text: str
    is_overdue: bool

    @property
    def tag_class(self) -> str:
        return "govuk-tag govuk-tag--red" if self.is_overdue else "govuk-tag govuk-tag--grey"


def due(due_at: datetime | None, *, at: datetime) -> Due | None:
    """'Due in 3 hours' or 'Overdue by 2 days', measured at `at`."""
    if due_at is None:
        return None
    if due_at < at:
        return Due(f"Overdue by {_span(at - due_at)}", True)
    return Due(f"Due in {_span(due_at - at)}", False)


def brag_tag_class(rating: str) -> str:
    return BRAG_TAG_CLASSES.get(rating, "govuk-tag govuk-tag--grey")


def shown_date(value: date | datetime | None, pattern: str = "j F Y, H:i") -> str:
    """A date or time as the templates' `date` filter shows it (times in London time); "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime) and is_aware(value):
        value = localtime(value)
    return date_format(value, pattern)


@dataclass(frozen=True)
class Action:
    """A button on a page: what it says and where it goes."""

    text: str
    href: str


class Panel:
    """One app's part of a record's page (the contact page is assembled from them in
    `safehub.pages`): the related rows it shows (`lookups`, fetched once for the whole page), its
    template's context (None when it has nothing to show) and the buttons it offers the user now."""

    template_name: str = ""
    lookups: tuple[Any, ...] = ()

    def present(self, record: Any, *, user: Any, at: datetime) -> Mapping[str, Any] | None:
        raise NotImplementedError

    def actions(self, record: Any, *, user: Any) -> list[Action]:
        return []
